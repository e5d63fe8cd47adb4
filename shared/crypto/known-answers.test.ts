// Known-answer vectors: Argon2id (phc-winner-argon2 reference suite; RFC 9106's own vector
// needs associated data, which hash-wasm does not take), HKDF (RFC 5869 A.1, A.3) and
// AES-256-GCM (McGrew & Viega test cases 14 and 16), through Cofre's own functions.
import { describe, expect, it } from 'vitest';
import { utf8 } from './bytes.ts';
import { argon2idOf, deriveMasterKey, hkdf } from './derive-keys.ts';
import { gcmDecrypt, gcmEncrypt, importAesKey } from './envelope.ts';
import { CryptoError } from './errors.ts';

const hex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
const toHex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

describe('Argon2id', () => {
  it('should match the reference vector m=64 MiB, t=2, p=1', async () => {
    // Below Cofre's floor (t = 2), so through the function deriveMasterKey runs after its check.
    const key = await argon2idOf('password', utf8('somesalt'), {
      alg: 'argon2id',
      m: 65536,
      t: 2,
      p: 1,
    });
    expect(toHex(key)).toBe('09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7');
  });

  it('should refuse the reference vectors below the floor (m=256 KiB) instead of computing them', async () => {
    await expect(
      deriveMasterKey('password', utf8('somesalt'), { alg: 'argon2id', m: 256, t: 2, p: 1 }),
    ).rejects.toMatchObject({ code: 'KDF_TOO_WEAK' });
  });

  it('should normalise the password to NFKC first', async () => {
    const kdf = { alg: 'argon2id' as const, m: 19456, t: 2, p: 1 };
    const salt = utf8('saltsaltsaltsalt');
    // "é" precomposed and as e + combining acute accent.
    const a = await argon2idOf('caf\u00e9', salt, kdf);
    const b = await argon2idOf('cafe\u0301', salt, kdf);
    expect(toHex(a)).toBe(toHex(b));
  });
});

describe('HKDF-SHA256', () => {
  it('should match RFC 5869 test case 1', async () => {
    const okm = await hkdf(
      new Uint8Array(22).fill(0x0b),
      hex('f0f1f2f3f4f5f6f7f8f9'),
      42,
      hex('000102030405060708090a0b0c'),
    );
    expect(toHex(okm)).toBe(
      '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
    );
  });

  it('should match RFC 5869 test case 3 (no salt, no info)', async () => {
    const okm = await hkdf(new Uint8Array(22).fill(0x0b), new Uint8Array(0), 42);
    expect(toHex(okm)).toBe(
      '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
    );
  });
});

describe('AES-256-GCM', () => {
  const tc16 = {
    key: 'feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308',
    nonce: 'cafebabefacedbaddecaf888',
    pt: 'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39',
    aad: 'feedfacedeadbeeffeedfacedeadbeefabaddad2',
    ct: '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662',
    tag: '76fc6ece0f4e1768cddf8853bb2d551b',
  };

  it('should match test case 14 (zero key, zero nonce, one zero block)', async () => {
    const key = await importAesKey(new Uint8Array(32));
    const out = await gcmEncrypt(key, new Uint8Array(12), new Uint8Array(16), new Uint8Array(0));
    expect(toHex(out)).toBe(
      'cea7403d4d606b6e074ec5d3baf39d18' + 'd0d1c8a799996bf0265b98b5d48ab919',
    );
  });

  it('should match test case 16 (with associated data) both ways', async () => {
    const key = await importAesKey(hex(tc16.key));
    const out = await gcmEncrypt(key, hex(tc16.nonce), hex(tc16.pt), hex(tc16.aad));
    expect(toHex(out)).toBe(tc16.ct + tc16.tag);
    expect(toHex(await gcmDecrypt(key, hex(tc16.nonce), out, hex(tc16.aad)))).toBe(tc16.pt);
  });

  it.each([
    ['a flipped tag bit', (v: typeof tc16) => ({ ...v, tag: `77${v.tag.slice(2)}` })],
    ['a flipped ciphertext bit', (v: typeof tc16) => ({ ...v, ct: `532d${v.ct.slice(4)}` })],
    ['other associated data', (v: typeof tc16) => ({ ...v, aad: `00${v.aad.slice(2)}` })],
    ['another nonce', (v: typeof tc16) => ({ ...v, nonce: `cbfebabefacedbaddecaf888` })],
    ['a truncated tag', (v: typeof tc16) => ({ ...v, tag: v.tag.slice(0, 24) })],
  ])('should reject test case 16 with %s', async (_name, mutate) => {
    const v = mutate(tc16);
    const key = await importAesKey(hex(v.key));
    const error = await gcmDecrypt(key, hex(v.nonce), hex(v.ct + v.tag), hex(v.aad)).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(CryptoError);
    expect(error.code).toBe('DECRYPT_FAILED');
  });
});
