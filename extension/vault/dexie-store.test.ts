import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
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
          base: { version: 1, deleted: false, ct: Uint8Array.of(1) },
          pending: null,
          maxSeen: 1,
        },
      ],
    });
    await store.db
      .table('records')
      .put({ id: 'b', base: { version: 'one', ct: 'not bytes' }, maxSeen: 1 });
    expect(await store.get('a')).toMatchObject({ id: 'a', maxSeen: 1 });
    await expect(store.get('b')).rejects.toMatchObject({ code: 'CORRUPT_ROW' });
    await expect(store.all()).rejects.toBeInstanceOf(VaultStoreError);
  });
});

describe('Dexie store upgrades', () => {
  it('should give a vault written by schema v2 the stamps of v3, computed from its rows', async () => {
    const indexedDB = new IDBFactory();
    const old = new Dexie('vault-v2', { indexedDB, IDBKeyRange });
    old.version(1).stores({ records: 'id', outbox: 'id', meta: 'key' });
    old.version(2).stores({ packs: 'key' });
    const ct = (n: number) => Uint8Array.from({ length: 40 }, (_, i) => (i * n) % 256);
    await old.table('records').bulkPut([
      { id: 'a', base: { version: 1, deleted: false, ct: ct(3) }, maxSeen: 1, sent: null },
      { id: 'b', base: { version: 2, deleted: false, ct: ct(5) }, maxSeen: 2, sent: null },
    ]);
    await old.table('outbox').put({ id: 'b', baseVersion: 2, deleted: false, ct: ct(7) });
    old.close();

    const store = createDexieStore('vault-v2', { indexedDB, IDBKeyRange });
    const stamps = await store.readStamps();
    expect(stamps).toEqual(
      new Map([
        ['a', stampOf({ base: { version: 1, deleted: false, ct: ct(3) }, pending: null })],
        ['b', stampOf({ base: null, pending: { baseVersion: 2, deleted: false, ct: ct(7) } })],
      ]),
    );
    expect(stamps.get('b')!.startsWith('p')).toBe(true);
    // And the records themselves are untouched.
    expect((await store.get('a'))?.base?.ct).toEqual(ct(3));
  });

  it('should keep each record stamp in step with its commits', async () => {
    const store = createDexieStore('vault-stamps', { indexedDB: new IDBFactory(), IDBKeyRange });
    const base = { version: 1, deleted: false, ct: Uint8Array.of(...Array(20).fill(1)) };
    await store.commit({ put: [{ id: 'x', base, pending: null, maxSeen: 1 }] });
    const first = (await store.readStamps()).get('x');
    const pending = { baseVersion: 1, deleted: false, ct: Uint8Array.of(...Array(20).fill(2)) };
    await store.commit({ put: [{ id: 'x', base, pending, maxSeen: 1 }] });
    expect((await store.readStamps()).get('x')).not.toBe(first);
    await store.commit({ delete: ['x'] });
    expect((await store.readStamps()).has('x')).toBe(false);
  });
});
