// A record's stamp: which exact ciphertext it currently reads from (its pending edit, else its
// server copy), named by the GCM tag (unique per encryption). The index keeps one per entry and
// the store logs each commit's (dexie-store.ts), so a reconcile compares stamps instead of
// reading ciphertexts.
import type { RecordState } from '../../shared/sync/ports.ts';
import { tagOf } from '../../shared/sync/record-codec.ts';

export { tagOf };

export function stampOf(r: Pick<RecordState, 'base' | 'pending'>): string {
  const copy = r.pending ?? r.base;
  if (!copy) return '';
  return `${r.pending ? 'p' : 'b'}${copy.deleted ? 'd' : ''}${tagOf(copy.ct)}`;
}
