// The engine's bookkeeping of the set of copies it believes: a set hash of every live one, how
// many there are and the highest seq among them, updated by each commit that changes a base (a
// few microseconds a record), so a checkpoint costs nothing to write or to check.
import { emptySetHash, updateSetHash } from '../crypto/set-hash.ts';
import type { RecordState, ServerCopy, SyncMeta } from './ports.ts';
import { tagOf } from './record-codec.ts';

export const emptyMeta = (): SyncMeta => ({
  setHash: emptySetHash(),
  liveCount: 0,
  maxSeq: 0,
  checkpoints: {},
  integrity: { status: 'unchecked' },
});

const element = (id: string, c: ServerCopy) => `${id}|${c.version}|${tagOf(c.ct)}`;
const live = (c: ServerCopy | null | undefined): c is ServerCopy => !!c && !c.deleted;
const sameCopy = (a: ServerCopy | null | undefined, b: ServerCopy | null | undefined) =>
  a === b ||
  (!!a && !!b && a.version === b.version && a.deleted === b.deleted && tagOf(a.ct) === tagOf(b.ct));

/** `meta` after records went from `before` (by id; absent: new) to `after`. */
export function trackBases(
  meta: SyncMeta,
  before: Map<string, RecordState | undefined>,
  after: RecordState[],
): SyncMeta {
  const added: string[] = [];
  const removed: string[] = [];
  let { liveCount, maxSeq } = meta;
  for (const r of after) {
    const old = before.get(r.id)?.base;
    if (sameCopy(old, r.base)) continue;
    if (live(old)) {
      removed.push(element(r.id, old));
      liveCount--;
    }
    if (live(r.base)) {
      added.push(element(r.id, r.base));
      liveCount++;
    }
    if (r.base) maxSeq = Math.max(maxSeq, r.base.seq);
  }
  if (added.length === 0 && removed.length === 0 && maxSeq === meta.maxSeq) return meta;
  return { ...meta, setHash: updateSetHash(meta.setHash, added, removed), liveCount, maxSeq };
}

/** The bookkeeping of a store from scratch (a store written before it existed). */
export function metaOf(states: RecordState[]): SyncMeta {
  return trackBases(emptyMeta(), new Map(), states);
}
