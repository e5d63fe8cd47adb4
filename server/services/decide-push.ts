// The compare-and-swap decision for one pushed item against what the server stores.
//
// | stored                         | item                                   | decision            |
// | ------------------------------ | -------------------------------------- | ------------------- |
// | none                           | baseVersion 0                          | write version 1     |
// | none                           | baseVersion > 0                        | conflict (missing)  |
// | version == baseVersion         | any                                    | write base + 1      |
// | version == baseVersion + 1,    | same deleted flag and same ct bytes    | same (a retry: the  |
// |   written by this content      |                                        | stored copy counts) |
// | anything else                  |                                        | conflict (stored)   |
import type { PushItem } from '../../shared/protocol/sync.ts';
import { bytesEqual, fromB64 } from './bytes.ts';

export interface StoredRecord {
  id: string;
  version: number;
  seq: number;
  deleted: boolean;
  ct: Uint8Array | null;
  updatedAt: Date;
}

export type PushDecision =
  | { kind: 'write'; id: string; version: number; deleted: boolean; ct: Uint8Array | null }
  | { kind: 'same'; stored: StoredRecord }
  | { kind: 'conflict'; id: string; stored: StoredRecord | null };

export function decidePush(item: PushItem, stored: StoredRecord | undefined): PushDecision {
  const ct = item.ct === null ? null : fromB64(item.ct);
  if (!stored) {
    return item.baseVersion === 0
      ? { kind: 'write', id: item.id, version: 1, deleted: item.deleted, ct }
      : { kind: 'conflict', id: item.id, stored: null };
  }
  if (stored.version === item.baseVersion) {
    return { kind: 'write', id: item.id, version: item.baseVersion + 1, deleted: item.deleted, ct };
  }
  if (
    stored.version === item.baseVersion + 1 &&
    stored.deleted === item.deleted &&
    bytesEqual(stored.ct, ct)
  ) {
    return { kind: 'same', stored };
  }
  return { kind: 'conflict', id: item.id, stored };
}
