// A software WebAuthn authenticator (ES256, "none" attestation) for server tests that run
// without a browser. It computes the RP id hash over the full extension origin, as Chromium does
// for chrome-extension:// pages (MACHINE-NOTES.md). The browser ceremony is tested in test/e2e.
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { type CBORType, encodeCBOR } from '@levischuck/tiny-cbor';

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest();

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

export class SoftAuthenticator {
  readonly credentialId = randomBytes(32);
  readonly #keys: { privateKey: KeyObject; publicKey: KeyObject };
  counter = 0;

  constructor(readonly origin: string) {
    this.#keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  }

  get id() {
    return b64(this.credentialId);
  }

  #authData(flags: number, attested?: Uint8Array) {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(this.counter);
    return Buffer.concat([
      sha256(this.origin),
      Buffer.from([flags]),
      count,
      ...(attested ? [attested] : []),
    ]);
  }

  #clientData(type: string, challenge: string, origin = this.origin) {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  /** navigator.credentials.create() → RegistrationResponseJSON */
  create(options: { challenge: string }, origin?: string) {
    const jwk = this.#keys.publicKey.export({ format: 'jwk' });
    const cose = encodeCBOR(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
    const idLen = Buffer.alloc(2);
    idLen.writeUInt16BE(this.credentialId.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLen, this.credentialId, cose]);
    const authData = this.#authData(FLAG_UP | FLAG_UV | FLAG_AT, attested);
    const attestationObject = encodeCBOR(
      new Map<string, CBORType>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, CBORType>()],
        ['authData', authData],
      ]),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      response: {
        clientDataJSON: b64(this.#clientData('webauthn.create', options.challenge, origin)),
        attestationObject: b64(attestationObject),
        transports: ['internal'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** navigator.credentials.get() → AuthenticationResponseJSON; bumps the counter unless told. */
  get(options: { challenge: string }, opts: { keepCounter?: boolean; origin?: string } = {}) {
    if (!opts.keepCounter) this.counter += 1;
    const authData = this.#authData(FLAG_UP | FLAG_UV);
    const clientDataJSON = this.#clientData('webauthn.get', options.challenge, opts.origin);
    const signature = sign(
      'sha256',
      Buffer.concat([authData, sha256(clientDataJSON)]),
      this.#keys.privateKey,
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      response: {
        clientDataJSON: b64(clientDataJSON),
        authenticatorData: b64(authData),
        signature: b64(signature),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }
}
