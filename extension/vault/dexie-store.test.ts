import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describeStoreContract } from '../../test/helpers/store-contract.ts';
import { createDexieStore } from './dexie-store.ts';

// fake-indexeddb in Node: the same Dexie code the extension runs, on an in-memory IndexedDB.
let n = 0;
describeStoreContract('Dexie on IndexedDB', async () =>
  createDexieStore(`vault-${n++}`, { indexedDB: new IDBFactory(), IDBKeyRange }),
);
