import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { isValidTotp, totpCode, truncatedHmac } from './totp.ts';

const SECRET = 'JBSWY3DPEHPK3PXP';

describe('TOTP codes', () => {
  it('should make RFC 6238 codes from a base32 secret and an otpauth URI alike', () => {
    const at = Date.UTC(2026, 11, 2, 8, 0, 15);
    const expected = new TOTP({ secret: Secret.fromBase32(SECRET) }).generate({ timestamp: at });
    expect(totpCode(SECRET, at)).toEqual({ code: expected, remaining: 15 });
    expect(totpCode(`otpauth://totp/x?secret=${SECRET}`, at).code).toBe(expected);
  });

  it('should truncate the HMAC as RFC 4226 does (the 6 digits otpauth shows are its end)', () => {
    const bytes = Secret.fromBase32(SECRET).bytes;
    for (const step of [0, 1, 59_000_000, 59_000_001]) {
      const six = new TOTP({ secret: Secret.fromBase32(SECRET) }).generate({
        timestamp: step * 30_000,
      });
      expect(String(truncatedHmac(bytes, step) % 1_000_000).padStart(6, '0')).toBe(six);
    }
  });

  it('should make Steam Guard codes: 5 characters of Steam’s alphabet, a new one every 30 s', () => {
    const steam = `steam://${SECRET}`;
    expect(isValidTotp(steam)).toBe(true);
    expect(isValidTotp('steam://not base32!')).toBe(false);
    const at = Date.UTC(2026, 11, 2, 8, 0, 0);
    const { code, remaining } = totpCode(steam, at);
    expect(code).toMatch(/^[23456789BCDFGHJKMNPQRTVWXY]{5}$/);
    expect(remaining).toBe(30);
    // The same 31-bit number, written in base 26 of that alphabet (least significant first).
    let n = truncatedHmac(Secret.fromBase32(SECRET).bytes, Math.floor(at / 30_000));
    let manual = '';
    for (let i = 0; i < 5; i++, n = Math.floor(n / 26))
      manual += '23456789BCDFGHJKMNPQRTVWXY'[n % 26];
    expect(code).toBe(manual);
    expect(totpCode(steam, at + 30_000).code).not.toBe(code);
  });
});
