// The decision table of judge-copy.ts, row by row.
import { describe, expect, it } from 'vitest';
import { toBase64url } from '../crypto/bytes.ts';
import { judgeCopy } from './judge-copy.ts';
import type { RecordState } from './ports.ts';
import type { OpenedCopy } from './record-codec.ts';

const ct = (n: number) => Uint8Array.from({ length: 40 }, (_, i) => (i + n) % 256);
const tag = (n: number) => toBase64url(ct(n).subarray(24));
const opened = (version: number, rev: number, n: number): OpenedCopy => ({
  ok: true,
  opened: { kind: 'item', rev, body: null, checkpoint: null },
  tag: tag(n),
  copy: { version, deleted: false, ct: ct(n), rev, seq: 9 },
});
const wire = (version: number, n: number) => ({ version, deleted: false, ct: toBase64url(ct(n)) });
const holding: Pick<RecordState, 'base' | 'seen'> = {
  base: { version: 5, deleted: false, ct: ct(1), rev: 5, seq: 3 },
  seen: { rev: 5, tag: tag(1) },
};

describe('judgeCopy', () => {
  it('should find the very base the device holds the same, even when it does not open', () => {
    expect(judgeCopy(wire(5, 1), { ok: false, reason: 'RETIRED_KEY' }, holding)).toEqual({
      kind: 'same',
    });
  });
  it('should refuse what did not open, with its reason', () => {
    expect(judgeCopy(wire(6, 2), { ok: false, reason: 'TAMPERED' }, holding)).toEqual({
      kind: 'refuse',
      reason: 'TAMPERED',
    });
  });
  it('should answer an older revision as stale, whatever its version says', () => {
    expect(judgeCopy(wire(9, 2), opened(9, 4, 2), holding)).toEqual({ kind: 'stale' });
  });
  it('should refuse the revision seen with other bytes (a losing edit) as equivocation', () => {
    expect(judgeCopy(wire(5, 2), opened(5, 5, 2), holding)).toEqual({
      kind: 'refuse',
      reason: 'EQUIVOCATION',
    });
  });
  it('should answer the revision seen with other bytes at a lower version as stale (a write of an older history)', () => {
    expect(judgeCopy(wire(1, 2), opened(1, 5, 2), holding)).toEqual({ kind: 'stale' });
  });
  it('should believe a newer revision, even at a lower version (a server that started over)', () => {
    expect(judgeCopy(wire(2, 2), opened(2, 6, 2), holding)).toEqual({ kind: 'newer' });
    expect(judgeCopy(wire(1, 2), opened(1, 1, 2), undefined)).toEqual({ kind: 'newer' });
  });
});
