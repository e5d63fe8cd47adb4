// An in-memory LocalStore: the reference implementation of the contract and the store of
// simulated devices in tests. It copies on the way in and out, as IndexedDB would.
import type { LocalStore, QuarantineEntry, RecordState, StoreCommit, SyncMeta } from './ports.ts';

const copy = <T>(r: T): T => structuredClone(r);

export function createMemoryStore(): LocalStore {
  const records = new Map<string, RecordState>();
  const quarantine = new Map<string, QuarantineEntry>();
  let cursor = 0;
  let meta: SyncMeta | null = null;
  return {
    async get(id) {
      const r = records.get(id);
      return r && copy(r);
    },
    async getMany(ids) {
      return ids.map((id) => {
        const r = records.get(id);
        return r && copy(r);
      });
    },
    async all() {
      return [...records.values()].map(copy);
    },
    async outbox() {
      return [...records.values()].filter((r) => r.pending).map(copy);
    },
    async isEmpty() {
      return records.size === 0;
    },
    async cursor() {
      return cursor;
    },
    async meta() {
      return meta && copy(meta);
    },
    async quarantined() {
      return [...quarantine.values()].map(copy);
    },
    async commit(change: StoreCommit) {
      // Copy everything first: a value that cannot be stored fails the commit before any write.
      const put = (change.put ?? []).map(copy);
      const nextMeta = change.meta && copy(change.meta);
      const held = (change.quarantine?.put ?? []).map(copy);
      for (const r of put) records.set(r.id, r);
      for (const id of change.delete ?? []) records.delete(id);
      if (change.cursor !== undefined) cursor = change.cursor;
      if (nextMeta) meta = nextMeta;
      for (const id of change.quarantine?.delete ?? []) quarantine.delete(id);
      for (const q of held) quarantine.set(q.id, q);
    },
  };
}
