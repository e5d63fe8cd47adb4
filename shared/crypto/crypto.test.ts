// Round trips and tampering: every byte of a record ciphertext and every part of its
// associated data is load-bearing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  importAccountKey,
  newAccountKey,
  unwrapAccountKeyWithPassword,
  unwrapAccountKeyWithPin,
  unwrapAccountKeyWithPrf,
  wrapAccountKeyWithPassword,
  wrapAccountKeyWithPin,
  wrapAccountKeyWithPrf,
} from './account-key.ts';
import { fromUtf8, randomBytes, utf8 } from './bytes.ts';
import { deriveMasterKey, derivePasswordKeys, derivePinKey, derivePrfKey } from './derive-keys.ts';
import { open, seal } from './envelope.ts';
import { CryptoError } from './errors.ts';
import { assertKdfAllowed } from './kdf-policy.ts';
import { decryptRecord, encryptRecord } from './record-cipher.ts';

const kdf = { alg: 'argon2id' as const, m: 65536, t: 3, p: 1 };
const place = (o: Record<string, unknown> = {}) => ({
  userId,
  email: 'ana@example.com',
  generation: 1,
  kdf,
  ...o,
});
const userId = '0b8e6a56-9a1f-4e55-8d0e-5b7a3f1c2d11';
const recordId = '5d2f0e8a-1c3b-4a7d-9e6f-2a1b3c4d5e6f';

const expectCryptoError = async (p: Promise<unknown>, code?: string) => {
  const error = await p.then(
    () => undefined,
    (e) => e,
  );
  expect(error).toBeInstanceOf(CryptoError);
  if (code) expect(error.code).toBe(code);
};

describe('password keys', () => {
  it('should derive a stable authKey and a wrapKey that opens the account key', async () => {
    const salt = randomBytes(16);
    const master = await deriveMasterKey('correct horse', salt, kdf);
    const { authKey, wrapKey } = await derivePasswordKeys(master);
    const again = await derivePasswordKeys(await deriveMasterKey('correct horse', salt, kdf));
    expect(authKey).toEqual(again.authKey);
    expect(authKey).not.toEqual(master);
    const accountKey = newAccountKey();
    const wrapped = await wrapAccountKeyWithPassword(accountKey, wrapKey, place());
    expect(await unwrapAccountKeyWithPassword(wrapped, again.wrapKey, place())).toEqual(accountKey);
    // The email is normalised as the server stores it.
    expect(
      await unwrapAccountKeyWithPassword(wrapped, wrapKey, place({ email: ' Ana@Example.com ' })),
    ).toEqual(accountKey);
    // A wrong password, another user, another email (an account with the same password), another
    // generation (an older key's wrap) or other KDF parameters fail with the typed error.
    const wrong = await derivePasswordKeys(await deriveMasterKey('wrong horse', salt, kdf));
    await expectCryptoError(
      unwrapAccountKeyWithPassword(wrapped, wrong.wrapKey, place()),
      'DECRYPT_FAILED',
    );
    for (const other of [
      { userId: '11111111-1111-4111-8111-111111111111' },
      { email: 'juan@example.com' },
      { generation: 2 },
      { kdf: { ...kdf, t: 4 } },
    ])
      await expectCryptoError(
        unwrapAccountKeyWithPassword(wrapped, wrapKey, place(other)),
        'DECRYPT_FAILED',
      );
  });

  it('should refuse weak or downgraded KDF parameters before deriving anything', async () => {
    // The floor is the weakest setting Cofre makes: 64 MiB, 3 passes.
    expect(() => assertKdfAllowed({ ...kdf, m: 65535 })).toThrow(CryptoError);
    expect(() => assertKdfAllowed({ ...kdf, m: 19456, t: 2 })).toThrow(/below the minimum/);
    expect(() => assertKdfAllowed({ ...kdf, t: 2 })).toThrow(/below the minimum/);
    expect(() => assertKdfAllowed(kdf, { ...kdf, m: 131072 })).toThrow(/weaker than before/);
    expect(() => assertKdfAllowed({ ...kdf, m: 131072, t: 4 }, kdf)).not.toThrow();
    await expectCryptoError(
      deriveMasterKey('pw', randomBytes(16), kdf, { ...kdf, t: 4 }),
      'KDF_DOWNGRADE',
    );
  });

  it('should refuse parameters beyond the ceiling (a denial of service) before deriving anything', async () => {
    for (const costly of [
      { ...kdf, m: 1_048_577 },
      { ...kdf, t: 17 },
      { ...kdf, p: 17 },
      { ...kdf, m: 1_048_576, t: 3 },
      { ...kdf, m: 1_048_576, t: 64 },
    ])
      expect(() => assertKdfAllowed(costly)).toThrow(
        expect.objectContaining({ code: 'KDF_TOO_COSTLY' }),
      );
    // The strongest setting a person can pick stays within it.
    expect(() => assertKdfAllowed({ alg: 'argon2id', m: 262_144, t: 4, p: 4 })).not.toThrow();
    await expectCryptoError(
      deriveMasterKey('pw', randomBytes(16), { ...kdf, m: 1_048_576, t: 64 }),
      'KDF_TOO_COSTLY',
    );
  });
});

describe('passkey PRF and PIN wraps', () => {
  it('should wrap the account key by PRF output, bound to user and credential', async () => {
    const prf = randomBytes(32);
    const accountKey = newAccountKey();
    const at = { userId, credentialId: 'cred-1', generation: 2 };
    const wrapped = await wrapAccountKeyWithPrf(accountKey, await derivePrfKey(prf), at);
    expect(await unwrapAccountKeyWithPrf(wrapped, await derivePrfKey(prf), at)).toEqual(accountKey);
    for (const other of [{ credentialId: 'cred-2' }, { generation: 1 }])
      await expectCryptoError(
        unwrapAccountKeyWithPrf(wrapped, await derivePrfKey(prf), { ...at, ...other }),
        'DECRYPT_FAILED',
      );
    await expectCryptoError(
      unwrapAccountKeyWithPrf(wrapped, await derivePrfKey(randomBytes(32)), at),
    );
  });

  it('should wrap the account key by PIN, bound to the device', async () => {
    const salt = randomBytes(16);
    const accountKey = newAccountKey();
    const wrapped = await wrapAccountKeyWithPin(
      accountKey,
      await derivePinKey('4711', salt),
      'device-a',
    );
    expect(
      await unwrapAccountKeyWithPin(wrapped, await derivePinKey('4711', salt), 'device-a'),
    ).toEqual(accountKey);
    await expectCryptoError(
      unwrapAccountKeyWithPin(wrapped, await derivePinKey('4712', salt), 'device-a'),
    );
    await expectCryptoError(
      unwrapAccountKeyWithPin(wrapped, await derivePinKey('4711', salt), 'device-b'),
    );
  });
});

describe('envelope', () => {
  it('should refuse other versions and algorithms with no fallback', async () => {
    const key = await importAccountKey(newAccountKey());
    const env = await seal(key, utf8('hello'), 'ad');
    expect(fromUtf8(await open(key, env, 'ad'))).toBe('hello');
    await expectCryptoError(
      open(key, Uint8Array.of(2, ...env.subarray(1)), 'ad'),
      'UNSUPPORTED_VERSION',
    );
    await expectCryptoError(
      open(key, Uint8Array.of(0, ...env.subarray(1)), 'ad'),
      'UNSUPPORTED_VERSION',
    );
    await expectCryptoError(
      open(key, Uint8Array.of(1, 2, ...env.subarray(2)), 'ad'),
      'UNSUPPORTED_ALGORITHM',
    );
    await expectCryptoError(open(key, env.subarray(0, 20), 'ad'), 'MALFORMED');
  });
});

describe('record ciphertext', () => {
  it('should round-trip and use a fresh nonce and item key each time', async () => {
    const key = await importAccountKey(newAccountKey());
    const place = { userId, recordId, version: 3 };
    const a = await encryptRecord(key, place, utf8('{"name":"bank"}'));
    const b = await encryptRecord(key, place, utf8('{"name":"bank"}'));
    expect(a).not.toEqual(b);
    expect(fromUtf8(await decryptRecord(key, place, a))).toBe('{"name":"bank"}');
  });

  it('should fail with a CryptoError when any single byte is changed', async () => {
    const key = await importAccountKey(newAccountKey());
    const place = { userId, recordId, version: 7 };
    const ct = await encryptRecord(key, place, utf8('secret body'));
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: ct.byteLength - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (at, xor) => {
          const tampered = ct.slice();
          tampered[at]! ^= xor;
          await expectCryptoError(decryptRecord(key, place, tampered));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('should fail when opened as another user, record, version or with another account key', async () => {
    const key = await importAccountKey(newAccountKey());
    const place = { userId, recordId, version: 2 };
    const ct = await encryptRecord(key, place, utf8('x'));
    for (const other of [
      { ...place, userId: '11111111-1111-4111-8111-111111111111' },
      { ...place, recordId: '22222222-2222-4222-8222-222222222222' },
      { ...place, version: 1 },
      { ...place, version: 3 },
    ]) {
      await expectCryptoError(decryptRecord(key, other, ct), 'DECRYPT_FAILED');
    }
    await expectCryptoError(
      decryptRecord(await importAccountKey(newAccountKey()), place, ct),
      'DECRYPT_FAILED',
    );
    await expectCryptoError(decryptRecord(key, place, ct.subarray(0, 70)), 'MALFORMED');
  });
});
