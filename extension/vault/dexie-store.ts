// The vault's LocalStore on IndexedDB (Dexie). A record, its outbox entry and the pull cursor
// are written in ONE transaction, so a killed worker never leaves an edit without its outbox
// entry (or the reverse), and a saved edit is on disk before the UI says so.
//
// Where a record lives (schema v7): a commit of many server copies (a pulled page, a push's
// answer) writes them as ONE chunk row, found by a multi-entry index of its ids; everything else
// is a row of its own in `records`. IndexedDB's cost is per row: a first sync of 100,000 items
// writes 100 chunks instead of 100,000 rows. A record's own row, when it has one, wins over any
// chunk; among chunks, the newest (highest key) wins; a record deleted while a chunk still
// holds it keeps a `gone` row. Chunks are never changed: one whose records all live elsewhere
// now is dropped when the stamp log is compacted.
import Dexie, { type DexieOptions, type Table } from 'dexie';
import { z } from 'zod';
import type {
  LocalStore,
  PendingEdit,
  QuarantineEntry,
  RecordState,
  Seen,
  ServerCopy,
  StoreCommit,
  SyncMeta,
} from '../../shared/sync/ports.ts';
import { stampOf } from './stamp.ts';

interface RecordRow {
  id: string;
  base: ServerCopy | null;
  seen: Seen | null;
  sent?: PendingEdit | null;
  /** The record is deleted, though an older chunk still holds it (see above). */
  gone?: true;
}
/** Server copies committed together, as one row (schema v7): `rows[i]` is `ids[i]`'s. */
interface ChunkRow {
  n?: number;
  ids: string[];
  rows: Array<{ base: ServerCopy; seen: Seen | null }>;
}
/** A commit writes its server copies as chunks once it has this many (options.chunkMin). */
const CHUNK_MIN = 64;
/** Records per chunk, at most: a pulled page of 1,000 is four rows, and reading one record reads 250 (~3 ms against ~8 for 1,000, `bench:idb-write`). */
const CHUNK_MAX = 250;
interface OutboxRow extends PendingEdit {
  id: string;
}
interface MetaRow {
  key: string;
  value: unknown;
}
interface StampRow {
  id: string;
  stamp: string;
}
/**
 * The stamps a commit wrote, in one row (schema v5): `stamps[i]` is `ids[i]`'s stamp, '' for a
 * record deleted. Read back in key order, later rows win. One row per commit instead of one per
 * record: a pulled page of 1,000 records is 1,001 puts, not 2,000 (the stamp rows were ~40 % of
 * the initial sync's write), and 10,000 stamps read back in ~10 rows, not 10,000.
 */
interface StampLogRow {
  n?: number;
  ids: string[];
  stamps: string[];
}
/** Stamps per row when the log is written again in one piece. */
const STAMP_CHUNK = 5_000;
/** Rows the log may hold beyond its compacted size before it is written again in one piece. */
const STAMP_LOG_SLACK = 500;

function foldStamps(rows: StampLogRow[]): Map<string, string> {
  const stamps = new Map<string, string>();
  for (const row of rows)
    for (let i = 0; i < row.ids.length; i++) {
      const id = row.ids[i]!;
      const stamp = row.stamps[i];
      if (stamp) stamps.set(id, stamp);
      else stamps.delete(id);
    }
  return stamps;
}

function chunkStamps(stamps: Map<string, string>): StampLogRow[] {
  const ids = [...stamps.keys()];
  const values = [...stamps.values()];
  const rows: StampLogRow[] = [];
  for (let i = 0; i < ids.length; i += STAMP_CHUNK)
    rows.push({ ids: ids.slice(i, i + STAMP_CHUNK), stamps: values.slice(i, i + STAMP_CHUNK) });
  return rows;
}
/** For each id, the newest (highest-keyed) chunk holding it, from index keys and their chunks. */
function newestChunks(ids: unknown[], ns: number[]): Map<string, number> {
  const newest = new Map<string, number>();
  ids.forEach((id, i) => {
    if ((newest.get(id as string) ?? -1) < ns[i]!) newest.set(id as string, ns[i]!);
  });
  return newest;
}

/** A chunk's `k`th record as a record row (a chunk holds no sent edit). */
const chunkRow = (chunk: { ids: string[]; rows: unknown[] }, k: number): RecordRow =>
  ({ id: chunk.ids[k]!, ...(chunk.rows[k] as object), sent: null }) as RecordRow;

/** Server copies as chunk rows of at most CHUNK_MAX records. */
function chunksOf(copies: RecordState[]): ChunkRow[] {
  const rows: ChunkRow[] = [];
  for (let i = 0; i < copies.length; i += CHUNK_MAX) {
    const part = copies.slice(i, i + CHUNK_MAX);
    rows.push({
      ids: part.map((r) => r.id),
      rows: part.map((r) => ({ base: r.base!, seen: r.seen })),
    });
  }
  return rows;
}

/** A sealed chunk of the decrypted item index (DESIGN §5), so unlock need not decrypt every record. */
export interface PackRow {
  key: number;
  sealed: Uint8Array;
}

class VaultDb extends Dexie {
  records!: Table<RecordRow, string>;
  outbox!: Table<OutboxRow, string>;
  meta!: Table<MetaRow, string>;
  packs!: Table<PackRow, number>;
  stampLog!: Table<StampLogRow, number>;
  quarantine!: Table<QuarantineEntry, string>;
  chunks!: Table<ChunkRow, number>;

  constructor(name: string, options?: DexieOptions) {
    super(name, options);
    // Schema history: add a version with an upgrade() here; never edit a shipped one.
    this.version(1).stores({ records: 'id', outbox: 'id', meta: 'key' });
    // v2: the sealed packed index. A cache: nothing to migrate, it is rebuilt from the records.
    this.version(2).stores({ packs: 'key' });
    // v3: each record's stamp beside it, so the index can check 10,000 records without reading
    // their ciphertexts. Existing vaults get their stamps computed from the rows they have.
    this.version(3)
      .stores({ stamps: 'id' })
      .upgrade(async (tx) => {
        const pending = new Map(
          (await tx.table<OutboxRow>('outbox').toArray()).map((p) => [p.id, p]),
        );
        const rows = await tx.table<RecordRow>('records').toArray();
        await tx.table<StampRow>('stamps').bulkPut(
          rows.map((r) => ({
            id: r.id,
            stamp: stampOf({ base: r.base, pending: pending.get(r.id) ?? null }),
          })),
        );
      });
    // v4: record format 2 (sealed tombstones, revisions, padding; shared/sync/record-frame.ts)
    // and the quarantine. Copies of format 1 cannot be believed any more, so the local cache
    // starts over from the server.
    this.version(4)
      .stores({ quarantine: 'id' })
      .upgrade(async (tx) => {
        for (const t of ['records', 'outbox', 'meta', 'packs', 'stamps']) await tx.table(t).clear();
      });
    // v5: the stamps as a log of one row per commit (StampLogRow); v6 drops the old table.
    this.version(5)
      .stores({ stampLog: '++n' })
      .upgrade(async (tx) => {
        const rows = await tx.table<StampRow>('stamps').toArray();
        await tx
          .table<StampLogRow>('stampLog')
          .bulkAdd(chunkStamps(new Map(rows.map((r) => [r.id, r.stamp]))));
      });
    this.version(6).stores({ stamps: null });
    // v7: server copies committed together kept as one row (ChunkRow). Nothing to migrate:
    // existing records keep their rows.
    this.version(7).stores({ chunks: '++n, *ids' });
  }
}

// Rows read back are checked like any other input: another version of the extension, a broken
// upgrade or a disk error must surface as a clear error, not as a wrong vault.
const bytes = z.instanceof(Uint8Array);
const int = z.number().int().min(0);
const pendingShape = { baseVersion: int, deleted: z.boolean(), ct: bytes.nullable(), rev: int };
const recordRowSchema = z.object({
  id: z.string(),
  base: z
    .object({ version: int, deleted: z.boolean(), ct: bytes.nullable(), rev: int, seq: int })
    .nullable(),
  seen: z.object({ rev: int, tag: z.string() }).nullable(),
  sent: z.object(pendingShape).nullish(),
  gone: z.literal(true).optional(),
});
const chunkSchema = z
  .object({ n: int, ids: z.array(z.string()), rows: z.array(z.unknown()) })
  .refine((c) => c.ids.length === c.rows.length);
const checkpointSchema = z.object({
  id: z.string(),
  version: int,
  rev: int,
  tag: z.string(),
  device: z.string(),
  cursor: int,
  count: int,
  hash: bytes,
  at: z.string(),
});
const metaSchema = z.object({
  setHash: bytes,
  liveCount: z.number().int(),
  maxSeq: int,
  checkpoints: z.record(z.string(), checkpointSchema),
  integrity: z.object({
    status: z.enum(['unchecked', 'ok', 'mismatch']),
    device: z.string().optional(),
    at: z.string().optional(),
    theirs: z.number().optional(),
    ours: z.number().optional(),
    checkedAt: z.string().optional(),
  }),
});
const quarantineSchema = z.object({
  id: z.string(),
  version: int,
  seq: int,
  reason: z.enum(['TAMPERED', 'RETIRED_KEY', 'UNSEALED_TOMBSTONE', 'EQUIVOCATION', 'INVALID_ITEM']),
  at: z.string(),
});
const outboxRowSchema = z.object({ id: z.string(), ...pendingShape });

export class VaultStoreError extends Error {
  readonly code = 'CORRUPT_ROW';
  constructor(table: string, id: unknown) {
    super(`The local vault has an unreadable ${table} row (${String(id)}).`);
    this.name = 'VaultStoreError';
  }
}

function checked<T>(schema: z.ZodType<T>, table: string, row: unknown): T {
  const parsed = schema.safeParse(row);
  if (!parsed.success) throw new VaultStoreError(table, (row as { id?: unknown } | undefined)?.id);
  return parsed.data;
}

const toState = (raw: RecordRow, rawPending: OutboxRow | undefined): RecordState => {
  const row = checked(recordRowSchema, 'record', raw);
  const pending = rawPending && checked(outboxRowSchema, 'outbox', rawPending);
  return {
    id: row.id,
    base: row.base,
    seen: row.seen,
    ...(row.sent ? { sent: row.sent } : {}),
    pending: pending
      ? {
          baseVersion: pending.baseVersion,
          deleted: pending.deleted,
          ct: pending.ct,
          rev: pending.rev,
        }
      : null,
  };
};

export function createDexieStore(
  name: string,
  options?: DexieOptions & {
    /** Server copies a commit must hold to be written as a chunk (tests set it low). */
    chunkMin?: number;
  },
): LocalStore & {
  close(): void;
  /** Every record's stamp (see stamp.ts), by id. */
  readStamps(): Promise<Map<string, string>>;
  /** Writes the stamp log again as a few rows (readStamps and commits do it when it grows). */
  compactStamps(): Promise<void>;
  /** Drops the chunks none of whose records live there any more (see above), and their gone rows. */
  compactChunks(): Promise<void>;
  /** The sealed index chunks whose keys are in [from, to), in key order. */
  readPacks(from: number, to: number): Promise<PackRow[]>;
  /** Deletes the chunks whose keys are in [from, to) and writes these, in one transaction. */
  writePacks(rows: PackRow[], replace: [from: number, to: number]): Promise<void>;
  /** The Dexie database, for diagnostics and tests. */
  db: Dexie;
} {
  const chunkMin = options?.chunkMin ?? CHUNK_MIN;
  const db = new VaultDb(name, options);

  /**
   * The rows of these ids, wherever each lives: its own row, else the newest chunk that holds
   * it; undefined for an id the store does not hold (or holds as gone). Inside a transaction
   * over records and chunks.
   */
  async function rowsOf(ids: string[]): Promise<Array<RecordRow | undefined>> {
    const rows: Array<RecordRow | undefined> = await db.records.bulkGet(ids);
    const misses = ids.filter((_, i) => !rows[i]);
    if (misses.length > 0) {
      const found = await chunkRowsOf(misses);
      for (let i = 0; i < ids.length; i++) rows[i] ??= found.get(ids[i]!);
    }
    return rows.map((r) => (r?.gone ? undefined : r));
  }

  /** For ids with no row of their own: their rows from the newest chunk holding each. */
  async function chunkRowsOf(ids: string[]): Promise<Map<string, RecordRow>> {
    const found = new Map<string, RecordRow>();
    const holding = db.chunks.where('ids').anyOf(ids);
    const [keys, ns] = await Promise.all([holding.keys(), holding.primaryKeys()]);
    const newest = newestChunks(keys, ns);
    if (newest.size === 0) return found;
    const wanted = [...new Set(newest.values())];
    const chunks = await db.chunks.bulkGet(wanted);
    chunks.forEach((raw, i) => {
      if (!raw) return;
      const chunk = checked(chunkSchema, 'chunk', raw);
      chunk.ids.forEach((id, k) => {
        if (newest.get(id) === wanted[i]) found.set(id, chunkRow(chunk, k));
      });
    });
    return found;
  }

  /** Every record's row, its own or its newest chunk's, in the order the chunks were written. */
  async function allRows(): Promise<RecordRow[]> {
    const [chunks, own] = await Promise.all([db.chunks.toArray(), db.records.toArray()]);
    const byId = new Map<string, RecordRow>();
    for (const raw of chunks) {
      const chunk = checked(chunkSchema, 'chunk', raw);
      chunk.ids.forEach((id, k) => {
        byId.delete(id);
        byId.set(id, chunkRow(chunk, k));
      });
    }
    for (const row of own) {
      byId.delete(row.id);
      if (!row.gone) byId.set(row.id, row);
    }
    return [...byId.values()];
  }
  /** Log rows this store appended since it last compacted the log, or read it. */
  let appended = 0;
  /** The log written again in one piece, in the background: a failure leaves it as it was. */
  const compactSoon = () => {
    appended = 0;
    void store.compactStamps().catch(() => {});
  };
  const store: ReturnType<typeof createDexieStore> = {
    db,
    async get(id) {
      return db.transaction('r', db.records, db.chunks, db.outbox, async () => {
        const [row] = await rowsOf([id]);
        return row && toState(row, await db.outbox.get(id));
      });
    },
    async getMany(ids) {
      return db.transaction('r', db.records, db.chunks, db.outbox, async () => {
        // The outbox is small and most ids have no row in it: its keys (one request) say which
        // to fetch, instead of a get per id.
        const [rows, queued] = await Promise.all([
          rowsOf(ids),
          db.outbox.toCollection().primaryKeys(),
        ]);
        const inOutbox = new Set(queued);
        const wanted = ids.filter((id) => inOutbox.has(id));
        const pending = new Map((await db.outbox.bulkGet(wanted)).map((p, i) => [wanted[i]!, p]));
        return rows.map((row, i) => row && toState(row, pending.get(ids[i]!)));
      });
    },
    async all() {
      return db.transaction('r', db.records, db.chunks, db.outbox, async () => {
        const [rows, pending] = await Promise.all([allRows(), db.outbox.toArray()]);
        const byId = new Map(pending.map((p) => [p.id, p]));
        return rows.map((r) => toState(r, byId.get(r.id)));
      });
    },
    async outbox() {
      return db.transaction('r', db.records, db.chunks, db.outbox, async () => {
        const pending = await db.outbox.toArray();
        const rows = await rowsOf(pending.map((p) => p.id));
        return pending.map((p, i) => toState(rows[i] ?? { id: p.id, base: null, seen: null }, p));
      });
    },
    outboxSize: () => db.outbox.count(),
    isEmpty: () =>
      db.transaction(
        'r',
        db.records,
        db.chunks,
        async () => (await db.records.count()) === 0 && (await db.chunks.count()) === 0,
      ),
    async cursor() {
      return ((await db.meta.get('cursor'))?.value as number | undefined) ?? 0;
    },
    async meta() {
      const row = await db.meta.get('sync');
      return row ? (checked(metaSchema, 'meta', row.value) as SyncMeta) : null;
    },
    async quarantined() {
      return (await db.quarantine.toArray()).map((q) => checked(quarantineSchema, 'quarantine', q));
    },
    async commit(change: StoreCommit) {
      const tables = [db.records, db.chunks, db.outbox, db.meta, db.stampLog, db.quarantine];
      await db.transaction('rw', tables, async () => {
        const put = change.put ?? [];
        const deleted = change.delete ?? [];
        // Server copies with nothing of this device's own on top go into chunks when there are
        // enough of them; their own rows, if any, are deleted (they would win over the chunk).
        const copies = put.filter((r) => r.base && !r.pending && !r.sent);
        const chunked = copies.length >= chunkMin ? copies : [];
        const inChunk = new Set(chunked.map((r) => r.id));
        const own = inChunk.size ? put.filter((r) => !inChunk.has(r.id)) : put;
        const [superseded, heldInChunks] = await Promise.all([
          inChunk.size
            ? db.records
                .where(':id')
                .anyOf([...inChunk])
                .primaryKeys()
            : [],
          deleted.length ? db.chunks.where('ids').anyOf(deleted).keys() : [],
        ]);
        // A deleted record a chunk still holds keeps a gone row, so the chunk's copy is not it.
        const goneInChunk = new Set(heldInChunks as string[]);
        // Only ids that have an outbox row are deleted from it: a pulled page of 1,000 records
        // would otherwise cost 1,000 delete requests on an empty outbox.
        const queued = new Set(await db.outbox.toCollection().primaryKeys());
        const cleared = [...put.filter((r) => !r.pending).map((r) => r.id), ...deleted].filter(
          (id) => queued.has(id),
        );
        // Independent requests (disjoint ids per store), issued at once within the transaction.
        const logged: StampLogRow = {
          ids: [...put.map((r) => r.id), ...deleted],
          stamps: [...put.map(stampOf), ...deleted.map(() => '')],
        };
        await Promise.all([
          logged.ids.length > 0 && db.stampLog.add(logged),
          db.records.bulkPut([
            ...own.map((r) => ({ id: r.id, base: r.base, seen: r.seen, sent: r.sent ?? null })),
            ...[...goneInChunk].map((id) => ({ id, base: null, seen: null, gone: true as const })),
          ]),
          chunked.length > 0 && db.chunks.bulkAdd(chunksOf(chunked)),
          db.outbox.bulkPut(put.flatMap((r) => (r.pending ? [{ id: r.id, ...r.pending }] : []))),
          db.outbox.bulkDelete(cleared),
          db.records.bulkDelete([
            ...deleted.filter((id) => !goneInChunk.has(id)),
            ...(superseded as string[]),
          ]),
          change.cursor !== undefined && db.meta.put({ key: 'cursor', value: change.cursor }),
          change.meta && db.meta.put({ key: 'sync', value: change.meta }),
        ]);
        // Only ids set aside are cleared (a pulled page clears up to 1,000 ids, and the quarantine
        // is almost always empty); deletes before puts: set aside again, it stays set aside.
        const release = change.quarantine?.delete ?? [];
        if (release.length) {
          const held = new Set(await db.quarantine.toCollection().primaryKeys());
          const gone = release.filter((id) => held.has(id));
          if (gone.length) await db.quarantine.bulkDelete(gone);
        }
        if (change.quarantine?.put?.length) await db.quarantine.bulkPut(change.quarantine.put);
      });
      if ((change.put?.length || change.delete?.length) && ++appended > STAMP_LOG_SLACK)
        compactSoon();
    },
    async readStamps() {
      const rows = await db.stampLog.toArray();
      const stamps = foldStamps(rows);
      if (rows.length > STAMP_LOG_SLACK + Math.ceil(stamps.size / STAMP_CHUNK)) compactSoon();
      else appended = 0;
      return stamps;
    },
    async compactStamps() {
      // One transaction: a commit waits for it, and a failure leaves the log as it was.
      await db.transaction('rw', db.stampLog, async () => {
        const rows = chunkStamps(foldStamps(await db.stampLog.toArray()));
        await db.stampLog.clear();
        await db.stampLog.bulkAdd(rows);
      });
      await store.compactChunks();
    },
    async compactChunks() {
      await db.transaction('rw', db.records, db.chunks, async () => {
        // Keys only: which chunk holds which id, and which ids have rows of their own.
        const byIds = db.chunks.orderBy('ids');
        const [ids, ns, own] = await Promise.all([
          byIds.keys(),
          byIds.primaryKeys(),
          db.records.toCollection().primaryKeys(),
        ]);
        const hasOwn = new Set(own);
        const newest = newestChunks(ids, ns);
        const live = new Set<number>();
        for (const [id, n] of newest) if (!hasOwn.has(id)) live.add(n);
        const dead = [...new Set(ns)].filter((n) => !live.has(n));
        if (dead.length === 0) return;
        await db.chunks.bulkDelete(dead);
        // Gone rows are needed only while a chunk holds their id.
        const still = new Set(await db.chunks.orderBy('ids').keys());
        const check = [...newest.keys()].filter((id) => hasOwn.has(id) && !still.has(id));
        const rows = await db.records.bulkGet(check);
        await db.records.bulkDelete(check.filter((_, i) => rows[i]?.gone));
      });
    },
    readPacks: (from, to) => db.packs.where('key').between(from, to, true, false).toArray(),
    async writePacks(rows, [from, to]) {
      await db.transaction('rw', db.packs, async () => {
        await db.packs.where('key').between(from, to, true, false).delete();
        await db.packs.bulkPut(rows);
      });
    },
    close: () => db.close(),
  };
  return store;
}
