// The server as separate processes, as it is deployed: fan-out between two processes on one
// Postgres, graceful shutdown with a push in flight, no acknowledged write lost to a kill, and
// the CLI's configuration errors and `migrate` command.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { watchChanges } from '../helpers/events.ts';
import { spawnServer } from '../helpers/spawn-server.ts';
import { backend, createPostgresDatabase } from '../helpers/test-db.ts';
import { fakeCt, fakeRegistration, makeClient, makeWsClient } from '../helpers/test-server.ts';

// Processes start slowly when the other core is busy: a budget, not a race with a clock.
vi.setConfig({ testTimeout: 180_000 });

let dbUrl: string | undefined;
let dropDb: (() => Promise<void>) | undefined;
let dataDir: string;

/** Where a spawned server keeps its data on this backend. */
const storeEnv = (): Record<string, string> =>
  dbUrl ? { DATABASE_URL: dbUrl } : { DATA_DIR: dataDir };

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'cofre-proc-'));
  if (backend === 'postgres') ({ url: dbUrl, drop: dropDb } = await createPostgresDatabase());
});
afterAll(async () => {
  await dropDb?.();
  await rm(dataDir, { recursive: true, force: true });
});

async function signUp(url: string) {
  const reg = fakeRegistration();
  const out = await makeClient(url).account.register.mutate(reg);
  return { ...reg, token: out.token };
}

const items = (n: number, bytes = 64) =>
  Array.from({ length: n }, () => ({
    id: randomUUID(),
    baseVersion: 0,
    deleted: false,
    ct: fakeCt(bytes),
  }));

describe.runIf(backend === 'postgres')('two server processes on one Postgres', () => {
  it('should deliver a push on one process to a subscriber on the other within 1 s', async () => {
    const [one, two] = await Promise.all([spawnServer(storeEnv()), spawnServer(storeEnv())]);
    try {
      const user = await signUp(one.url);
      const stream = watchChanges(makeClient(two.url, user.token));
      await stream.waitFor((e) => e.seq === 0);
      const started = performance.now();
      await makeClient(one.url, user.token).sync.push.mutate({
        deviceId: user.device.id,
        items: items(3),
      });
      await stream.waitFor((e) => e.seq === 3, 1_000);
      expect(performance.now() - started).toBeLessThan(1_000);
      stream.close();
    } finally {
      await Promise.all([one.stop(), two.stop()]);
    }
  });

  it('should finish a push in flight when SIGTERM arrives, end open streams, then exit cleanly', async () => {
    const server = await spawnServer(storeEnv());
    const user = await signUp(server.url);
    const locker = new pg.Client({ connectionString: dbUrl });
    locker.on('error', () => {});
    await locker.connect();
    try {
      // Hold the user's row lock so the push is provably in flight inside the server.
      await locker.query('begin');
      await locker.query('select seq from users where id = $1 for update', [user.userId]);
      // Open change streams (SSE and WebSocket) must not hold the shutdown up.
      const stream = watchChanges(makeClient(server.url, user.token));
      const ws = makeWsClient(server.url, user.token);
      const wsStream = watchChanges(ws.api);
      await stream.waitFor((e) => e.seq === 0);
      await wsStream.waitFor((e) => e.seq === 0);
      const batch = items(100);
      const pushing = makeClient(server.url, user.token).sync.push.mutate({
        deviceId: user.device.id,
        items: batch,
      });
      await expect
        .poll(async () => {
          const r = await locker.query(
            "select count(*)::int n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
          );
          return r.rows[0].n;
        })
        .toBe(1);
      const exited = server.stop('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
      // The server is closing: a new request is refused (503 or no connection), the one in
      // flight is not.
      const late = await fetch(`${server.url}/healthz`).then(
        (r) => r.status,
        () => 'refused',
      );
      expect([503, 'refused']).toContain(late);
      await locker.query('commit');
      const result = await pushing;
      expect(result.applied).toHaveLength(100);
      expect(await exited).toBe(0);
      stream.close();
      ws.close();
      const stored = await locker.query('select count(*)::int n from records where user_id = $1', [
        user.userId,
      ]);
      expect(stored.rows[0].n).toBe(100);
    } finally {
      await locker.end();
      await server.stop();
    }
  });
});

describe.runIf(backend === 'pglite')('the server on its embedded PGlite data directory', () => {
  it('should keep every acknowledged push across SIGTERM during a push and across SIGKILL', async () => {
    let server = await spawnServer(storeEnv());
    const user = await signUp(server.url);
    const api = () => makeClient(server.url, user.token);

    // SIGTERM while a large push is being handled and a change stream is open: if the push
    // was acknowledged, it is stored.
    const stream = watchChanges(api());
    await stream.waitFor((e) => e.seq === 0);
    const batch = items(500, 4_000);
    const pushing = api()
      .sync.push.mutate({ deviceId: user.device.id, items: batch })
      .then(
        (r) => r,
        () => null,
      );
    await new Promise((r) => setTimeout(r, 50));
    expect(await server.stop('SIGTERM')).toBe(0);
    const acked = await pushing;
    stream.close();

    server = await spawnServer(storeEnv());
    const first = await api().sync.pull.query({ cursor: 0, limit: 1000 });
    expect(first.items.length).toBe(acked ? 500 : 0);

    // An acknowledged push survives a kill -9 right after the answer.
    const more = items(20);
    const result = await api().sync.push.mutate({ deviceId: user.device.id, items: more });
    expect(result.applied).toHaveLength(20);
    await server.stop('SIGKILL');

    server = await spawnServer(storeEnv());
    try {
      const after = await api().sync.pull.query({ cursor: first.cursor, limit: 1000 });
      expect(after.items.map((i) => i.id)).toEqual(more.map((i) => i.id));
    } finally {
      await server.stop();
    }
  });
});

describe('the command line', () => {
  it('should name each bad variable on one line and exit 2', async () => {
    await expect(
      spawnServer({ ...storeEnv(), PORT: 'abc', LOG_LEVEL: 'loud' }, []),
    ).rejects.toThrow(/exited with 2:[\s\S]*PORT: [^\n]+\nLOG_LEVEL: /);
  });

  it('should only apply migrations with `migrate`', async () => {
    await expect(spawnServer(storeEnv(), ['migrate'])).rejects.toThrow(
      /exited with 0:[\s\S]*migrations applied/,
    );
  });
});
