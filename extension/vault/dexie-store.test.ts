import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { describeStoreContract } from '../../test/helpers/store-contract.ts';
import { createDexieStore, VaultStoreError } from './dexie-store.ts';

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
