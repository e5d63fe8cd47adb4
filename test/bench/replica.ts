// `npm run bench:replica`: one server process on a primary, then the same with
// DATABASE_READ_URL on its streaming replica, in the same run. Real processes, a primary and a
// hot standby made in temporary clusters (pg_basebackup -R) on this machine.
//  - pulls: USERS accounts of ITEMS records each, pulling 1,000-row pages back to back for
//    SECONDS while WRITERS other accounts push: rows/s, and how many pulls the replica served;
//  - replica lag: a push acknowledged → the replica has replayed it, p50 / p99 of PROBES pushes.
// Both clusters and the server share this machine's cores: see `cores` in the output.
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { pullReads } from '../helpers/metrics.ts';
import {
  type Cluster,
  replayed,
  startPrimary,
  startReplica,
  withDatabase,
} from '../helpers/pg-cluster.ts';
import { type ServerProcess, spawnServer } from '../helpers/spawn-server.ts';
import { fakeCt, fakeRegistration, makeClient } from '../helpers/test-server.ts';
import { endBench } from './end-bench.ts';
import { percentile } from './report.ts';

const USERS = Number(process.env.USERS ?? 8);
const ITEMS = Number(process.env.ITEMS ?? 2_000);
const WRITERS = Number(process.env.WRITERS ?? 4);
const SECONDS = Number(process.env.SECONDS ?? 8);
const PROBES = Number(process.env.PROBES ?? 60);
const print = (...parts: unknown[]) => process.stdout.write(`${parts.join(' ')}\n`);

async function signUp(url: string) {
  const reg = fakeRegistration();
  const { token } = await makeClient(url).account.register.mutate(reg);
  return { reg, api: makeClient(url, token) };
}
type User = Awaited<ReturnType<typeof signUp>>;

async function fill(u: User, n: number) {
  for (let i = 0; i < n; i += 500)
    await u.api.sync.push.mutate({
      deviceId: u.reg.device.id,
      items: Array.from({ length: Math.min(500, n - i) }, () => ({
        id: randomUUID(),
        baseVersion: 0,
        deleted: false,
        ct: fakeCt(200),
      })),
    });
}

/** Rows/s pulled by `readers` while `writers` push, and the share the replica served. */
async function pulls(url: string, readers: User[], writers: User[]) {
  const before = await pullReads(url);
  let rows = 0;
  const until = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  await Promise.all([
    ...readers.map(async (u) => {
      while (performance.now() < until) {
        let cursor = 0;
        for (;;) {
          const page = await u.api.sync.pull.query({ cursor, limit: 1000 });
          rows += page.items.length;
          cursor = page.cursor;
          if (!page.hasMore || performance.now() >= until) break;
        }
      }
    }),
    ...writers.map(async (u) => {
      while (performance.now() < until)
        await u.api.sync.push.mutate({
          deviceId: u.reg.device.id,
          items: [{ id: randomUUID(), baseVersion: 0, deleted: false, ct: fakeCt(200) }],
        });
    }),
  ]);
  const after = await pullReads(url);
  return {
    rate: rows / ((performance.now() - t0) / 1000),
    fromReplica: after.replica - before.replica,
    fromPrimary: after.primary - before.primary,
  };
}

/** Milliseconds from a push's answer to the replica having replayed it. */
async function lag(u: User, primary: Cluster, replica: Cluster) {
  const out: number[] = [];
  for (let i = 0; i < PROBES; i++) {
    await u.api.sync.push.mutate({
      deviceId: u.reg.device.id,
      items: [{ id: randomUUID(), baseVersion: 0, deleted: false, ct: fakeCt(64) }],
    });
    const acked = performance.now();
    await replayed(primary, replica);
    out.push(performance.now() - acked);
  }
  return out;
}

const primary = await startPrimary();
let replica: Cluster | undefined;
const servers: ServerProcess[] = [];
try {
  await primary.query('create database cofre');
  replica = await startReplica(primary);
  const url = withDatabase(primary.url, 'cofre');
  const readUrl = withDatabase(replica.url, 'cofre');
  const plain = await spawnServer({ DATABASE_URL: url, LOG_LEVEL: 'warn' });
  servers.push(plain);
  const readers = await Promise.all(Array.from({ length: USERS }, () => signUp(plain.url)));
  const writers = await Promise.all(Array.from({ length: WRITERS }, () => signUp(plain.url)));
  for (const u of readers) await fill(u, ITEMS);
  const onPrimary = await pulls(plain.url, readers, writers);
  await plain.stop('SIGTERM');

  const withReplica = await spawnServer({
    DATABASE_URL: url,
    DATABASE_READ_URL: readUrl,
    LOG_LEVEL: 'warn',
  });
  servers.push(withReplica);
  // The same accounts, signed in again on this process.
  const relog = async (us: User[]) =>
    Promise.all(
      us.map(async (u) => {
        const out = await makeClient(withReplica.url).account.login.mutate({
          email: u.reg.email,
          authKey: u.reg.authKey,
          device: u.reg.device,
        });
        return { ...u, api: makeClient(withReplica.url, 'token' in out ? out.token : undefined) };
      }),
    );
  const [r2, w2] = [await relog(readers), await relog(writers)];
  const onReplica = await pulls(withReplica.url, r2, w2);
  const lags = await lag(w2[0]!, primary, replica);
  print(
    `read replica (${cpus().length} cores; ${USERS} accounts of ${ITEMS} records pulling 1,000-row pages for ${SECONDS} s while ${WRITERS} others push; lag: ${PROBES} pushes)`,
  );
  print('| setup | pull rows/s | pulls served by the replica | by the primary |');
  print('| --- | ---: | ---: | ---: |');
  print(`| primary only | ${onPrimary.rate.toFixed(0)} | — | ${onPrimary.fromPrimary || 'all'} |`);
  print(
    `| DATABASE_READ_URL on a streaming replica | ${onReplica.rate.toFixed(0)} | ${onReplica.fromReplica} | ${onReplica.fromPrimary} |`,
  );
  print(
    `replica lag (push answered → replayed on the replica): p50 ${percentile(lags, 50).toFixed(1)} ms, p99 ${percentile(lags, 99).toFixed(1)} ms`,
  );
} finally {
  await Promise.all(servers.map((s) => s.stop('SIGTERM')));
  await replica?.destroy();
  await primary.destroy();
}
endBench();
