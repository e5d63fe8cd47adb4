// What an operator relies on: health and readiness, Prometheus metrics, recovery from dropped
// database connections, and logs that never hold a token, a key or a ciphertext.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchChanges } from '../helpers/events.ts';
import { spawnServer } from '../helpers/spawn-server.ts';
import {
  backend,
  createPostgresDatabase,
  createTestDb,
  queryRows,
  seededDataDir,
} from '../helpers/test-db.ts';
import {
  fakeCt,
  fakeRegistration,
  makeClient,
  registerUser,
  sessionOf,
  startTestServer,
  type TestServer,
} from '../helpers/test-server.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(() => ts.close());

const metricValue = (text: string, line: RegExp) => {
  const m = text.split('\n').find((l) => line.test(l));
  return m ? Number(m.split(' ').at(-1)) : Number.NaN;
};

describe('health and metrics', () => {
  it('should report live, ready and count requests, pushes, conflicts and streams', async () => {
    expect(await (await fetch(`${ts.url}/healthz`)).text()).toBe('ok');
    expect((await fetch(`${ts.url}/readyz`)).status).toBe(200);

    const user = await registerUser(ts);
    const id = randomUUID();
    const push = (baseVersion: number) =>
      user.api.sync.push.mutate({
        deviceId: user.device.id,
        items: [{ id, baseVersion, deleted: false, ct: fakeCt() }],
      });
    await push(0);
    await push(0); // a conflict
    const stream = watchChanges(user.api);
    await stream.waitFor((e) => e.seq === 1);

    const res = await fetch(`${ts.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(metricValue(text, /^cofre_requests_total\{procedure="sync.push",status="200"\}/)).toBe(
      2,
    );
    expect(
      metricValue(text, /^cofre_requests_total\{procedure="account.register",status="200"\}/),
    ).toBe(1);
    expect(
      metricValue(text, /^cofre_request_duration_seconds_count\{procedure="sync.push"\}/),
    ).toBe(2);
    expect(metricValue(text, /^cofre_sync_pushes_total /)).toBe(2);
    expect(metricValue(text, /^cofre_sync_applied_items_total /)).toBe(1);
    expect(metricValue(text, /^cofre_sync_conflicts_total /)).toBe(1);
    expect(metricValue(text, /^cofre_subscriptions_active /)).toBe(1);
    expect(metricValue(text, /^cofre_db_pool_connections\{state="total"\}/)).toBeGreaterThanOrEqual(
      1,
    );
    expect(text).toMatch(/^cofre_process_resident_memory_bytes /m);
    stream.close();
  });

  it('should answer /readyz 503 while the database is unavailable', async () => {
    const own = await createTestDb();
    const server = await startTestServer({}, own);
    try {
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      await own.database.close();
      const res = await fetch(`${server.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.text()).toBe('database unavailable');
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
      await own.drop();
    }
  });
});

describe.runIf(backend === 'postgres')('dropped Postgres connections', () => {
  it('should keep serving and streaming after every connection is terminated', async () => {
    const user = await registerUser(ts);
    const stream = watchChanges(user.api);
    await stream.waitFor((e) => e.seq === 0);
    const push = () =>
      user.api.sync.push.mutate({
        deviceId: user.device.id,
        items: [{ id: randomUUID(), baseVersion: 0, deleted: false, ct: fakeCt() }],
      });
    await push();
    await stream.waitFor((e) => e.seq === 1);

    // Kill every server connection to this database, the LISTEN one included.
    const killed = await queryRows<{ n: number }>(
      ts.testDb.database.db,
      sql`select count(pg_terminate_backend(pid))::int n from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid()`,
    );
    expect(killed[0]!.n).toBeGreaterThanOrEqual(1);

    await expect
      .poll(async () => (await fetch(`${ts.url}/readyz`)).status, { timeout: 5_000 })
      .toBe(200);
    await expect
      .poll(
        () =>
          push().then(
            () => true,
            () => false,
          ),
        { timeout: 5_000 },
      )
      .toBe(true);
    // The listener reconnects and re-reads the head, so the stream catches up.
    const head = (await user.api.sync.pull.query({ cursor: 0, limit: 100 })).cursor;
    await stream.waitFor((e) => e.seq === head, 5_000);
    stream.close();
  });
});

describe('logs', () => {
  it('should hold no token, key, salt or ciphertext even at trace level', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cofre-logs-'));
    const pgdb = backend === 'postgres' ? await createPostgresDatabase() : undefined;
    const server = await spawnServer({
      LOG_LEVEL: 'trace',
      ...(pgdb ? { DATABASE_URL: pgdb.url } : { DATA_DIR: await seededDataDir(join(dir, 'data')) }),
    });
    try {
      const reg = fakeRegistration();
      const { token } = await makeClient(server.url).account.register.mutate(reg);
      const login = sessionOf(
        await makeClient(server.url).account.login.mutate({
          email: reg.email,
          authKey: reg.authKey,
          device: reg.device,
        }),
      );
      await makeClient(server.url)
        .account.login.mutate({ email: reg.email, authKey: fakeCt(32), device: reg.device })
        .catch(() => {});
      const ct = fakeCt(40);
      const api = makeClient(server.url, token);
      await api.sync.push.mutate({
        deviceId: reg.device.id,
        items: [{ id: randomUUID(), baseVersion: 0, deleted: false, ct }],
      });
      // A bad request whose input holds a ciphertext, and a stream authenticated by URL params.
      await api.sync.push
        .mutate({
          deviceId: reg.device.id,
          items: [{ id: 'x', baseVersion: 0, deleted: false, ct }],
        })
        .catch(() => {});
      const stream = watchChanges(api);
      await stream.waitFor((e) => e.seq === 1);
      stream.close();
      await server.stop();
      const logs = server.output();
      expect(logs).toMatch(/"msg":"ready"/);
      for (const secret of [
        token,
        login.token,
        reg.authKey,
        reg.salt,
        reg.wrappedAccountKey,
        ct,
        reg.email,
      ]) {
        expect(logs).not.toContain(secret);
      }
    } finally {
      await server.stop();
      await pgdb?.drop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('should keep serving and stop on SIGTERM while nobody reads its log', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cofre-stall-'));
    const pgdb = backend === 'postgres' ? await createPostgresDatabase() : undefined;
    const server = await spawnServer({
      LOG_LEVEL: 'trace',
      ...(pgdb ? { DATABASE_URL: pgdb.url } : { DATA_DIR: await seededDataDir(join(dir, 'data')) }),
    });
    try {
      // A stalled log collector: stdout is a pipe that is no longer read, so it fills.
      server.proc.stdout!.removeAllListeners('data');
      server.proc.stdout!.pause();
      const api = makeClient(server.url);
      for (let i = 0; i < 20; i++)
        await Promise.all(
          Array.from({ length: 60 }, (_, n) =>
            api.account.prelogin.query({ email: `stall-${i}-${n}@example.com` }),
          ),
        );
      // Still answering — health, and a request that logs — with the pipe long full.
      const health = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(20_000) });
      expect(health.status).toBe(200);
      const metrics = await (
        await fetch(`${server.url}/metrics`, { signal: AbortSignal.timeout(20_000) })
      ).text();
      // (Over 1,200 requests at trace level: far more than the pipe holds.)
      expect(metrics).toMatch(/^cofre_log_lines_dropped \d+$/m);
      // And SIGTERM ends it (the shutdown has a deadline; it did not run at all before).
      const code = await server.stop('SIGTERM');
      expect(code).toBe(0);
    } finally {
      server.proc.kill('SIGKILL');
      await pgdb?.drop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
