import { describe, expect, it } from 'vitest';
import {
  fromBase64,
  fromBase64url,
  fromBase64urlLoop,
  toBase64,
  toBase64url,
  toBase64urlLoop,
} from './bytes.ts';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('base64url', () => {
  // RFC 4648 §10, in the URL alphabet without padding.
  const vectors: Array<[string, string]> = [
    ['', ''],
    ['f', 'Zg'],
    ['fo', 'Zm8'],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg'],
    ['fooba', 'Zm9vYmE'],
    ['foobar', 'Zm9vYmFy'],
  ];

  it('should encode and decode the RFC 4648 vectors, by hand and with the engine’s own', () => {
    for (const [plain, encoded] of vectors) {
      expect(toBase64urlLoop(ascii(plain))).toBe(encoded);
      expect(toBase64url(ascii(plain))).toBe(encoded);
      expect(fromBase64urlLoop(encoded)).toEqual(ascii(plain));
      expect(fromBase64url(encoded)).toEqual(ascii(plain));
    }
  });

  it('should give the same answers both ways for every length and byte value', () => {
    for (let n = 0; n < 260; n++) {
      const b = crypto.getRandomValues(new Uint8Array(n));
      if (n < 256) b[0] = n; // every byte value appears somewhere
      const s = toBase64url(b);
      expect(s).toBe(toBase64urlLoop(b));
      expect(s).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(fromBase64url(s)).toEqual(b);
      expect(fromBase64urlLoop(s)).toEqual(b);
    }
    // The URL alphabet's own characters (62 and 63), and a view into a larger buffer.
    const big = new Uint8Array([0, 0xfb, 0xff, 0xbf, 9]);
    expect(toBase64url(big.subarray(1, 4))).toBe('-_-_');
  });

  it('should refuse what is not unpadded base64url, whichever decoder runs', () => {
    for (const bad of ['Zg==', 'Zm9v\n', 'Zm 9v', 'Zm+v', 'Zm/v', 'Z', 'Zm9vY', 'Zm9v!'])
      expect(() => fromBase64url(bad), bad).toThrow('not base64url');
  });

  it('should read and write standard base64 with padding, as other tools’ files have it', () => {
    expect(toBase64(new Uint8Array([0xfb, 0xff]))).toBe('+/8=');
    expect(fromBase64('+/8=')).toEqual(new Uint8Array([0xfb, 0xff]));
    expect(() => fromBase64('-_8=')).toThrow('not base64');
  });
});
