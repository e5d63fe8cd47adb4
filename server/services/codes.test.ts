import { describe, expect, it } from 'vitest';
import { newCode, normaliseCode } from './codes.ts';

describe('codes people type', () => {
  it('should make 160 bits as eight groups of four and 80 bits as four', () => {
    expect(newCode(20)).toMatch(/^([A-HJKMNP-TV-Z0-9]{4}-){7}[A-HJKMNP-TV-Z0-9]{4}$/);
    expect(newCode(10)).toMatch(/^([A-HJKMNP-TV-Z0-9]{4}-){3}[A-HJKMNP-TV-Z0-9]{4}$/);
  });

  it('should use every letter of the alphabet about equally (no bias from the bit packing)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++)
      for (const c of newCode(20).replaceAll('-', '')) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(32);
    const expected = (2000 * 32) / 32;
    for (const n of counts.values()) expect(Math.abs(n - expected) / expected).toBeLessThan(0.1);
  });

  it('should read a code back as typed: lower case, spaces, no dashes, O for 0, I or L for 1', () => {
    const code = 'AB01-CD1E-FG0H-JK1M';
    expect(normaliseCode('ab0i cdle fgoh jk1m')).toBe(code);
    expect(normaliseCode('AB01CD1EFG0HJK1M')).toBe(code);
    expect(normaliseCode(` ${code} `)).toBe(code);
  });
});
