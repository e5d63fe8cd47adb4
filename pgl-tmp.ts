import pino from 'pino';
import { openPglite } from '/work/main/server/db/client.ts';

let t = performance.now();
const d = await openPglite({ dataDir: 'memory://', logger: pino({ level: 'silent' }) });
console.log('create', performance.now() - t);
t = performance.now();
await d.migrate();
console.log('migrate', performance.now() - t);
t = performance.now();
// @ts-expect-error
const client = (d.db as any).$client;
const dump = await client.dumpDataDir('none');
console.log('dump', performance.now() - t, dump.size);
t = performance.now();
const d2 = await openPglite({
  dataDir: 'memory://',
  logger: pino({ level: 'silent' }),
  loadDataDir: dump,
});
console.log('load', performance.now() - t);
console.log(process.memoryUsage().rss / 1e6);
