// The peer in the browser: RxDB with its Dexie storage and its generic replication, whose pull
// and push handlers call the minimal endpoint in rxdb-endpoint.ts. Bundled by esbuild into the
// page the bench opens; exposes `rxBench` for the bench to drive.
import { addRxPlugin, createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb';
import { RxDBQueryBuilderPlugin } from 'rxdb/plugins/query-builder';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';

addRxPlugin(RxDBQueryBuilderPlugin);

interface Doc {
  id: string;
  ct: string;
  version: number;
}
type Checkpoint = { seq: number };

const schema = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 64 },
    ct: { type: 'string' },
    version: { type: 'number' },
  },
  required: ['id', 'ct', 'version'],
} as const;

let db: RxDatabase | undefined;
let docs: RxCollection<Doc> | undefined;
let replication: ReturnType<typeof replicateRxCollection<Doc, Checkpoint>> | undefined;

async function post<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return (await res.json()) as T;
}

/** A fresh database → the endpoint's every document replicated into IndexedDB; ms. */
async function initialSync(name: string): Promise<{ ms: number; count: number }> {
  const t0 = performance.now();
  db = await createRxDatabase({ name, storage: getRxStorageDexie(), multiInstance: false });
  const { docs: collection } = await db.addCollections({ docs: { schema } });
  docs = collection as RxCollection<Doc>;
  replication = replicateRxCollection<Doc, Checkpoint>({
    collection: docs,
    replicationIdentifier: `bench-${name}`,
    live: true,
    pull: {
      batchSize: 1000,
      handler: (checkpoint, batchSize) =>
        post('/bench/rxdb/pull', { seq: checkpoint?.seq ?? 0, limit: batchSize }),
    },
    push: {
      batchSize: 100,
      handler: (rows) => post('/bench/rxdb/push', { rows }),
    },
  });
  await replication.awaitInitialReplication();
  const count = await docs.count().exec();
  return { ms: performance.now() - t0, count };
}

/** One document edited locally → pushed → the endpoint acknowledged it; ms. */
async function editRoundTrip(ct: string): Promise<number> {
  if (!docs || !replication) throw new Error('no initial sync yet');
  const doc = await docs.findOne().exec();
  if (!doc) throw new Error('no document');
  const t0 = performance.now();
  await doc.incrementalPatch({ ct, version: doc.version + 1 });
  await replication.awaitInSync();
  return performance.now() - t0;
}

async function close() {
  await replication?.cancel();
  await db?.remove();
}

Object.assign(globalThis, { rxBench: { initialSync, editRoundTrip, close } });
