import { describe, expect, it } from 'vitest';
import type { PushItem } from '../../shared/protocol/sync.ts';
import { decidePush, type StoredRecord } from './decide-push.ts';

const id = '6f1c3a52-2a8e-4b8e-9d1c-3b0f6f2c9a10';
const ct = (n: number) => Buffer.alloc(8, n).toString('base64url');
const item = (o: Partial<PushItem> = {}): PushItem => ({
  id,
  baseVersion: 0,
  deleted: false,
  ct: ct(1),
  ...o,
});
const stored = (o: Partial<StoredRecord> = {}): StoredRecord => ({
  id,
  version: 3,
  seq: 9,
  deleted: false,
  ct: new Uint8Array(Buffer.alloc(8, 1)),
  updatedAt: new Date(0),
  ...o,
});

describe('decidePush', () => {
  it('should create version 1 when the record is new and baseVersion is 0', () => {
    expect(decidePush(item(), undefined)).toMatchObject({ kind: 'write', version: 1 });
  });

  it('should report a missing record as a conflict when baseVersion > 0', () => {
    expect(decidePush(item({ baseVersion: 2 }), undefined)).toEqual({
      kind: 'conflict',
      id,
      stored: null,
    });
  });

  it('should write baseVersion + 1 when the stored version equals baseVersion', () => {
    expect(decidePush(item({ baseVersion: 3, ct: ct(2) }), stored())).toMatchObject({
      kind: 'write',
      version: 4,
    });
  });

  it('should count a retry of exactly the stored content as applied', () => {
    expect(decidePush(item({ baseVersion: 2 }), stored())).toMatchObject({ kind: 'same' });
    expect(
      decidePush(
        item({ baseVersion: 2, deleted: true, ct: null }),
        stored({ deleted: true, ct: null }),
      ),
    ).toMatchObject({ kind: 'same' });
  });

  it('should return the stored record when the base is stale and the content differs', () => {
    expect(decidePush(item({ baseVersion: 2, ct: ct(5) }), stored())).toMatchObject({
      kind: 'conflict',
      stored: { version: 3 },
    });
    expect(decidePush(item({ baseVersion: 1 }), stored())).toMatchObject({ kind: 'conflict' });
    expect(decidePush(item({ baseVersion: 0 }), stored())).toMatchObject({ kind: 'conflict' });
  });
});
