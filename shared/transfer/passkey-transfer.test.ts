// Website passkeys through other managers' files: Bitwarden JSON's fido2Credentials and CXF's
// passkey credentials, read into keys Cofre signs with (checked by verifying a signature with the
// public half the test kept), written back, and refused by name when they cannot be used.
import { generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromBase64url, toBase64url, utf8 } from '../crypto/bytes.ts';
import { parseRecordBody } from '../model/item.ts';
import { clientData, signAssertion } from '../webauthn/authenticator.ts';
import { toCxf } from './cxf.ts';
import { duplicateKey } from './duplicate-key.ts';
import { toBitwardenJson, toCsv } from './export-items.ts';
import { parseImport } from './parse-import.ts';
import { bitwardenIdToRaw, pkcs8Algorithm, rawToBitwardenId } from './passkey-transfer.ts';

const AT = '2026-11-30T00:00:00.000Z';

function key(kind: 'p256' | 'ed25519' | 'p384' | 'rsa') {
  const pair =
    kind === 'p256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : kind === 'p384'
        ? generateKeyPairSync('ec', { namedCurve: 'P-384' })
        : kind === 'ed25519'
          ? generateKeyPairSync('ed25519')
          : generateKeyPairSync('rsa', { modulusLength: 1024 });
  return {
    pkcs8: pair.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url'),
    publicKey: pair.publicKey,
  };
}

const bitwardenExport = (credentials: unknown[]) =>
  JSON.stringify({
    encrypted: false,
    folders: [],
    items: [
      {
        id: '0b7c2e53-7d4b-4f0e-9d59-0f8a7c0c1a11',
        type: 1,
        name: 'Passkey Site',
        notes: null,
        favorite: false,
        creationDate: AT,
        revisionDate: AT,
        login: {
          uris: [{ uri: 'https://rp.example', match: null }],
          username: 'ana@rp.example',
          password: null,
          totp: null,
          fido2Credentials: credentials,
        },
      },
    ],
  });

describe('website passkeys in export files', () => {
  it('should read Bitwarden’s fido2Credentials into passkeys that still sign for the site', async () => {
    const es = key('p256');
    const ed = key('ed25519');
    const r = await parseImport(
      bitwardenExport([
        {
          credentialId: '3f0b1e4c-8a2d-4c6e-9b1a-5d7e8f901234',
          keyType: 'public-key',
          keyAlgorithm: 'ECDSA',
          keyCurve: 'P-256',
          keyValue: es.pkcs8,
          rpId: 'rp.example',
          userHandle: 'dXNlci0x',
          userName: 'ana@rp.example',
          counter: '7',
          rpName: 'RP',
          userDisplayName: 'Ana',
          discoverable: 'true',
          creationDate: '2025-05-01T10:00:00.000Z',
        },
        {
          credentialId: 'b64.AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8',
          keyType: 'public-key',
          keyAlgorithm: 'EdDSA',
          keyCurve: 'Ed25519',
          keyValue: ed.pkcs8,
          rpId: 'rp.example',
          userHandle: 'dXNlci0y',
          userName: 'bo@rp.example',
          counter: '0',
          discoverable: 'false',
          creationDate: '2025-06-01T10:00:00.000Z',
        },
      ]),
    );
    expect(r.partial).toEqual([]);
    const body = parseRecordBody({ createdAt: AT, updatedAt: AT, ...r.items[0]!.body });
    expect(body.type === 'login' && body.passkeys).toEqual([
      {
        credentialId: toBase64url(
          Uint8Array.from([
            0x3f, 0x0b, 0x1e, 0x4c, 0x8a, 0x2d, 0x4c, 0x6e, 0x9b, 0x1a, 0x5d, 0x7e, 0x8f, 0x90,
            0x12, 0x34,
          ]),
        ),
        rpId: 'rp.example',
        rpName: 'RP',
        userHandle: 'dXNlci0x',
        userName: 'ana@rp.example',
        userDisplayName: 'Ana',
        algorithm: -7,
        privateKey: es.pkcs8,
        counter: 7,
        discoverable: true,
        createdAt: '2025-05-01T10:00:00.000Z',
      },
      expect.objectContaining({
        credentialId: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8',
        algorithm: -8,
        discoverable: false,
        userName: 'bo@rp.example',
      }),
    ]);
    if (body.type !== 'login') throw new Error('not a login');
    // Each imported key signs an assertion that the public half (kept by the "site") verifies.
    for (const [i, pub] of [es.publicKey, ed.publicKey].entries()) {
      const passkey = body.passkeys[i]!;
      const data = clientData({
        type: 'webauthn.get',
        challenge: 'c',
        origin: 'https://rp.example',
        topOrigin: null,
      });
      const signed = await signAssertion(passkey, data, true);
      const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(data)));
      const message = Buffer.concat([signed.authenticatorData, hash]);
      expect(verify(i === 0 ? 'sha256' : null, message, pub, Buffer.from(signed.signature))).toBe(
        true,
      );
      // The counter the file carried is the one the authenticator data states.
      expect(new DataView(signed.authenticatorData.buffer).getUint32(33)).toBe(passkey.counter);
    }
  });

  it('should write passkeys to Bitwarden JSON and CXF and read them back unchanged', async () => {
    const made = parseRecordBody({
      type: 'login',
      name: 'Passkey Site',
      username: 'ana',
      uris: [{ uri: 'https://rp.example' }],
      createdAt: AT,
      updatedAt: AT,
      passkeys: [
        {
          credentialId: toBase64url(crypto.getRandomValues(new Uint8Array(16))),
          rpId: 'rp.example',
          rpName: 'RP',
          userHandle: 'dXNlci0x',
          userName: 'ana',
          userDisplayName: 'Ana',
          algorithm: -7,
          privateKey: key('p256').pkcs8,
          createdAt: AT,
        },
        {
          credentialId: toBase64url(crypto.getRandomValues(new Uint8Array(32))),
          rpId: 'rp.example',
          userHandle: null,
          userName: 'bo',
          algorithm: -8,
          privateKey: key('ed25519').pkcs8,
          createdAt: AT,
        },
      ],
    });
    if (made.type !== 'login') throw new Error('not a login');
    const items = [{ folder: null, body: made as unknown as Record<string, unknown> }];
    // A CSV has no column for them: the export counts what it left out.
    expect(toCsv(items).passkeys).toBe(2);
    const bw = JSON.parse(toBitwardenJson(items));
    const ids = bw.items[0].login.fido2Credentials.map(
      (f: { credentialId: string }) => f.credentialId,
    );
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(ids[1]).toMatch(/^b64\./);
    for (const file of [JSON.stringify(bw), toCxf(items, { email: 'ana@example.com' })]) {
      const back = (await parseImport(file)).items[0]!.body as { passkeys: unknown[] };
      const keys = made.passkeys.map((p) => ({
        credentialId: p.credentialId,
        rpId: p.rpId,
        algorithm: p.algorithm,
        privateKey: p.privateKey,
        userName: p.userName,
      }));
      expect(back.passkeys).toEqual(keys.map((k) => expect.objectContaining(k)));
    }
  });

  it('should name the passkeys it cannot use and still import the login', async () => {
    const r = await parseImport(
      bitwardenExport([
        { credentialId: 'b64.AAAA', keyValue: key('rsa').pkcs8, rpId: 'rp.example' },
        { credentialId: 'b64.AAAB', keyValue: key('p384').pkcs8, rpId: 'rp.example' },
        { credentialId: 'not-a-guid', keyValue: key('p256').pkcs8, rpId: 'rp.example' },
        { credentialId: 'b64.AAAC', keyValue: key('p256').pkcs8 },
        { credentialId: 'b64.AAAD', keyValue: 'not base64!', rpId: 'rp.example' },
      ]),
    );
    expect(r.items).toHaveLength(1);
    expect((r.items[0]!.body as { passkeys?: unknown[] }).passkeys).toBeUndefined();
    expect(r.partial.flatMap((p) => p.reason.split('; '))).toEqual([
      'a passkey for rp.example (a key type Cofre cannot sign with)',
      'a passkey for rp.example (a key type Cofre cannot sign with)',
      'a passkey for rp.example (no usable credential id)',
      'a passkey for ? (no relying party)',
      'a passkey for rp.example (no private key)',
    ]);
  });

  it('should turn GUID ids into their 16 bytes and back, and leave other ids as base64url', () => {
    const guid = '3f0b1e4c-8a2d-4c6e-9b1a-5d7e8f901234';
    const raw = bitwardenIdToRaw(guid)!;
    expect(fromBase64url(raw)).toHaveLength(16);
    expect(rawToBitwardenId(raw)).toBe(guid);
    expect(bitwardenIdToRaw('b64.Y3JlZA')).toBe('Y3JlZA');
    expect(rawToBitwardenId('Y3JlZA')).toBe('b64.Y3JlZA');
    expect(bitwardenIdToRaw('{not-a-guid}')).toBeNull();
    expect(pkcs8Algorithm(utf8('0 not a key'))).toBeNull();
    expect(pkcs8Algorithm(fromBase64url(key('p256').pkcs8))).toBe(-7);
  });

  it('should not take a login whose passkeys differ for a duplicate (skipping it would lose them)', () => {
    const login = (passkeys: unknown[]) =>
      parseRecordBody({
        type: 'login',
        name: 'Passkey Site',
        username: 'ana',
        createdAt: AT,
        updatedAt: AT,
        passkeys,
      });
    const pk = {
      credentialId: 'Y3JlZA',
      rpId: 'rp.example',
      algorithm: -7,
      privateKey: key('p256').pkcs8,
      createdAt: AT,
    };
    expect(duplicateKey(login([pk]))).not.toBe(duplicateKey(login([])));
    expect(duplicateKey(login([pk]))).toBe(duplicateKey(login([{ ...pk, userName: 'other' }])));
  });
});
