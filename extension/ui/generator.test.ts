import { describe, expect, it } from 'vitest';
import { generatePassphrase, generatePassword, randomBelow } from './generator.ts';

const all = { lower: true, upper: true, digits: true, symbols: true, avoidAmbiguous: false };

describe('generatePassword', () => {
  it('should give the asked length with one of each chosen kind', () => {
    for (let i = 0; i < 200; i++) {
      const { value, bits } = generatePassword({ ...all, length: 12 });
      expect(value).toHaveLength(12);
      expect(value).toMatch(/[a-z]/);
      expect(value).toMatch(/[A-Z]/);
      expect(value).toMatch(/\d/);
      expect(value).toMatch(/[^a-zA-Z0-9]/);
      expect(bits).toBe(Math.floor(12 * Math.log2(26 + 26 + 10 + 24)));
    }
  });

  it('should leave out ambiguous characters when asked', () => {
    const { value } = generatePassword({
      ...all,
      symbols: false,
      avoidAmbiguous: true,
      length: 500,
    });
    expect(value).not.toMatch(/[Il1O0o]/);
  });

  it('should refuse when no kind of character is chosen', () => {
    expect(() =>
      generatePassword({
        lower: false,
        upper: false,
        digits: false,
        symbols: false,
        avoidAmbiguous: false,
        length: 10,
      }),
    ).toThrow(RangeError);
  });
});

describe('randomBelow', () => {
  it('should hit every value of a small range about equally (no modulo bias)', () => {
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[randomBelow(6)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(600); // > 6 sigma
  });
});

describe('generatePassphrase', () => {
  const words = Array.from({ length: 8_192 }, (_, i) => `w${i.toString(36)}`);
  it('should join the asked number of words and count their entropy', () => {
    const { value, bits } = generatePassphrase(words, {
      words: 5,
      separator: '-',
      capitalize: false,
      number: false,
    });
    expect(value.split('-')).toHaveLength(5);
    expect(bits).toBe(65);
  });
  it('should refuse a word list too short to be safe', () => {
    expect(() =>
      generatePassphrase(['a', 'b'], {
        words: 5,
        separator: '-',
        capitalize: false,
        number: false,
      }),
    ).toThrow(RangeError);
  });
});
