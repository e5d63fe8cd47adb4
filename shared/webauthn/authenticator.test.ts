import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { describe, expect, it } from 'vitest';
import { fromBase64url, toBase64url, utf8 } from '../crypto/bytes.ts';
import {
  COFRE_AAGUID,
  chooseAlgorithm,
  clientData,
  derSignature,
  makePasskey,
  type PasskeyAlgorithm,
  signAssertion,
} from './authenticator.ts';
import { effectiveRpId, passkeyHost, WebAuthnRefusal } from './rp-rules.ts';

const origin = 'https://login.bank.example';
const rpID = 'bank.example';

/** A registration and a sign-in, each checked by SimpleWebAuthn's own verification. */
async function ceremony(algorithm: PasskeyAlgorithm) {
  const regOptions = await generateRegistrationOptions({
    rpName: 'Bank',
    rpID,
    userName: 'ana@bank.example',
    attestationType: 'none',
    supportedAlgorithmIDs: [algorithm],
  });
  const made = await makePasskey({
    rpId: rpID,
    rpName: 'Bank',
    userHandle: fromBase64url(regOptions.user.id),
    userName: 'ana@bank.example',
    userDisplayName: 'Ana',
    algorithm,
    userVerified: true,
    now: new Date().toISOString(),
  });
  const regClient = clientData({
    type: 'webauthn.create',
    challenge: regOptions.challenge,
    origin,
    topOrigin: null,
  });
  const registration = await verifyRegistrationResponse({
    response: {
      id: made.passkey.credentialId,
      rawId: made.passkey.credentialId,
      type: 'public-key',
      response: {
        clientDataJSON: toBase64url(regClient),
        attestationObject: toBase64url(made.attestationObject),
        transports: ['internal', 'hybrid'],
      },
      clientExtensionResults: {},
    },
    expectedChallenge: regOptions.challenge,
    expectedOrigin: origin,
    expectedRPID: rpID,
    requireUserVerification: true,
  });
  expect(registration.verified).toBe(true);
  const info = registration.registrationInfo!;
  const authOptions = await generateAuthenticationOptions({ rpID, userVerification: 'required' });
  const getClient = clientData({
    type: 'webauthn.get',
    challenge: authOptions.challenge,
    origin,
    topOrigin: null,
  });
  const assertion = await signAssertion(made.passkey, getClient, true);
  const authentication = await verifyAuthenticationResponse({
    response: {
      id: made.passkey.credentialId,
      rawId: made.passkey.credentialId,
      type: 'public-key',
      response: {
        clientDataJSON: toBase64url(getClient),
        authenticatorData: toBase64url(assertion.authenticatorData),
        signature: toBase64url(assertion.signature),
        userHandle: made.passkey.userHandle ?? undefined,
      },
      clientExtensionResults: {},
    },
    expectedChallenge: authOptions.challenge,
    expectedOrigin: origin,
    expectedRPID: rpID,
    credential: {
      id: info.credential.id,
      publicKey: info.credential.publicKey,
      counter: info.credential.counter,
    },
    requireUserVerification: true,
  });
  return { info, authentication, made };
}

describe('Cofre as an authenticator', () => {
  it.each([
    { alg: -7, name: 'ES256' },
    { alg: -8, name: 'Ed25519' },
  ] as const)(
    'should make $name passkeys that SimpleWebAuthn verifies at registration and sign-in',
    async ({ alg }) => {
      const { info, authentication } = await ceremony(alg);
      expect(info.fmt).toBe('none');
      expect(info.aaguid).toBe(COFRE_AAGUID);
      expect(info.credentialDeviceType).toBe('multiDevice');
      expect(info.credentialBackedUp).toBe(true);
      expect(info.userVerified).toBe(true);
      expect(info.credential.counter).toBe(0);
      expect(authentication.verified).toBe(true);
      expect(authentication.authenticationInfo.credentialBackedUp).toBe(true);
      expect(authentication.authenticationInfo.newCounter).toBe(0);
    },
  );

  it('should fail verification for another origin, another challenge or a changed signature', async () => {
    const { made, info } = await ceremony(-7);
    const authOptions = await generateAuthenticationOptions({ rpID });
    const forged = clientData({
      type: 'webauthn.get',
      challenge: authOptions.challenge,
      origin: 'https://evil.example',
      topOrigin: null,
    });
    const signed = await signAssertion(made.passkey, forged, true);
    const verify = (cd: Uint8Array, sig: Uint8Array, challenge = authOptions.challenge) =>
      verifyAuthenticationResponse({
        response: {
          id: made.passkey.credentialId,
          rawId: made.passkey.credentialId,
          type: 'public-key',
          response: {
            clientDataJSON: toBase64url(cd),
            authenticatorData: toBase64url(signed.authenticatorData),
            signature: toBase64url(sig),
          },
          clientExtensionResults: {},
        },
        expectedChallenge: challenge,
        expectedOrigin: origin,
        expectedRPID: rpID,
        credential: info.credential,
      });
    await expect(verify(forged, signed.signature)).rejects.toThrow(/origin/i);
    const good = clientData({
      type: 'webauthn.get',
      challenge: authOptions.challenge,
      origin,
      topOrigin: null,
    });
    const ok = await signAssertion(made.passkey, good, true);
    const tampered = Uint8Array.from(ok.signature);
    tampered[tampered.length - 1]! ^= 1;
    expect(
      (
        await verifyAuthenticationResponse({
          response: {
            id: made.passkey.credentialId,
            rawId: made.passkey.credentialId,
            type: 'public-key',
            response: {
              clientDataJSON: toBase64url(good),
              authenticatorData: toBase64url(ok.authenticatorData),
              signature: toBase64url(tampered),
            },
            clientExtensionResults: {},
          },
          expectedChallenge: authOptions.challenge,
          expectedOrigin: origin,
          expectedRPID: rpID,
          credential: info.credential,
        }).catch(() => ({ verified: false }))
      ).verified,
    ).toBe(false);
    await expect(verify(good, ok.signature, 'another-challenge')).rejects.toThrow(/challenge/i);
  });

  it('should take the first of the site’s algorithms it has, ES256 when none is listed, and none of RS256', () => {
    expect(chooseAlgorithm([{ alg: -257 }, { alg: -8 }, { alg: -7 }])).toBe(-8);
    expect(chooseAlgorithm([{ alg: -7, type: 'public-key' }, { alg: -8 }])).toBe(-7);
    expect(chooseAlgorithm([])).toBe(-7);
    expect(chooseAlgorithm([{ alg: -257 }, { alg: -35 }])).toBeNull();
  });

  it('should encode ECDSA signatures in DER with a sign byte only where the high bit is set', () => {
    const raw = new Uint8Array(64);
    raw[0] = 0x80;
    raw[32] = 0;
    raw[33] = 0x01;
    const der = derSignature(raw);
    expect(der[0]).toBe(0x30);
    expect([...der.subarray(2, 5)]).toEqual([0x02, 33, 0x00]);
    // s begins with a zero byte then 0x01: the zero is dropped, 31 bytes are left.
    expect([...der.subarray(2 + 2 + 33, 2 + 2 + 33 + 3)]).toEqual([0x02, 31, 0x01]);
  });

  it('should put the top origin in the client data of a cross-origin frame only', () => {
    const read = (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b));
    expect(
      read(clientData({ type: 'webauthn.get', challenge: 'c', origin, topOrigin: origin })),
    ).toEqual({
      type: 'webauthn.get',
      challenge: 'c',
      origin,
      crossOrigin: false,
    });
    expect(
      read(
        clientData({
          type: 'webauthn.get',
          challenge: 'c',
          origin,
          topOrigin: 'https://shop.example',
        }),
      ),
    ).toMatchObject({ crossOrigin: true, topOrigin: 'https://shop.example' });
    expect(utf8('x')).toHaveLength(1);
  });
});

describe('the relying-party id rules', () => {
  const ok: Array<[string, string | undefined, string]> = [
    ['https://login.bank.example', undefined, 'login.bank.example'],
    ['https://login.bank.example', 'bank.example', 'bank.example'],
    ['https://login.bank.example', 'login.bank.example', 'login.bank.example'],
    ['https://a.b.example.co.uk', 'example.co.uk', 'example.co.uk'],
    ['https://webauthn.io', 'webauthn.io', 'webauthn.io'],
    ['http://localhost:3000', undefined, 'localhost'],
    ['http://localhost:3000', 'localhost', 'localhost'],
    ['https://127.0.0.1:8443', '127.0.0.1', '127.0.0.1'],
    ['https://Login.Bank.Example', 'BANK.example', 'bank.example'],
  ];
  it.each(ok)('should let %s use rpId %s', (o, rp, expected) => {
    expect(effectiveRpId(o, rp)).toBe(expected);
  });

  const refused: Array<[string, string | undefined]> = [
    ['https://login.bank.example', 'other.example'],
    ['https://login.bank.example', 'example'],
    ['https://bank.example', 'login.bank.example'],
    ['https://a.example.co.uk', 'co.uk'],
    ['https://ana.github.io', 'github.io'],
    ['https://evilbank.example', 'bank.example'],
    ['https://127.0.0.1', '0.0.1'],
    ['http://bank.example', undefined],
    ['http://127.0.0.1:8080', undefined],
    ['ftp://bank.example', undefined],
    ['not a url', undefined],
  ];
  it.each(refused)('should refuse %s naming rpId %s with a SecurityError', (o, rp) => {
    expect(() => effectiveRpId(o, rp)).toThrow(WebAuthnRefusal);
    try {
      effectiveRpId(o, rp);
    } catch (e) {
      expect((e as WebAuthnRefusal).domName).toBe('SecurityError');
    }
  });

  it('should take https anywhere and http only on localhost', () => {
    expect(passkeyHost('https://x.example')).toBe('x.example');
    expect(passkeyHost('http://app.localhost:8080')).toBe('app.localhost');
    expect(() => passkeyHost('http://x.example')).toThrow(/secure/);
  });
});
