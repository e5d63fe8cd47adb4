// `npm run bench:idb-write`: what the initial sync's IndexedDB write costs by the shape of its
// rows, in the extension's own origin (its offscreen page) in Chromium. 10,000 rows of 604 B
// (the bench's records), 1,000 puts per transaction, each shape in a database of its own:
//  - raw: one row per record, {id, version, ct} (the browser bench's baseline);
//  - cofre: Cofre's record row and its stamp row (extension/vault/dexie-store.ts);
//  - records only: the record rows without the stamp rows;
//  - stamp index: the stamp kept in the record row, with an index on it;
//  - stamp log: the record rows, and one row per transaction holding its 1,000 ids and stamps;
//  - chunked: no row per record: each transaction's 1,000 record rows in one row (what a store
//    that kept pulled pages whole, with later edits in rows of their own, would write);
//  - chunked + ids index: the same with a multi-entry index of each chunk's ids (how the store
//    finds the chunk holding a record), in chunks of 1,000 and of 250;
// and for those that keep stamps, reading every stamp back (getAll of the stamp rows; a key
// cursor over the index; getAll of the log's rows, folded into a map); for the record rows and
// the chunks, reading every record back. BENCHMARKS.md "Sixth session" has the figures.
import { launchExtension } from '../e2e/extension.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 3);

// A string, not a function: tsx would wrap named inner functions in a helper the page lacks.
const inPage = `(async () => {
  const N = 10000, B = 604;
  const open = (name, stores) => new Promise((resolve, reject) => {
    const q = indexedDB.open(name, 1);
    q.onupgradeneeded = () => {
      for (const [store, indexes] of stores) {
        const os = q.result.createObjectStore(store, { keyPath: 'id' });
        for (const i of indexes) os.createIndex(i, i, { multiEntry: i === 'ids' });
      }
    };
    q.onsuccess = () => resolve(q.result);
    q.onerror = () => reject(q.error);
  });
  const done = (req) => new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const ids = Array.from({ length: N }, () => crypto.randomUUID());
  const cts = ids.map(() => crypto.getRandomValues(new Uint8Array(B)));
  const stampOf = (ct) => 'b' + ct.subarray(ct.length - 16).toBase64({ alphabet: 'base64url', omitPadding: true });
  const record = (i) => ({ id: ids[i], base: { version: 1, deleted: false, ct: cts[i], rev: 1, seq: i + 1 }, seen: { rev: 1, tag: 'abcdefabcdef' } });
  async function write(stores, rows, perTx) {
    const name = 'idb-write-' + Math.random();
    const db = await open(name, stores);
    const t0 = performance.now();
    for (let i = 0; i < N; i += 1000) {
      const tx = db.transaction(stores.map((s) => s[0]), 'readwrite');
      for (let j = i; j < i + 1000; j++) for (const [store, row] of rows(j)) tx.objectStore(store).put(row);
      if (perTx) for (const [store, row] of perTx(i)) tx.objectStore(store).put(row);
      await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
    }
    return { db, name, ms: performance.now() - t0 };
  }
  const out = {};
  const close = ({ db, name }) => { db.close(); indexedDB.deleteDatabase(name); };
  let w = await write([['records', []]], (i) => [['records', { id: ids[i], version: 1, ct: cts[i] }]]);
  out.raw = w.ms; close(w);
  w = await write([['records', []], ['stamps', []]], (i) => [['records', record(i)], ['stamps', { id: ids[i], stamp: stampOf(cts[i]) }]]);
  out.cofre = w.ms;
  let t0 = performance.now();
  await done(w.db.transaction('stamps').objectStore('stamps').getAll());
  out['cofre: read stamps (getAll)'] = performance.now() - t0; close(w);
  w = await write([['records', []]], (i) => [['records', record(i)]]);
  out['records only'] = w.ms;
  t0 = performance.now();
  await done(w.db.transaction('records').objectStore('records').getAll());
  out['records only: read every record (getAll)'] = performance.now() - t0; close(w);
  w = await write([['records', ['stamp']]], (i) => [['records', { ...record(i), stamp: stampOf(cts[i]) }]]);
  out['stamp index'] = w.ms;
  t0 = performance.now();
  await new Promise((resolve, reject) => {
    const c = w.db.transaction('records').objectStore('records').index('stamp').openKeyCursor();
    const stamps = new Map();
    c.onsuccess = () => { const cur = c.result; if (!cur) return resolve(stamps); stamps.set(cur.primaryKey, cur.key); cur.continue(); };
    c.onerror = () => reject(c.error);
  });
  out['stamp index: read stamps (key cursor)'] = performance.now() - t0; close(w);
  w = await write([['records', []], ['log', []]], (i) => [['records', record(i)]], (i) => [['log', {
    id: i, ids: ids.slice(i, i + 1000), stamps: cts.slice(i, i + 1000).map(stampOf),
  }]]);
  out['stamp log'] = w.ms;
  t0 = performance.now();
  const log = await done(w.db.transaction('log').objectStore('log').getAll());
  const folded = new Map();
  for (const row of log) for (let k = 0; k < row.ids.length; k++) folded.set(row.ids[k], row.stamps[k]);
  out['stamp log: read stamps (getAll, fold)'] = performance.now() - t0; close(w);
  w = await write([['chunks', []]], () => [], (i) => [['chunks', {
    id: i, ids: ids.slice(i, i + 1000), rows: ids.slice(i, i + 1000).map((_, k) => record(i + k)),
  }]]);
  out['chunked'] = w.ms;
  t0 = performance.now();
  const chunks = await done(w.db.transaction('chunks').objectStore('chunks').getAll());
  out['chunked: read every record (getAll)'] = performance.now() - t0;
  t0 = performance.now();
  await done(w.db.transaction('chunks').objectStore('chunks').get(5000));
  out['chunked: read one chunk (get)'] = performance.now() - t0; close(w);
  if (chunks.length !== N / 1000) throw new Error('chunks: ' + chunks.length);
  for (const size of [1000, 250]) {
    const label = 'chunked ' + size + ' + ids index';
    w = await write([['chunks', ['ids']]], () => [], (i) => {
      const rows = [];
      for (let c = i; c < i + 1000; c += size) rows.push(['chunks', {
        id: c, ids: ids.slice(c, c + size), rows: ids.slice(c, c + size).map((_, k) => record(c + k)),
      }]);
      return rows;
    });
    out[label] = w.ms;
    // A record found through the index: the chunk's key, then the chunk, for 20 ids.
    t0 = performance.now();
    for (let k = 0; k < 20; k++) {
      const tx = w.db.transaction('chunks');
      const key = await done(tx.objectStore('chunks').index('ids').getKey(ids[k * 499]));
      const chunk = await done(tx.objectStore('chunks').get(key));
      if (!chunk.ids.includes(ids[k * 499])) throw new Error('not found');
    }
    out[label + ': read one record (avg of 20)'] = (performance.now() - t0) / 20;
    // Which chunks hold 1,000 scattered ids: a key cursor over the index per id.
    t0 = performance.now();
    const idx = w.db.transaction('chunks').objectStore('chunks').index('ids');
    await Promise.all(ids.filter((_, k) => k % 10 === 0).map((id) => done(idx.getKey(id))));
    out[label + ': find 1,000 ids (getKey)'] = performance.now() - t0;
    close(w);
  }
  return out;
})()`;

const ext = await launchExtension();
try {
  const page = await ext.context.newPage();
  await page.goto(`chrome-extension://${ext.extensionId}/offscreen.html`);
  const rounds: Array<Record<string, number>> = [];
  for (let i = 0; i < ROUNDS; i++)
    rounds.push((await page.evaluate(inPage)) as Record<string, number>);
  process.stdout.write(`10,000 rows of 604 B, 1,000 per transaction, ${ROUNDS} rounds (ms):\n`);
  for (const key of Object.keys(rounds[0]!)) {
    const ms = rounds.map((r) => r[key]!.toFixed(0)).join(', ');
    process.stdout.write(`  ${key.padEnd(40)} ${ms}\n`);
  }
} finally {
  await ext.context.close();
}
