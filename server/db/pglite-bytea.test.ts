import { types } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { parseBytea, serializeBytea } from './pglite-bytea.ts';

describe("PGlite's bytea codec", () => {
  const samples = [
    new Uint8Array(0),
    Uint8Array.of(0),
    Uint8Array.from({ length: 256 }, (_, i) => i),
    Uint8Array.from({ length: 4_099 }, (_, i) => (i * 131 + 7) % 256),
  ];

  it("should read and write what PGlite's own codec does, for every byte value and length", () => {
    for (const bytes of samples) {
      const text = types.serializers[types.BYTEA]!(bytes);
      expect(serializeBytea(bytes)).toBe(text);
      expect(new Uint8Array(parseBytea(text))).toEqual(
        types.parsers[types.BYTEA]!(text, types.BYTEA),
      );
      // A view into a larger buffer writes only its own bytes.
      const inner = new Uint8Array([9, ...bytes, 9]).subarray(1, bytes.length + 1);
      expect(serializeBytea(inner)).toBe(text);
    }
    expect(() => serializeBytea('not bytes')).toThrow('Invalid input for bytea type');
  });
});
