import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { createMemoryStore } from '../../shared/sync/memory-store.ts';
import type { LocalStore, RecordState } from '../../shared/sync/ports.ts';
import { describeStoreContract } from '../../test/helpers/store-contract.ts';
import { createDexieStore, VaultStoreError } from './dexie-store.ts';
import { stampOf } from './stamp.ts';

// fake-indexeddb in Node: the same Dexie code the extension runs, on an in-memory IndexedDB.
let n = 0;
describeStoreContract('Dexie on IndexedDB', async () =>
  createDexieStore(`vault-${n++}`, { indexedDB: new IDBFactory(), IDBKeyRange }),
);
// Every server copy in a chunk: the same contract through the chunks' read and write paths.
describeStoreContract('Dexie on IndexedDB, server copies in chunks', async () =>
  createDexieStore(`vault-${n++}`, { indexedDB: new IDBFactory(), IDBKeyRange, chunkMin: 1 }),
);

describe('Dexie store rows read back', () => {
  it('should refuse a corrupt row with a typed error instead of handing it out', async () => {
    const store = createDexieStore('vault-corrupt', { indexedDB: new IDBFactory(), IDBKeyRange });
    await store.commit({
      put: [
        {
          id: 'a',
          base: { version: 1, deleted: false, ct: Uint8Array.of(1), rev: 1, seq: 1 },
          pending: null,
          seen: { rev: 1, tag: 'AQ' },
        },
      ],
    });
    await store.db
      .table('records')
      .put({ id: 'b', base: { version: 'one', ct: 'not bytes' }, seen: null });
    expect(await store.get('a')).toMatchObject({ id: 'a', seen: { rev: 1 } });
    await expect(store.get('b')).rejects.toMatchObject({ code: 'CORRUPT_ROW' });
    await expect(store.all()).rejects.toBeInstanceOf(VaultStoreError);
  });
});

describe('Dexie store reads of many ids', () => {
  it('should answer ids it holds and ids it does not, in step with commits and across a reopen', async () => {
    const indexedDB = new IDBFactory();
    const open = () => createDexieStore('vault-many', { indexedDB, IDBKeyRange });
    const base = {
      version: 1,
      deleted: false,
      ct: Uint8Array.of(...Array(20).fill(1)),
      rev: 1,
      seq: 1,
    };
    const row = (id: string) => ({ id, base, pending: null, seen: { rev: 1, tag: id } });
    const store = open();
    expect(await store.getMany(['a', 'b'])).toEqual([undefined, undefined]);
    await store.commit({ put: [row('a'), row('b')] });
    expect((await store.getMany(['a', 'z', 'b'])).map((r) => r?.id)).toEqual(['a', undefined, 'b']);
    await store.commit({ delete: ['a'] });
    await store.commit({ put: [row('c')] });
    expect((await store.getMany(['a', 'b', 'c'])).map((r) => r?.id)).toEqual([undefined, 'b', 'c']);
    store.close();
    // A new worker reads the ids from the database.
    const again = open();
    expect((await again.getMany(['c', 'a', 'b'])).map((r) => r?.id)).toEqual(['c', undefined, 'b']);
    again.close();
  });
});

/** A vault as a shipped schema left it: versions 1 to `upTo`, no upgrade run. */
function shippedVault(name: string, indexedDB: IDBFactory, upTo: 3 | 4 | 6) {
  const old = new Dexie(name, { indexedDB, IDBKeyRange });
  old.version(1).stores({ records: 'id', outbox: 'id', meta: 'key' });
  old.version(2).stores({ packs: 'key' });
  old.version(3).stores({ stamps: 'id' });
  if (upTo >= 4) old.version(4).stores({ quarantine: 'id' });
  if (upTo >= 6) {
    old.version(5).stores({ stampLog: '++n' });
    old.version(6).stores({ stamps: null });
  }
  return old;
}

describe('Dexie store upgrades', () => {
  it('should start a vault of record format 1 over (schema v4): its copies cannot be believed', async () => {
    const indexedDB = new IDBFactory();
    const old = shippedVault('vault-v3', indexedDB, 3);
    const ct = (n: number) => Uint8Array.from({ length: 40 }, (_, i) => (i * n) % 256);
    await old
      .table('records')
      .bulkPut([
        { id: 'a', base: { version: 1, deleted: false, ct: ct(3) }, maxSeen: 1, sent: null },
      ]);
    await old.table('stamps').put({ id: 'a', stamp: 'b' });
    await old.table('meta').put({ key: 'cursor', value: 12 });
    old.close();

    const store = createDexieStore('vault-v3', { indexedDB, IDBKeyRange });
    expect(await store.all()).toEqual([]);
    expect(await store.cursor()).toBe(0);
    expect((await store.readStamps()).size).toBe(0);
    expect(await store.quarantined()).toEqual([]);
  });

  it('should keep each record stamp in step with its commits', async () => {
    const store = createDexieStore('vault-stamps', { indexedDB: new IDBFactory(), IDBKeyRange });
    const base = {
      version: 1,
      deleted: false,
      ct: Uint8Array.of(...Array(20).fill(1)),
      rev: 1,
      seq: 1,
    };
    const seen = { rev: 1, tag: 'x' };
    await store.commit({ put: [{ id: 'x', base, pending: null, seen }] });
    const first = (await store.readStamps()).get('x');
    const pending = {
      baseVersion: 1,
      deleted: false,
      ct: Uint8Array.of(...Array(20).fill(2)),
      rev: 2,
    };
    await store.commit({ put: [{ id: 'x', base, pending, seen }] });
    expect((await store.readStamps()).get('x')).not.toBe(first);
    await store.commit({ delete: ['x'] });
    expect((await store.readStamps()).has('x')).toBe(false);
  });

  it('should carry the stamps of a schema v4 vault into the stamp log (v5)', async () => {
    const indexedDB = new IDBFactory();
    const old = shippedVault('vault-v4', indexedDB, 4);
    const ids = Array.from({ length: 12_345 }, (_, i) => `id-${i}`);
    await old.table('stamps').bulkPut(ids.map((id, i) => ({ id, stamp: `b${i}` })));
    old.close();

    const store = createDexieStore('vault-v4', { indexedDB, IDBKeyRange });
    const stamps = await store.readStamps();
    expect(stamps.size).toBe(ids.length);
    expect(stamps.get('id-0')).toBe('b0');
    expect(stamps.get('id-12344')).toBe('b12344');
    expect(await store.db.table('stampLog').count()).toBe(3);
    expect(store.db.tables.map((t) => t.name)).not.toContain('stamps');
    store.close();
  });
});

describe('Dexie store upgrades to chunks (v7)', () => {
  it('should keep a schema v6 vault records as rows, and chunk what comes after', async () => {
    const indexedDB = new IDBFactory();
    const old = shippedVault('vault-v6', indexedDB, 6);
    const base = (v: number) => ({
      version: v,
      deleted: false,
      ct: Uint8Array.of(v, 2, 3),
      rev: v,
      seq: v,
    });
    await old.table('records').bulkPut(
      Array.from({ length: 100 }, (_, i) => ({
        id: `o${i}`,
        base: base(1),
        seen: { rev: 1, tag: 't' },
        sent: null,
      })),
    );
    await old.table('outbox').put({ id: 'o7', baseVersion: 1, deleted: false, ct: null, rev: 2 });
    old.close();

    const store = createDexieStore('vault-v6', { indexedDB, IDBKeyRange });
    expect((await store.all()).length).toBe(100);
    expect((await store.outbox()).map((r) => r.id)).toEqual(['o7']);
    // A page that holds some of them again: chunked, and read back over the old rows.
    const page = Array.from({ length: 100 }, (_, i) => ({
      id: `o${i * 2}`,
      base: base(2),
      pending: null,
      seen: { rev: 2, tag: 'u' },
    }));
    await store.commit({ put: page });
    expect(await store.db.table('chunks').count()).toBe(1);
    const all = await store.all();
    expect(all.length).toBe(150);
    expect(all.filter((r) => r.base?.version === 2).length).toBe(100);
    expect((await store.get('o8'))?.base?.version).toBe(2);
    expect((await store.get('o9'))?.base?.version).toBe(1);
    store.close();
  });
});

describe('Dexie store stamp log', () => {
  /** What the stamps must say: each record's, computed from the record itself. */
  const stampsOfRecords = async (store: ReturnType<typeof createDexieStore>) =>
    new Map((await store.all()).map((r) => [r.id, stampOf(r)]));
  const copy = (n: number) => ({
    version: n,
    deleted: false,
    ct: Uint8Array.from({ length: 20 }, (_, i) => (i + n) % 256),
    rev: n,
    seq: n,
  });
  const state = (id: string, n: number) => ({
    id,
    base: copy(n),
    pending: null,
    seen: { rev: n, tag: 'x' },
  });

  it('should read back what the last commit of each record wrote, before and after compaction', async () => {
    const store = createDexieStore('vault-log', { indexedDB: new IDBFactory(), IDBKeyRange });
    // Puts, re-puts and deletes of overlapping ids across many commits: later rows win.
    for (let round = 1; round <= 40; round++) {
      const gone = round % 3 === 0 ? [`r${round % 97}`, 'never-there'] : [];
      const put = Array.from({ length: 30 }, (_, i) => state(`r${(i * round) % 97}`, round));
      await store.commit({ put: put.filter((r) => !gone.includes(r.id)), delete: gone });
    }
    const truth = await stampsOfRecords(store);
    expect(truth.size).toBeGreaterThan(50);
    expect(await store.readStamps()).toEqual(truth);
    expect(await store.db.table('stampLog').count()).toBe(40);
    await store.compactStamps();
    expect(await store.db.table('stampLog').count()).toBe(1);
    expect(await store.readStamps()).toEqual(truth);
    store.close();
  });

  it('should write the log again in one piece once it grows by hundreds of commits', async () => {
    const store = createDexieStore('vault-log-grows', {
      indexedDB: new IDBFactory(),
      IDBKeyRange,
    });
    for (let i = 0; i < 600; i++) await store.commit({ put: [state(`s${i % 50}`, i + 1)] });
    // The compaction runs in the background after the commit that crossed the line.
    await vi.waitFor(async () =>
      expect(await store.db.table('stampLog').count()).toBeLessThan(200),
    );
    const stamps = await store.readStamps();
    expect(stamps.size).toBe(50);
    expect(stamps).toEqual(await stampsOfRecords(store));
    store.close();
  });
});

// Chunks (schema v7): server copies committed together are one row; a record's own row wins,
// then the newest chunk. The in-memory store is the reference: the same commits, drawn at
// random, must read back the same from both, through every read, across compactions and a
// reopen.
describe('Dexie store chunks', () => {
  const bytesOf = (n: number) => Uint8Array.from({ length: 24 }, (_, i) => (i * 7 + n) % 256);
  const normal = (r: RecordState | undefined) => {
    if (!r) return r;
    const { sent, ...rest } = r;
    return sent ? { ...rest, sent } : rest;
  };
  const byId = (rs: RecordState[]) =>
    rs.map((r) => normal(r)).sort((a, b) => (a!.id < b!.id ? -1 : 1));

  async function expectSame(store: ReturnType<typeof createDexieStore>, truth: LocalStore) {
    const ids = [...Array(40).keys()].map((i) => `r${i}`);
    expect(byId(await store.all())).toEqual(byId(await truth.all()));
    expect((await store.getMany(ids)).map(normal)).toEqual((await truth.getMany(ids)).map(normal));
    expect(normal(await store.get('r3'))).toEqual(normal(await truth.get('r3')));
    expect(byId(await store.outbox())).toEqual(byId(await truth.outbox()));
    expect(await store.readStamps()).toEqual(
      new Map((await truth.all()).map((r) => [r.id, stampOf(r)])),
    );
  }

  it('should read back what a reference store holds after random commits, compactions and a reopen', async () => {
    const indexedDB = new IDBFactory();
    const open = () => createDexieStore('vault-chunks', { indexedDB, IDBKeyRange, chunkMin: 3 });
    let store = open();
    const truth = createMemoryStore();
    // A fixed seed: a failure replays.
    let seed = 21;
    const random = (n: number) => {
      // mulberry32
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    let chunksWritten = 0;
    for (let step = 1; step <= 300; step++) {
      const kind = random(10);
      if (kind === 0) {
        const ids = [...new Set(Array.from({ length: 1 + random(4) }, () => `r${random(40)}`))];
        await store.commit({ delete: ids });
        await truth.commit({ delete: ids });
      } else if (kind === 1) {
        await store.compactChunks();
      } else if (kind === 2 && step % 50 === 0) {
        store.close();
        store = open();
      } else {
        // A page of server copies (some chunked), with now and then a local edit or a sent one.
        const ids = [...new Set(Array.from({ length: 1 + random(12) }, () => `r${random(40)}`))];
        const put = ids.map((id): RecordState => {
          const v = step;
          const base =
            random(8) === 0
              ? null
              : { version: v, deleted: random(6) === 0, ct: bytesOf(v), rev: v, seq: v };
          const edit = {
            baseVersion: base?.version ?? 0,
            deleted: false,
            ct: bytesOf(v + 1),
            rev: v + 1,
          };
          const mine = random(5) === 0;
          return {
            id,
            base,
            seen: base ? { rev: v, tag: `t${v}` } : null,
            pending: mine || !base ? edit : null,
            ...(random(7) === 0 ? { sent: edit } : {}),
          };
        });
        await store.commit({ put });
        await truth.commit({ put });
      }
      chunksWritten = Math.max(chunksWritten, await store.db.table('chunks').count());
      if (step % 10 === 0) await expectSame(store, truth);
    }
    // The walk used chunks, own rows over them and gone rows.
    expect(chunksWritten).toBeGreaterThan(5);
    await store.compactChunks();
    await expectSame(store, truth);
    store.close();
    store = open();
    await expectSame(store, truth);
    store.close();
  });

  it('should write a pulled page as four rows, and drop a chunk once its records all live elsewhere', async () => {
    const store = createDexieStore('vault-chunk-page', {
      indexedDB: new IDBFactory(),
      IDBKeyRange,
    });
    const copyOf = (id: string, v: number): RecordState => ({
      id,
      base: { version: v, deleted: false, ct: bytesOf(v), rev: v, seq: v },
      pending: null,
      seen: { rev: v, tag: `t${v}` },
    });
    const page = Array.from({ length: 1_000 }, (_, i) => copyOf(`p${i}`, 1));
    expect(await store.isEmpty!()).toBe(true);
    await store.commit({ put: page, cursor: 1_000 });
    expect(await store.isEmpty!()).toBe(false);
    expect(await store.db.table('records').count()).toBe(0);
    expect(await store.db.table('chunks').count()).toBe(4);
    expect((await store.all()).length).toBe(1_000);
    // A few edits live in rows of their own, over the chunk; a small commit is rows.
    await store.commit({ put: [copyOf('p5', 2)], delete: ['p6'] });
    expect((await store.get('p5'))!.base!.version).toBe(2);
    expect(await store.get('p6')).toBeUndefined();
    await store.compactChunks();
    expect(await store.db.table('chunks').count()).toBe(4);
    // The next page holds every record again: the first chunks hold nothing live any more.
    await store.commit({ put: page.map((r) => copyOf(r.id, 3)) });
    expect(await store.db.table('chunks').count()).toBe(8);
    expect(await store.db.table('records').count()).toBe(0);
    await store.compactChunks();
    expect(await store.db.table('chunks').count()).toBe(4);
    expect((await store.getMany(['p5', 'p6', 'p999'])).map((r) => r?.base?.version)).toEqual([
      3, 3, 3,
    ]);
    store.close();
  });
});
