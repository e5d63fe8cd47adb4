// Cofre as a WebAuthn authenticator for websites (issue 20): key pairs made with WebCrypto,
// "none" attestation, synced-passkey flags (BE and BS set, counter 0), assertions signed over
// the authenticator data and the client data hash. The client data itself is built by the
// caller (the worker) from the origin Chrome reports for the frame, never from the page.
import { type CBORType, encodeCBOR } from '@levischuck/tiny-cbor';
import {
  concatBytes,
  fromBase64url,
  own,
  randomBytes,
  toBase64url,
  utf8,
} from '../crypto/bytes.ts';
import type { Passkey } from '../model/item.ts';

/** Cofre's AAGUID: the same for every passkey it makes, so a site can name the provider. */
export const COFRE_AAGUID = 'c0f4e0a1-5e7d-4c3b-9a2f-6b8d1e4f7a90';

export const FLAG_UP = 0x01;
export const FLAG_UV = 0x04;
export const FLAG_BE = 0x08;
export const FLAG_BS = 0x10;
export const FLAG_AT = 0x40;

/** The COSE algorithms Cofre signs with, in no order of its own (the site's order decides). */
export const SUPPORTED_ALGORITHMS = [-7, -8] as const;
export type PasskeyAlgorithm = (typeof SUPPORTED_ALGORITHMS)[number];

const sha256 = async (b: Uint8Array) =>
  new Uint8Array(await crypto.subtle.digest('SHA-256', own(b)));

const AAGUID_BYTES = Uint8Array.from(COFRE_AAGUID.replaceAll('-', '').match(/../g)!, (h) =>
  Number.parseInt(h, 16),
);

const keyParams = (alg: PasskeyAlgorithm) =>
  alg === -7 ? { name: 'ECDSA', namedCurve: 'P-256' } : { name: 'Ed25519' };

/** The first algorithm of the site's list that Cofre has; ES256 when the site lists none. */
export function chooseAlgorithm(
  params: Array<{ alg: number; type?: string }>,
): PasskeyAlgorithm | null {
  if (params.length === 0) return -7;
  for (const p of params)
    if (
      (p.type ?? 'public-key') === 'public-key' &&
      (SUPPORTED_ALGORITHMS as readonly number[]).includes(p.alg)
    )
      return p.alg as PasskeyAlgorithm;
  return null;
}

/** The authenticator data: RP id hash, flags, counter, and (at creation) the new credential. */
async function authenticatorData(
  rpId: string,
  flags: number,
  counter: number,
  attested?: Uint8Array,
): Promise<Uint8Array> {
  const count = new Uint8Array(4);
  new DataView(count.buffer).setUint32(0, counter);
  return concatBytes(
    await sha256(utf8(rpId)),
    Uint8Array.of(flags),
    count,
    ...(attested ? [attested] : []),
  );
}

/** The public key in COSE form, from the private key's JWK (which carries the public part). */
function coseKey(alg: PasskeyAlgorithm, jwk: JsonWebKey): Uint8Array {
  const x = fromBase64url(jwk.x ?? '');
  if (alg === -8)
    return encodeCBOR(
      new Map<number, CBORType>([
        [1, 1],
        [3, -8],
        [-1, 6],
        [-2, x],
      ]),
    );
  const y = fromBase64url(jwk.y ?? '');
  return encodeCBOR(
    new Map<number, CBORType>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, x],
      [-3, y],
    ]),
  );
}

export interface NewPasskey {
  passkey: Passkey;
  /** For the page's AuthenticatorAttestationResponse. */
  attestationObject: Uint8Array;
  authenticatorData: Uint8Array;
  publicKeySpki: Uint8Array;
}

/** Makes a discoverable credential for the RP and user, flags UP UV BE BS AT. */
export async function makePasskey(opts: {
  rpId: string;
  rpName: string;
  userHandle: Uint8Array;
  userName: string;
  userDisplayName: string;
  algorithm: PasskeyAlgorithm;
  userVerified: boolean;
  now: string;
}): Promise<NewPasskey> {
  const pair = (await crypto.subtle.generateKey(keyParams(opts.algorithm), true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  const credentialId = randomBytes(16);
  const idLength = Uint8Array.of(0, credentialId.length);
  const attested = concatBytes(AAGUID_BYTES, idLength, credentialId, coseKey(opts.algorithm, jwk));
  const flags = FLAG_UP | (opts.userVerified ? FLAG_UV : 0) | FLAG_BE | FLAG_BS | FLAG_AT;
  const authData = await authenticatorData(opts.rpId, flags, 0, attested);
  const attestationObject = encodeCBOR(
    new Map<string, CBORType>([
      ['fmt', 'none'],
      ['attStmt', new Map<string, CBORType>()],
      ['authData', authData],
    ]),
  );
  return {
    passkey: {
      credentialId: toBase64url(credentialId),
      rpId: opts.rpId,
      rpName: opts.rpName,
      userHandle: toBase64url(opts.userHandle),
      userName: opts.userName,
      userDisplayName: opts.userDisplayName,
      algorithm: opts.algorithm,
      privateKey: toBase64url(pkcs8),
      counter: 0,
      discoverable: true,
      createdAt: opts.now,
    },
    attestationObject,
    authenticatorData: authData,
    publicKeySpki: spki,
  };
}

/** An ECDSA signature as WebCrypto gives it (r ‖ s) in the DER form WebAuthn wants. */
export function derSignature(raw: Uint8Array): Uint8Array {
  const half = raw.length / 2;
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const trimmed = b.subarray(i);
    const v = (trimmed[0] ?? 0) & 0x80 ? concatBytes(Uint8Array.of(0), trimmed) : trimmed;
    return concatBytes(Uint8Array.of(0x02, v.length), v);
  };
  const body = concatBytes(int(raw.subarray(0, half)), int(raw.subarray(half)));
  return concatBytes(Uint8Array.of(0x30, body.length), body);
}

export interface Assertion {
  authenticatorData: Uint8Array;
  signature: Uint8Array;
}

/** Signs an assertion: authenticator data (UP, UV as told, BE, BS; the passkey's counter, 0 for
 * the ones Cofre makes) and its signature. */
export async function signAssertion(
  passkey: Passkey,
  clientDataJSON: Uint8Array,
  userVerified: boolean,
): Promise<Assertion> {
  const flags = FLAG_UP | (userVerified ? FLAG_UV : 0) | FLAG_BE | FLAG_BS;
  const authData = await authenticatorData(passkey.rpId, flags, passkey.counter);
  const key = await crypto.subtle.importKey(
    'pkcs8',
    own(fromBase64url(passkey.privateKey)),
    keyParams(passkey.algorithm),
    false,
    ['sign'],
  );
  const signed = concatBytes(authData, await sha256(clientDataJSON));
  const raw = new Uint8Array(
    await crypto.subtle.sign(
      passkey.algorithm === -7 ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'Ed25519' },
      key,
      own(signed),
    ),
  );
  return {
    authenticatorData: authData,
    signature: passkey.algorithm === -7 ? derSignature(raw) : raw,
  };
}

/** The client data a WebAuthn client hands the authenticator (and the site), as JSON bytes. */
export function clientData(opts: {
  type: 'webauthn.create' | 'webauthn.get';
  challenge: string;
  origin: string;
  topOrigin: string | null;
}): Uint8Array {
  const cross = opts.topOrigin !== null && opts.topOrigin !== opts.origin;
  return utf8(
    JSON.stringify({
      type: opts.type,
      challenge: opts.challenge,
      origin: opts.origin,
      crossOrigin: cross,
      ...(cross ? { topOrigin: opts.topOrigin } : {}),
    }),
  );
}
