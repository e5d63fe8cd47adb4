// The decrypted item index in worker memory (DESIGN §5) and its sealed packed copy in IndexedDB.
// Unlock opens the packs (a few sealed chunks instead of one decryption per record) and the
// vault is searchable at once; a reconcile then checks every record's stamp against the store
// and decrypts only what changed since the packs were written (edits, pulls, a killed worker).
//
// The packs come in two tiers. The first holds what lists, search and site matching read: each
// item's summary (positions, not key names), and the whole body of the few records that are not
// items (folders, settings, contacts). It is all an unlock reads before the vault is searchable.
// The second holds the items' bodies, read just after (`loadBodies`); anything that reads a
// body waits for it through the session's `current()`.

import { localAd } from '../../shared/crypto/associated-data.ts';
import { fromUtf8, utf8 } from '../../shared/crypto/bytes.ts';
import { open, seal } from '../../shared/crypto/envelope.ts';
import type { RecordBody } from '../../shared/model/item.ts';
import type { RecordState } from '../../shared/sync/ports.ts';
import { createRecordCodec } from '../../shared/sync/record-codec.ts';
import type { createDexieStore } from './dexie-store.ts';
import { stampOf, tagOf } from './stamp.ts';
import {
  compareSummaries,
  type IndexedSummary,
  type PackedSummary,
  packSummary,
  shareText,
  summarize,
  unpackSummary,
} from './summarize.ts';

const PACK_SIZE = 1_000;
/** Pack keys: the first tier's from 0, the bodies' from here. */
export const BODY_PACKS_FROM = 1_000_000;

/**
 * One record in the index: its plaintext, its type, and the summary lists, search, autofill and
 * passkeys read (loops over every item look at `type` and `summary`, not at bodies). Right
 * after an unlock from packs an item's body is not there yet: reading it then is a bug (wait
 * for the session's `current()`), and throws rather than answering without it.
 */
export class IndexEntry {
  constructor(
    readonly stamp: string,
    readonly type: RecordBody['type'],
    private readonly loaded: RecordBody | null,
    readonly summary: IndexedSummary | null,
  ) {}
  static of(id: string, stamp: string, body: RecordBody) {
    return new IndexEntry(stamp, body.type, body, summarize(id, body));
  }
  get body(): RecordBody {
    if (this.loaded) return this.loaded;
    throw new Error('An item was read before its vault finished opening.');
  }
  get hasBody() {
    return this.loaded !== null;
  }
  withBody(body: RecordBody) {
    return new IndexEntry(this.stamp, this.type, body, this.summary);
  }
  /** The same ciphertext under another stamp (an edit that landed is now the server's copy). */
  restamped(stamp: string) {
    return new IndexEntry(stamp, this.type, this.loaded, this.summary);
  }
}

/**
 * A record in the first tier: an item's summary, or a record that is not an item with its body.
 * (Packs that also carried the summary beside the whole body, as text, were measured at 100,000
 * items: slower to read, decrypt and parse than summarising again — 2.2 s against 1.5 s.)
 */
type FirstTierEntry = [id: string, stamp: string, summaryOrBody: PackedSummary | RecordBody];
/** An item's body in the second tier (in its bucket's pack: see `persist`). */
type BodyEntry = [id: string, stamp: string, body: RecordBody];

/** An item's body bucket: FNV-1a of its id, modulo the number of buckets. */
export function bucketOf(id: string, count: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % count;
}

/** Stamps of one ciphertext: the same tag, deleted or not alike, pending or the server's copy. */
const sameCiphertext = (a: string, b: string) =>
  a.slice(1) === b.slice(1) && !a.endsWith('-') && a.length > 1;

export function createItemIndex(opts: {
  store: ReturnType<typeof createDexieStore>;
  userId: string;
  deviceId: string;
  accountKey: CryptoKey;
  /** Keys earlier rotations retired, newest first (records not re-encrypted yet). */
  retiredKeys?: readonly CryptoKey[];
}) {
  const { store, accountKey, deviceId } = opts;
  const codec = createRecordCodec({
    userId: opts.userId,
    accountKey,
    retiredKeys: opts.retiredKeys,
  });
  const entries = new Map<string, IndexEntry>();
  /** Bodies the sync engine already verified (by stamp), taken instead of decrypting again. */
  const verified = new Map<string, RecordBody>();
  const ad = (key: number) =>
    key < BODY_PACKS_FROM
      ? localAd(deviceId, `index-summaries-${key}`)
      : localAd(deviceId, `index-body-bucket-${key - BODY_PACKS_FROM}`);
  /** A sealed pack's contents, and a pack sealed for its key (its slot is in the sealed data). */
  const openPack = async (p: { key: number; sealed: Uint8Array }): Promise<unknown> =>
    JSON.parse(fromUtf8(await open(accountKey, p.sealed, ad(p.key))));
  const sealPack = async (key: number, contents: unknown) => ({
    key,
    sealed: await seal(accountKey, utf8(JSON.stringify(contents)), ad(key)),
  });
  /** The items' bodies being read after an unlock from packs, once `loadBodies` was asked. */
  let bodies: Promise<void> = Promise.resolve();
  /** Entries from the first tier still wait for their bodies, and no one asked for them yet. */
  let bodiesWaiting = false;
  let dirty = false;
  /** Records changed since the packs were written: their body buckets are written again. */
  const touched = new Set<string>();
  /** How many body buckets the packs on disk have (null: unknown, so all are written). */
  let buckets: number | null = null;
  /** Bumped on every change, so callers can cache views of the index (a sorted list). */
  let version = 0;
  let persistTimer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  function touch(id: string) {
    dirty = true;
    touched.add(id);
  }

  function put(id: string, stamp: string, body: RecordBody | null) {
    if (body === null) entries.delete(id);
    else entries.set(id, IndexEntry.of(id, stamp, body));
    touch(id);
    version++;
  }

  async function bodyOf(r: RecordState): Promise<RecordBody | null> {
    const known = !r.pending && verified.get(stampOf(r));
    if (known) return known;
    return r.pending ? codec.pendingBody(r.id, r.pending) : codec.bodyOf(r.id, r.base);
  }

  /**
   * Brings the entries of these records in line with their states (absent: gone), decrypting
   * only where the stamp changed; null, writing nothing, when `current()` no longer holds once
   * the bodies are ready.
   */
  async function apply(
    pairs: Array<[string, RecordState | null | undefined]>,
    current: () => boolean,
  ): Promise<number | null> {
    const changed = pairs.filter(([id, r]) =>
      r ? entries.get(id)?.stamp !== stampOf(r) : entries.has(id),
    );
    // An edit that landed (or came back in a pull) is the very ciphertext the entry was made
    // from, now as the server's copy: same body, so a new stamp and nothing to decrypt, and no
    // change to tell (lists would be drawn again for nothing after every acknowledged edit).
    const todo: typeof changed = [];
    const restamp: Array<[string, IndexEntry]> = [];
    for (const [id, r] of changed) {
      const entry = entries.get(id);
      const stamp = r && stampOf(r);
      if (entry && stamp && sameCiphertext(entry.stamp, stamp))
        restamp.push([id, entry.restamped(stamp)]);
      else todo.push([id, r]);
    }
    const bodies = await Promise.all(todo.map(([, r]) => (r ? bodyOf(r) : null)));
    if (!current()) return null;
    for (const [id, entry] of restamp) {
      entries.set(id, entry);
      touch(id);
    }
    for (const [i, [id, r]] of todo.entries()) put(id, r ? stampOf(r) : '', bodies[i] ?? null);
    verified.clear();
    return todo.length;
  }

  return {
    entries,
    get version() {
      return version;
    },

    remember(ct: Uint8Array, body: RecordBody) {
      verified.set(`b${tagOf(ct)}`, body);
    },

    /**
     * Opens the first tier of the sealed packs; false when there are none or they do not open
     * (then reconcile). The items' bodies are read by `loadBodies`.
     */
    async load(): Promise<boolean> {
      const packs = await store.readPacks(0, BODY_PACKS_FROM);
      if (packs.length === 0) return false;
      try {
        const opened = await Promise.all(packs.map(openPack));
        let deferred = false;
        for (const chunk of opened as FirstTierEntry[][])
          for (const [id, stamp, held] of chunk)
            if (Array.isArray(held)) {
              const summary = unpackSummary(id, held);
              entries.set(id, new IndexEntry(stamp, summary.type, null, summary));
              deferred = true;
            } else entries.set(id, IndexEntry.of(id, stamp, held));
        bodiesWaiting = deferred;
        version++;
        return true;
      } catch {
        entries.clear();
        return false;
      }
    },

    /**
     * Reads the second tier: each item's body, for the entries the first tier made (an entry
     * changed since by a save or a sync has its own). An item whose body is missing or does not
     * open is read from the store instead. Once, whoever asks.
     */
    loadBodies(): Promise<void> {
      if (!bodiesWaiting) return bodies;
      bodiesWaiting = false;
      bodies = (async () => {
        let chunks: BodyEntry[][] = [];
        try {
          const packs = await store.readPacks(BODY_PACKS_FROM, 2 * BODY_PACKS_FROM);
          chunks = (await Promise.all(packs.map(openPack))) as BodyEntry[][];
          // Buckets 0…n-1, each there: the next persist writes only the buckets that changed.
          if (packs.every((p, i) => p.key === BODY_PACKS_FROM + i)) buckets = packs.length;
        } catch {
          chunks = [];
        }
        for (const chunk of chunks)
          for (const [id, stamp, body] of chunk) {
            const e = entries.get(id);
            if (
              e &&
              !e.hasBody &&
              (e.stamp === stamp || sameCiphertext(e.stamp, stamp)) &&
              body?.type === e.type
            ) {
              if (e.summary) shareText(e.summary, body);
              entries.set(id, e.withBody(body));
            }
          }
        const missing = [...entries].filter(([, e]) => !e.hasBody).map(([id]) => id);
        if (missing.length === 0) return;
        // Bodies the packs lacked: every bucket is written again at the next persist.
        buckets = null;
        for (const id of missing) entries.delete(id);
        await this.refreshMany(missing);
      })();
      return bodies;
    },

    /** Brings the index in line with the store, decrypting only records whose stamp changed. */
    async reconcile(): Promise<number> {
      // Stamps only (small rows); whole records just for the ones that changed.
      const stamps = await store.readStamps();
      const changed = [...stamps].filter(([id, stamp]) => entries.get(id)?.stamp !== stamp);
      let n = await this.refreshMany(changed.map(([id]) => id));
      for (const id of [...entries.keys()])
        if (!stamps.has(id)) {
          entries.delete(id);
          touch(id);
          version++;
          n++;
        }
      return n;
    },

    /**
     * Takes the states a sync left, decrypting only records whose stamp changed (bodies the
     * engine just verified are reused), without reading the store again. `current` says whether
     * those states are still the store's (no local save since the sync began); if it no longer
     * holds once the bodies are ready, the records are read from the store instead.
     */
    async applyStates(
      states: Map<string, RecordState | null>,
      current: () => boolean,
    ): Promise<number> {
      return (await apply([...states], current)) ?? this.refreshMany([...states.keys()]);
    },

    /** Re-reads these records, decrypting only those whose stamp changed. */
    async refreshMany(ids: string[]): Promise<number> {
      const states = await store.getMany(ids);
      return (await apply(
        ids.map((id, i) => [id, states[i]]),
        () => true,
      ))!;
    },

    /** Re-reads one record after a local save. */
    async refresh(id: string) {
      const r = await store.get(id);
      if (!r) {
        if (entries.delete(id)) {
          touch(id);
          version++;
        }
        return;
      }
      put(id, stampOf(r), await bodyOf(r));
    },

    /** Writes the sealed packs soon (coalescing bursts of edits); nothing once stopped. */
    schedulePersist(delayMs = 1_500) {
      clearTimeout(persistTimer);
      if (stopped) return;
      persistTimer = setTimeout(() => void this.persist().catch(() => {}), delayMs);
    },

    /**
     * Writes the packs: the whole first tier, in list order (an unlock then sorts in one pass),
     * and of the bodies only the buckets whose records changed since the last write. An item's
     * bucket is a hash of its id; the number of buckets follows the number of items (~1,000
     * each) and changes, writing every bucket, only when that halves or doubles. One edit in a
     * vault of 100,000 items writes the summaries (~25 MB) and one bucket, not every body.
     */
    async persist() {
      clearTimeout(persistTimer);
      if (!dirty) return;
      await this.loadBodies();
      dirty = false;
      const ordered = [...entries].sort(([, a], [, b]) =>
        a.summary && b.summary
          ? compareSummaries(a.summary, b.summary)
          : Number(!!a.summary) - Number(!!b.summary),
      );
      const first: FirstTierEntry[] = [];
      let items = 0;
      for (const [id, e] of ordered)
        if (e.summary) {
          first.push([id, e.stamp, packSummary(e.summary)]);
          items++;
        } else first.push([id, e.stamp, e.body]);
      const ideal = Math.max(1, Math.ceil(items / PACK_SIZE));
      const all = buckets === null || ideal > 2 * buckets || 2 * ideal < buckets;
      const count = all ? ideal : buckets!;
      const due = new Set(all ? [] : [...touched].map((id) => bucketOf(id, count)));
      touched.clear();
      const second = new Map<number, BodyEntry[]>();
      for (let b = 0; b < count; b++) if (all || due.has(b)) second.set(b, []);
      for (const [id, e] of ordered)
        if (e.summary) second.get(bucketOf(id, count))?.push([id, e.stamp, e.body]);

      const rows = [];
      for (let i = 0; i * PACK_SIZE < first.length; i++)
        rows.push(await sealPack(i, first.slice(i * PACK_SIZE, (i + 1) * PACK_SIZE)));
      for (const [b, list] of second) rows.push(await sealPack(BODY_PACKS_FROM + b, list));
      try {
        await store.writePacks(rows, all ? [0, Infinity] : [0, BODY_PACKS_FROM]);
        buckets = count;
      } catch (e) {
        // Not written: the next write takes everything again (the changes' ids are gone).
        buckets = null;
        dirty = true;
        throw e;
      }
    },

    /** The vault closed: no pack is written after this (its store is gone). */
    stop() {
      stopped = true;
      clearTimeout(persistTimer);
    },
  };
}

export type ItemIndex = ReturnType<typeof createItemIndex>;
