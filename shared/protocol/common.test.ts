import { describe, expect, it } from 'vitest';
import { base64url, emailSchema } from './common.ts';

describe('base64url', () => {
  const b32 = base64url({ maxBytes: 32, exactBytes: 32 });
  it('should accept 32 bytes written without padding', () => {
    expect(b32.safeParse(Buffer.alloc(32, 7).toString('base64url')).success).toBe(true);
  });
  it('should reject padding, standard base64 characters and wrong sizes', () => {
    expect(b32.safeParse(`${Buffer.alloc(32).toString('base64url')}=`).success).toBe(false);
    expect(b32.safeParse(Buffer.alloc(32, 0xff).toString('base64')).success).toBe(false);
    expect(b32.safeParse(Buffer.alloc(31).toString('base64url')).success).toBe(false);
    expect(base64url({ maxBytes: 10 }).safeParse('abcde').success).toBe(false);
  });
});

describe('emailSchema', () => {
  it('should normalise case and surrounding spaces', () => {
    expect(emailSchema.parse('  Ana@Example.COM ')).toBe('ana@example.com');
  });
  it('should reject a non-address and an address over 254 characters', () => {
    expect(emailSchema.safeParse('nope').success).toBe(false);
    expect(emailSchema.safeParse(`${'a'.repeat(250)}@b.co`).success).toBe(false);
  });
});
