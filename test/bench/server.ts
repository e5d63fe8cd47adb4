// Server figures, each beside a raw baseline taken on the same database in the same run:
//  - push: 1 item per request, N simulated users over HTTP (closed loop) vs the same
//    compare-and-swap transaction issued straight to the database at the same concurrency;
//    100-item pushes likewise;
//  - pull: rows/s and p99 per 1,000-row page vs the raw keyset query;
//  - memory: the server process's RSS idle and its peak under the push load;
//  - propagation: a push on device A → device B (subscribed over WebSocket) has pulled it.
// The server runs as its own process (`server/main.ts`), as a self-hoster runs it. On PGlite
// the raw baseline opens the same data directory once that process has stopped (one process
// owns it); on Postgres it uses node-pg with the server's pool size on the same database.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { byteaParsers, byteaSerializers } from '../../server/db/pglite-bytea.ts';
import { spawnServer } from '../helpers/spawn-server.ts';
import { createPostgresDatabase } from '../helpers/test-db.ts';
import {
  fakeCt,
  fakeRegistration,
  makeClient,
  makeWsClient,
  sessionOf,
} from '../helpers/test-server.ts';
import { median, percentile, type Row, type Target } from './report.ts';

export interface ServerBenchOptions {
  /** Seconds each throughput phase runs. */
  seconds: number;
  users: number;
  /** Records in the account the pull is measured on. */
  pullRows: number;
  propagationWrites: number;
  log(line: string): void;
}

/** The raw side: one CAS push transaction, and the keyset page query. */
interface RawDb {
  push(userId: string, deviceId: string, items: { id: string; ct: Buffer }[]): Promise<void>;
  page(userId: string, cursor: number, limit: number): Promise<{ seq: number }[]>;
  close(): Promise<void>;
}

const POOL_MAX = 10; // the server's DATABASE_POOL_MAX default

// The minimum a correct push needs: lock the user's counter row, read the stored versions,
// compare, upsert, bump the counter — one transaction, like the server's, minus HTTP, tRPC,
// session lookup, validation, drizzle and the NOTIFY.
const LOCK = 'select seq from users where id = $1 for update';
const READ = 'select id, version from records where user_id = $1 and id = any($2::uuid[])';
const BUMP = 'update users set seq = $2 where id = $1';
function upsert(n: number) {
  const rows = Array.from(
    { length: n },
    (_, i) => `($1, $${3 + i * 3}, 1, $${4 + i * 3}, false, $${5 + i * 3}, now(), $2)`,
  );
  return `insert into records (user_id, id, version, seq, deleted, ct, updated_at, device_id)
    values ${rows.join(', ')}
    on conflict (user_id, id) do update set version = excluded.version, seq = excluded.seq,
      deleted = excluded.deleted, ct = excluded.ct, updated_at = excluded.updated_at,
      device_id = excluded.device_id`;
}
const PAGE =
  'select id, version, seq, deleted, ct, updated_at from records where user_id = $1 and seq > $2 order by seq limit $3';

/**
 * As the role requests run as, held by row-level security, with the user set per transaction
 * (the server's way: migration 0009) — against the same SQL as the owner, for the RLS cost.
 */
const AS_APP = `select set_config('role', 'cofre_app', true), set_config('cofre.user_id', $1, true)`;

function rawPostgres(url: string, asApp = false): RawDb {
  const pool = new pg.Pool({ connectionString: url, max: POOL_MAX });
  // An idle connection closed under it (the database dropped after the run) is not a failure.
  pool.on('error', () => {});
  return {
    async push(userId, deviceId, items) {
      const c = await pool.connect();
      try {
        await c.query('begin');
        if (asApp) await c.query(AS_APP, [userId]);
        const { rows } = await c.query<{ seq: string }>(LOCK, [userId]);
        const stored = await c.query<{ id: string; version: number }>(READ, [
          userId,
          items.map((i) => i.id),
        ]);
        if (stored.rows.length > 0) throw new Error('raw push: unexpected stored record');
        let seq = Number(rows[0]!.seq);
        const params: unknown[] = [userId, deviceId];
        for (const it of items) params.push(it.id, ++seq, it.ct);
        await c.query(upsert(items.length), params);
        await c.query(BUMP, [userId, seq]);
        await c.query('commit');
      } catch (e) {
        await c.query('rollback');
        throw e;
      } finally {
        c.release();
      }
    },
    async page(userId, cursor, limit) {
      if (!asApp) {
        const { rows } = await pool.query<{ seq: string }>(PAGE, [userId, cursor, limit]);
        return rows.map((r) => ({ seq: Number(r.seq) }));
      }
      const c = await pool.connect();
      try {
        await c.query('begin');
        await c.query(AS_APP, [userId]);
        const { rows } = await c.query<{ seq: string }>(PAGE, [userId, cursor, limit]);
        await c.query('commit');
        return rows.map((r) => ({ seq: Number(r.seq) }));
      } finally {
        c.release();
      }
    },
    close: () => pool.end(),
  };
}

async function rawPglite(dataDir: string, asApp = false): Promise<RawDb> {
  // The server's settings and bytea codec (server/db/client.ts): the raw side reads and writes
  // the same bytes no slower than the server can.
  const client = await PGlite.create({
    dataDir,
    startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB', '-c', 'work_mem=2MB'],
    parsers: byteaParsers,
    serializers: byteaSerializers,
  });
  return {
    push: (userId, deviceId, items) =>
      client.transaction(async (tx) => {
        if (asApp) await tx.query(AS_APP, [userId]);
        const { rows } = await tx.query<{ seq: number }>(LOCK, [userId]);
        const stored = await tx.query(READ, [userId, items.map((i) => i.id)]);
        if (stored.rows.length > 0) throw new Error('raw push: unexpected stored record');
        let seq = Number(rows[0]!.seq);
        const params: unknown[] = [userId, deviceId];
        for (const it of items) params.push(it.id, ++seq, new Uint8Array(it.ct));
        await tx.query(upsert(items.length), params);
        await tx.query(BUMP, [userId, seq]);
      }),
    async page(userId, cursor, limit) {
      const { rows } = asApp
        ? await client.transaction(async (tx) => {
            await tx.query(AS_APP, [userId]);
            return tx.query<{ seq: number }>(PAGE, [userId, cursor, limit]);
          })
        : await client.query<{ seq: number }>(PAGE, [userId, cursor, limit]);
      return rows.map((r) => ({ seq: Number(r.seq) }));
    },
    close: () => client.close(),
  };
}

async function rssOf(pid: number) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/** Runs `users` closed loops of `op` for `seconds`; returns ops/s and per-op latencies. */
async function closedLoop(users: number, seconds: number, op: (u: number) => Promise<void>) {
  const lat: number[] = [];
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: users }, async (_, u) => {
      while (performance.now() < end) {
        const s = performance.now();
        await op(u);
        lat.push(performance.now() - s);
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  return {
    perSec: lat.length / elapsed,
    count: lat.length,
    p50: median(lat),
    p99: percentile(lat, 99),
  };
}

/**
 * `closedLoop` after a warm-up of the same load that is not counted (up to 1 s): the JIT,
 * connection pools and caches of both sides settle first. Without it a 2-s phase measures
 * mostly the warm-up (its p99 above all).
 */
async function warmedLoop(users: number, seconds: number, op: (u: number) => Promise<void>) {
  await closedLoop(users, Math.min(1, seconds), op);
  return closedLoop(users, seconds, op);
}

type Api = ReturnType<typeof makeClient>;
interface User {
  userId: string;
  deviceId: string;
  email: string;
  authKey: string;
  api: Api;
}

async function register(url: string, n: number): Promise<User[]> {
  const users: User[] = [];
  // A few at a time: the server hashes each authKey with Argon2id.
  for (let i = 0; i < n; i += 4) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(4, n - i) }, async () => {
        const reg = fakeRegistration();
        const { token } = await makeClient(url).account.register.mutate(reg);
        return {
          userId: reg.userId,
          deviceId: reg.device.id,
          email: reg.email,
          authKey: reg.authKey,
          api: makeClient(url, token),
        };
      }),
    );
    users.push(...batch);
  }
  return users;
}

const newItems = (n: number) =>
  Array.from({ length: n }, () => ({ id: randomUUID(), ct: randomBytes(300) }));

/**
 * Propagation: every device subscribes to its account's changes over WebSocket and pulls when
 * the head moves; each push's records are timed from the push's start until each other device
 * of the account has pulled them.
 */
async function propagation(
  url: string,
  users: User[],
  devicesPerAccount: number,
  writesPerDevice: number,
  intervalMs: number,
) {
  const sentAt = new Map<string, { at: number; by: string }>();
  const latencies: number[] = [];
  const devices = await Promise.all(
    users.flatMap((u) =>
      Array.from({ length: devicesPerAccount }, async () => {
        const deviceId = randomUUID();
        const { token } = sessionOf(
          await makeClient(url).account.login.mutate({
            email: u.email,
            authKey: u.authKey,
            device: { id: deviceId, name: 'Bench device' },
          }),
        );
        const api = makeClient(url, token);
        const ws = makeWsClient(url, token);
        // Start from the head: earlier records are not part of this measurement.
        let cursor = 0;
        for (;;) {
          const page = await api.sync.pull.query({ cursor, limit: 1000 });
          cursor = page.cursor;
          if (!page.hasMore) break;
        }
        let pulling = false;
        let again = false;
        const pullNow = async () => {
          if (pulling) {
            again = true;
            return;
          }
          pulling = true;
          do {
            again = false;
            for (;;) {
              const page = await api.sync.pull.query({ cursor, limit: 1000 });
              const now = performance.now();
              for (const item of page.items) {
                const sent = sentAt.get(item.id);
                if (sent && sent.by !== deviceId) latencies.push(now - sent.at);
              }
              cursor = page.cursor;
              if (!page.hasMore) break;
            }
          } while (again);
          pulling = false;
        };
        const sub = ws.api.sync.changes.subscribe(undefined, { onData: () => void pullNow() });
        return { deviceId, api, ws, sub };
      }),
    ),
  );
  await new Promise((r) => setTimeout(r, 300)); // every subscription has had its first event
  await Promise.all(
    devices.map(async (dev, i) => {
      await new Promise((r) => setTimeout(r, (i * intervalMs) / devices.length));
      for (let w = 0; w < writesPerDevice; w++) {
        const id = randomUUID();
        sentAt.set(id, { at: performance.now(), by: dev.deviceId });
        await dev.api.sync.push.mutate({
          deviceId: dev.deviceId,
          items: [{ id, baseVersion: 0, deleted: false, ct: fakeCt(300) }],
        });
        await new Promise((r) => setTimeout(r, intervalMs));
      }
    }),
  );
  const expected = devices.length * writesPerDevice * (devicesPerAccount - 1);
  for (let i = 0; i < 100 && latencies.length < expected; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  for (const d of devices) {
    d.sub.unsubscribe();
    d.ws.close();
  }
  return {
    p50: median(latencies),
    p99: percentile(latencies, 99),
    seen: latencies.length,
    expected,
  };
}

/** The p50 and p99 rows of one propagation run, with the targets where it sets them. */
function latencyRows(
  kind: string,
  name: string,
  key: string,
  r: { p50: number; p99: number; seen: number; expected: number },
  targets: { p50?: number; p99?: number },
): Row[] {
  return (['p50', 'p99'] as const).map((p) => ({
    key: `propagation/${key}-${p}/${kind}`,
    section: 'propagation',
    name: `${name}, ${p}`,
    ...(p === 'p50' ? { note: `${r.seen}/${r.expected} deliveries` } : {}),
    unit: 'ms',
    value: r[p],
    better: 'lower' as const,
    ...(targets[p] !== undefined ? { target: { op: '<=' as const, value: targets[p]! } } : {}),
  }));
}

async function benchOne(kind: 'postgres' | 'pglite', opts: ServerBenchOptions): Promise<Row[]> {
  const rows: Row[] = [];
  const pgDb = kind === 'postgres' ? await createPostgresDatabase() : undefined;
  const dataDir = kind === 'pglite' ? await mkdtemp(join(tmpdir(), 'cofre-bench-')) : undefined;
  const env: Record<string, string> = pgDb
    ? { DATABASE_URL: pgDb.url, DATABASE_POOL_MAX: String(POOL_MAX) }
    : { DATA_DIR: dataDir! };
  try {
    const server = await spawnServer({ ...env, LOG_LEVEL: 'warn' });
    const pid = server.proc.pid!;
    await new Promise((r) => setTimeout(r, 2_000));
    const idle = await rssOf(pid);
    const users = await register(server.url, opts.users);
    opts.log(`  ${kind}: ${users.length} accounts registered`);

    let peak = 0;
    const sampler = setInterval(() => {
      void rssOf(pid).then((m) => {
        peak = Math.max(peak, m);
      });
    }, 100);
    const push1 = await warmedLoop(users.length, opts.seconds, async (u) => {
      const user = users[u]!;
      await user.api.sync.push.mutate({
        deviceId: user.deviceId,
        items: [{ id: randomUUID(), baseVersion: 0, deleted: false, ct: fakeCt(300) }],
      });
    });
    const push100 = await warmedLoop(users.length, opts.seconds, async (u) => {
      const user = users[u]!;
      await user.api.sync.push.mutate({
        deviceId: user.deviceId,
        items: Array.from({ length: 100 }, () => ({
          id: randomUUID(),
          baseVersion: 0,
          deleted: false,
          ct: fakeCt(300),
        })),
      });
    });
    clearInterval(sampler);

    // The pull account: its own records, pushed in 100-item batches.
    const owner = users[0]!;
    for (let i = 0; i < opts.pullRows; i += 100) {
      await owner.api.sync.push.mutate({
        deviceId: owner.deviceId,
        items: Array.from({ length: 100 }, () => ({
          id: randomUUID(),
          baseVersion: 0,
          deleted: false,
          ct: fakeCt(300),
        })),
      });
    }
    const pullPages: number[] = [];
    let pulled = 0;
    const tPull = performance.now();
    for (let pass = 0; pass < 3; pass++) {
      let cursor = 0;
      for (;;) {
        const s = performance.now();
        const page = await owner.api.sync.pull.query({ cursor, limit: 1000 });
        pullPages.push(performance.now() - s);
        pulled += page.items.length;
        cursor = page.cursor;
        if (!page.hasMore) break;
      }
    }
    const pullRate = pulled / ((performance.now() - tPull) / 1000);

    const pair = await propagation(server.url, [users[1]!], 2, opts.propagationWrites, 50);
    const fleet = await propagation(
      server.url,
      users.slice(2, 12),
      5,
      Math.max(3, Math.round(opts.propagationWrites / 5)),
      250,
    );
    await server.stop();

    // The raw side, on the same database and rows.
    const measureRaw = async (raw: RawDb) => {
      const raw1 = await warmedLoop(users.length, opts.seconds, (u) =>
        raw.push(users[u]!.userId, users[u]!.deviceId, newItems(1)),
      );
      const raw100 = await warmedLoop(users.length, opts.seconds, (u) =>
        raw.push(users[u]!.userId, users[u]!.deviceId, newItems(100)),
      );
      const rawPages: number[] = [];
      let rawRows = 0;
      const tRaw = performance.now();
      for (let pass = 0; pass < 3; pass++) {
        let cursor = 0;
        for (;;) {
          const s = performance.now();
          const page = await raw.page(owner.userId, cursor, 1001);
          rawPages.push(performance.now() - s);
          const items = page.slice(0, 1000);
          rawRows += items.length;
          cursor = items.at(-1)?.seq ?? cursor;
          if (page.length <= 1000) break;
        }
      }
      return { raw1, raw100, rawPages, rawPull: rawRows / ((performance.now() - tRaw) / 1000) };
    };
    // Row-level security's cost: the same raw SQL as cofre_app with the user set per transaction.
    const rls = pgDb ? rawPostgres(pgDb.url, true) : await rawPglite(dataDir!, true);
    const underRls = await measureRaw(rls).finally(() => rls.close());
    const raw = pgDb ? rawPostgres(pgDb.url) : await rawPglite(dataDir!);
    try {
      const { raw1, raw100, rawPages, rawPull } = await measureRaw(raw);
      const db = kind === 'postgres' ? 'Postgres' : 'PGlite';
      // Issue 21: PGlite's raw engine does less than the absolute targets on this machine, so
      // PGlite is held to 0.8 of its own raw baseline in the same run; Postgres to the figure.
      const absoluteOrRaw = (value: number): Target =>
        kind === 'postgres' ? { op: '>=', value } : { op: '>=', value: 0.8, on: 'ratio' };
      const users64 = `${users.length} users`;
      rows.push(
        {
          key: `push/1-item-rate/${kind}`,
          section: 'push',
          name: `${db}: 1-item pushes, ${users64}`,
          unit: 'req/s',
          value: push1.perSec,
          better: 'higher',
          baseline: { name: 'raw CAS', value: raw1.perSec },
          target: { op: '>=', value: 0.5, on: 'ratio' },
        },
        {
          key: `push/1-item-p50/${kind}`,
          section: 'push',
          name: `${db}: 1-item push p50, ${users64}`,
          unit: 'ms',
          value: push1.p50,
          better: 'lower',
          baseline: { name: 'raw CAS', value: raw1.p50 },
        },
        {
          key: `push/1-item-p99/${kind}`,
          section: 'push',
          name: `${db}: 1-item push p99, ${users64}`,
          unit: 'ms',
          value: push1.p99,
          better: 'lower',
          baseline: { name: 'raw CAS', value: raw1.p99 },
          target: { op: '<=', value: 50 },
        },
        {
          key: `push/100-item-rate/${kind}`,
          section: 'push',
          name: `${db}: 100-item pushes, ${users64}`,
          unit: 'items/s',
          value: push100.perSec * 100,
          better: 'higher',
          baseline: { name: 'raw CAS', value: raw100.perSec * 100 },
          target: absoluteOrRaw(15_000),
        },
        {
          key: `pull/rate/${kind}`,
          section: 'pull',
          name: `${db}: pull in 1,000-row pages`,
          note: `${(pulled / 3).toLocaleString('en')} records × 3 passes`,
          unit: 'rows/s',
          value: pullRate,
          better: 'higher',
          baseline: { name: 'raw keyset query', value: rawPull },
          target: absoluteOrRaw(60_000),
        },
        {
          key: `pull/page-p99/${kind}`,
          section: 'pull',
          name: `${db}: pull p99 per 1,000-row page`,
          unit: 'ms',
          value: percentile(pullPages, 99),
          better: 'lower',
          baseline: { name: 'raw keyset query', value: percentile(rawPages, 99) },
        },
        {
          key: `rls/push-1-rate/${kind}`,
          section: 'rls',
          name: `${db}: raw 1-item CAS as cofre_app under row-level security, ${users64}`,
          unit: 'req/s',
          value: underRls.raw1.perSec,
          better: 'higher',
          baseline: { name: 'as the owner', value: raw1.perSec },
        },
        {
          key: `rls/push-100-rate/${kind}`,
          section: 'rls',
          name: `${db}: raw 100-item CAS as cofre_app under row-level security`,
          unit: 'items/s',
          value: underRls.raw100.perSec * 100,
          better: 'higher',
          baseline: { name: 'as the owner', value: raw100.perSec * 100 },
        },
        {
          key: `rls/pull-rate/${kind}`,
          section: 'rls',
          name: `${db}: raw keyset pull as cofre_app under row-level security`,
          unit: 'rows/s',
          value: underRls.rawPull,
          better: 'higher',
          baseline: { name: 'as the owner', value: rawPull },
        },
        ...latencyRows(kind, `${db}: A → B, 1 pair`, 'pair', pair, { p50: 50 }),
        ...latencyRows(kind, `${db}: 50 devices writing (10 accounts × 5)`, 'fleet', fleet, {
          p50: 50,
          p99: 300,
        }),
        {
          key: `memory/server-idle/${kind}`,
          section: 'memory',
          name: `${db}: server RSS idle`,
          unit: 'MiB',
          value: idle,
          better: 'lower',
          ...(kind === 'postgres' ? { target: { op: '<=' as const, value: 150 } } : {}),
        },
        {
          key: `memory/server-load/${kind}`,
          section: 'memory',
          name: `${db}: server RSS peak under the push load`,
          unit: 'MiB',
          value: peak,
          better: 'lower',
        },
      );
      opts.log(
        `  ${kind}: push ${push1.perSec.toFixed(0)}/s (raw ${raw1.perSec.toFixed(0)}), 100-item ${(push100.perSec * 100).toFixed(0)} items/s (raw ${(raw100.perSec * 100).toFixed(0)}), pull ${pullRate.toFixed(0)} rows/s (raw ${rawPull.toFixed(0)})`,
      );
    } finally {
      await raw.close();
    }
  } finally {
    await pgDb?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
  return rows;
}

export async function benchServer(
  kinds: Array<'postgres' | 'pglite'>,
  opts: ServerBenchOptions,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const kind of kinds) rows.push(...(await benchOne(kind, opts)));
  return rows;
}
