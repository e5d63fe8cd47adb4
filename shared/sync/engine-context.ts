// What the engine's parts (push, pull, reset, checkpoint) share: the ports, the codec, the lock,
// and one way to commit that keeps the bookkeeping (vault-set.ts) in the same transaction as the
// records it describes.
import { loadSetHash } from '../crypto/set-hash.ts';
import type { LocalStore, RecordState, StoreCommit, SyncMeta, Transport } from './ports.ts';
import type { RecordCodec } from './record-codec.ts';
import type { SyncReport } from './sync-report.ts';
import { emptyMeta, metaOf, trackBases } from './vault-set.ts';

export interface EngineContext {
  store: LocalStore;
  transport: Transport;
  codec: RecordCodec;
  userId: string;
  deviceId: string;
  /** The shared vault this engine syncs (its records carry the id on the wire); absent: personal. */
  vaultId?: string;
  /** The generation of the account key this engine seals with. */
  keyGeneration: number;
  now(): string;
  pageSize: number;
  /** Short read-modify-write sections of the store run one at a time (never a network call). */
  locked<T>(fn: () => Promise<T>): Promise<T>;
  meta(): Promise<SyncMeta>;
  /**
   * Commits `put` (records that were `before`), the quarantine, the cursor and the meta (with
   * `updateMeta` applied after the bases are tracked), in one transaction.
   */
  commit(change: CommitChange): Promise<void>;
  /** Told after each pulled page is stored. */
  onProgress?: (report: SyncReport) => void;
  /** How many local saves have started (unchanged: none came between two readings). */
  saves?: () => number;
}

export interface CommitChange extends Omit<StoreCommit, 'meta'> {
  before?: Map<string, RecordState | undefined>;
  updateMeta?: (meta: SyncMeta) => SyncMeta;
}

export function createQueue() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => {});
    return run;
  };
}

/** The meta, loaded once (from scratch for a store that has records and no meta yet). */
export function createMetaKeeper(store: LocalStore) {
  let meta: SyncMeta | null = null;
  let stored = false;
  return {
    async get(): Promise<SyncMeta> {
      if (meta) return meta;
      const saved = await store.meta();
      stored = saved !== null;
      let loaded: SyncMeta;
      if (saved) loaded = saved;
      else {
        const all = await store.all();
        if (all.length) await loadSetHash();
        loaded = all.length ? metaOf(all) : emptyMeta();
      }
      meta = loaded;
      return loaded;
    },
    async commit(change: CommitChange) {
      const { before, updateMeta, ...rest } = change;
      let next = await this.get();
      if (change.put?.length) {
        if (!before) throw new Error('commit: the states before are needed to track the bases.');
        // The hasher (WebAssembly) loads at the first commit that needs it, not at unlock.
        await loadSetHash();
        next = trackBases(next, before, change.put);
      }
      if (updateMeta) next = updateMeta(next);
      const write = next !== meta || !stored;
      await store.commit({ ...rest, ...(write ? { meta: next } : {}) });
      meta = next;
      stored ||= write;
    },
  };
}
