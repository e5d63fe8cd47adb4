import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { describeStoreContract } from '../../test/helpers/store-contract.ts';
import { createDexieStore, VaultStoreError } from './dexie-store.ts';
import { stampOf } from './stamp.ts';

// fake-indexeddb in Node: the same Dexie code the extension runs, on an in-memory IndexedDB.
let n = 0;
describeStoreContract('Dexie on IndexedDB', async () =>
  createDexieStore(`vault-${n++}`, { indexedDB: new IDBFactory(), IDBKeyRange }),
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
function shippedVault(name: string, indexedDB: IDBFactory, upTo: 3 | 4) {
  const old = new Dexie(name, { indexedDB, IDBKeyRange });
  old.version(1).stores({ records: 'id', outbox: 'id', meta: 'key' });
  old.version(2).stores({ packs: 'key' });
  old.version(3).stores({ stamps: 'id' });
  if (upTo === 4) old.version(4).stores({ quarantine: 'id' });
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
