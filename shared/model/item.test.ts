import { describe, expect, it } from 'vitest';
import { ModelError, parseRecordBody } from './item.ts';
import { totpCode } from './totp.ts';

const now = '2026-11-22T03:00:00.000Z';

describe('parseRecordBody', () => {
  it('should fill defaults for a minimal login', () => {
    const item = parseRecordBody({ type: 'login', name: 'Bank', createdAt: now, updatedAt: now });
    expect(item).toMatchObject({
      type: 'login',
      username: '',
      password: '',
      uris: [],
      totp: null,
      favorite: false,
      folderId: null,
      passwordHistory: [],
      conflicts: [],
    });
  });

  it('should accept each item type and folders', () => {
    for (const type of ['note', 'card', 'identity', 'folder']) {
      expect(parseRecordBody({ type, name: 'x', createdAt: now, updatedAt: now }).type).toBe(type);
    }
  });

  it('should name each bad field', () => {
    const bad = () =>
      parseRecordBody({
        type: 'login',
        name: '',
        createdAt: now,
        updatedAt: 'yesterday',
        uris: [{ uri: 'https://a.example', match: 'fuzzy' }],
        totp: 'not base32 !',
        extra: 1,
      });
    expect(bad).toThrow(ModelError);
    const message = (() => {
      try {
        bad();
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(message).toMatch(/name: is required/);
    expect(message).toMatch(/updatedAt: must be an ISO-8601 time/);
    expect(message).toMatch(/uris\.0\.match: /);
    expect(message).toMatch(/totp: must be an otpauth/);
    expect(message).toMatch(/extra/);
  });

  it('should refuse an unknown type', () => {
    expect(() => parseRecordBody({ type: 'crypto-wallet', name: 'x' })).toThrow(/type/);
  });
});

describe('totpCode', () => {
  // RFC 6238 appendix B: SHA-1 secret "12345678901234567890", T = 59 s → 94287082 (8 digits).
  it('should match RFC 6238 for an otpauth URI', () => {
    const uri =
      'otpauth://totp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8&period=30&algorithm=SHA1';
    expect(totpCode(uri, 59_000)).toEqual({ code: '94287082', remaining: 1 });
    expect(totpCode(uri, 1_111_111_109_000).code).toBe('07081804');
  });

  it('should accept a bare base32 secret with spaces and lower case', () => {
    const { code } = totpCode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq', 59_000);
    expect(code).toBe('287082');
  });
});
