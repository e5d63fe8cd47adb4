import { describe, expect, it } from 'vitest';
import { utf8 } from '../crypto/bytes.ts';
import { decodeFrame, encodeFrame, paddedLength } from './record-frame.ts';

describe('record frame', () => {
  it('should round-trip kind, revision and payload, padded to a bucket', () => {
    const payload = utf8('{"type":"login","name":"Bank"}');
    const frame = encodeFrame({ kind: 'item', rev: 42, payload });
    expect(frame.byteLength).toBe(256);
    expect(decodeFrame(frame, 'id')).toEqual({ kind: 'item', rev: 42, payload });
  });

  it('should hide small changes of length: every size in a bucket gives one length', () => {
    const sizes = new Set<number>();
    for (let n = 300; n < 500; n++)
      sizes.add(encodeFrame({ kind: 'item', rev: 1, payload: new Uint8Array(n) }).byteLength);
    expect([...sizes].sort()).toEqual([512]);
    // Large records: at most ~12 % overhead, never less than the frame.
    for (const n of [4_097, 10_000, 65_000]) {
      expect(paddedLength(n)).toBeGreaterThanOrEqual(n);
      expect(paddedLength(n)).toBeLessThanOrEqual(n * 1.12);
    }
  });

  it('should refuse what is not a frame: another format, kind, length or non-zero padding', () => {
    const good = encodeFrame({ kind: 'item', rev: 1, payload: utf8('{}') });
    const bad = (edit: (b: Uint8Array) => void) => {
      const b = good.slice();
      edit(b);
      return () => decodeFrame(b, 'r');
    };
    expect(bad((b) => (b[0] = 1))).toThrow(/format/);
    expect(bad((b) => (b[1] = 9))).toThrow(/kind/);
    expect(bad((b) => (b[9] = 255))).toThrow(/length/);
    expect(bad((b) => (b[200] = 1))).toThrow(/padding/);
    expect(bad((b) => new DataView(b.buffer).setUint32(2, 0))).toThrow(/length/);
    expect(() => decodeFrame(utf8('{"type":"login"}'), 'r')).toThrow(/format/);
  });

  it('should make tombstones all alike (no padding, no payload)', () => {
    expect(encodeFrame({ kind: 'tombstone', rev: 7, payload: new Uint8Array(0) }).byteLength).toBe(
      10,
    );
    expect(() => encodeFrame({ kind: 'item', rev: 0, payload: new Uint8Array(0) })).toThrow(
      RangeError,
    );
  });
});
