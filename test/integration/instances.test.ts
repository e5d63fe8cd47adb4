// Several instances on one Postgres, proven: three server processes behind HAProxy (Debian's,
// started here with a config of its own on a free port), devices pushing and subscribed
// through it; one instance is killed (SIGKILL) in the middle of the load. Every acknowledged
// write is kept, every feed reconnects to a live instance and reaches the last head, and
// sessions and the sign-in throttle hold across instances.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { watchChanges } from '../helpers/events.ts';
import { haproxyBin, startHaproxy } from '../helpers/load-balancer.ts';
import { type ServerProcess, spawnServer } from '../helpers/spawn-server.ts';
import { backend, createPostgresDatabase } from '../helpers/test-db.ts';
import { fakeCt, fakeRegistration, makeClient } from '../helpers/test-server.ts';

// Processes start slowly when the other core is busy: a budget, not a race with a clock.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

// CI installs HAProxy (.ci/run) and fails if this did not run; elsewhere it needs installing.
const canRun = backend === 'postgres' && haproxyBin !== '';

let db: { url: string; drop(): Promise<void> } | undefined;
let servers: ServerProcess[] = [];
let lb: ChildProcess | undefined;
let lbUrl = '';
let dir = '';

beforeAll(async () => {
  if (!canRun) return;
  dir = await mkdtemp(join(tmpdir(), 'cofre-lb-'));
  db = await createPostgresDatabase();
  // The first applies the migrations; the others find them applied (advisory lock either way).
  servers = [await spawnServer({ DATABASE_URL: db.url, LOG_LEVEL: 'warn' })];
  servers.push(
    ...(await Promise.all(
      [1, 2].map(() => spawnServer({ DATABASE_URL: db!.url, LOG_LEVEL: 'warn' })),
    )),
  );
  const started = await startHaproxy(
    dir,
    servers.map((s) => s.url),
    { healthChecks: true },
  );
  lb = started.proc;
  lbUrl = started.url;
});

afterAll(async () => {
  lb?.kill('SIGKILL');
  await Promise.all(servers.map((s) => s.stop('SIGKILL')));
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A push retried until acknowledged: an identical retry is answered "applied" by design. */
async function pushUntilAcked(api: ReturnType<typeof makeClient>, deviceId: string, item: object) {
  for (let attempt = 0; ; attempt++) {
    try {
      const out = await api.sync.push.mutate({ deviceId, items: [item as never] });
      if (out.applied.length === 1) return out.applied[0]!;
      throw new Error(`conflict: ${JSON.stringify(out.conflicts)}`);
    } catch (err) {
      if (String(err).includes('conflict') || attempt > 50) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

// In CI the proof must run, not skip: .ci/run installs HAProxy.
it.runIf(backend === 'postgres' && !haproxyBin && process.env.CI === 'true')(
  'should find HAProxy in CI',
  () => {
    throw new Error('HAProxy is not installed: .ci/run installs it (apt-get install haproxy)');
  },
);

describe.runIf(canRun)('three instances on one Postgres behind HAProxy', () => {
  it('should keep every acknowledged write and reconnect every feed when an instance is killed mid-load', async () => {
    const users = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const reg = fakeRegistration();
        const { token } = await makeClient(lbUrl).account.register.mutate(reg);
        return { reg, token, api: makeClient(lbUrl, token) };
      }),
    );
    const streams = users.map((u) => watchChanges(u.api));
    await Promise.all(streams.map((s) => s.waitFor((e) => e.seq === 0, 30_000)));

    const acked = new Map<string, Array<{ id: string; seq: number }>>();
    let killed = false;
    const perUser = 40;
    await Promise.all(
      users.map(async (u, n) => {
        const mine: Array<{ id: string; seq: number }> = [];
        acked.set(u.reg.userId, mine);
        for (let i = 0; i < perUser; i++) {
          if (n === 0 && i === perUser / 2 && !killed) {
            killed = true;
            servers[1]!.proc.kill('SIGKILL'); // in the middle of everyone's pushes
          }
          const item = { id: randomUUID(), baseVersion: 0, deleted: false, ct: fakeCt(64) };
          const applied = await pushUntilAcked(u.api, u.reg.device.id, item);
          mine.push({ id: item.id, seq: applied.seq });
        }
      }),
    );
    expect(killed).toBe(true);
    expect(servers[1]!.proc.signalCode).toBe('SIGKILL');

    for (const [i, u] of users.entries()) {
      // Every acknowledged write is there, read back through the surviving instances.
      const pulled = await u.api.sync.pull.query({ cursor: 0, limit: 1_000 });
      const ids = new Set(pulled.items.map((r) => r.id));
      for (const a of acked.get(u.reg.userId)!) expect(ids.has(a.id)).toBe(true);
      expect(pulled.items).toHaveLength(perUser);
      // The feed came back (through another instance) and reached the last head.
      await streams[i]!.waitFor((e) => e.seq === perUser, 60_000);
      streams[i]!.close();
    }
  });

  it('should hold sessions and the sign-in throttle across instances', async () => {
    const reg = fakeRegistration();
    const { token } = await makeClient(lbUrl).account.register.mutate(reg);
    // Round-robin sends these to every live instance: the session is known to each.
    for (let i = 0; i < 6; i++) await makeClient(lbUrl, token).account.me.query();
    // Ten wrong keys spread over the instances, then the eleventh is refused by whichever.
    const wrong = () =>
      makeClient(lbUrl).account.login.mutate({
        email: reg.email,
        authKey: fakeCt(32),
        device: { id: randomUUID(), name: 'Guess' },
      });
    for (let i = 0; i < 10; i++) await expect(wrong()).rejects.toThrow(/wrong/i);
    await expect(wrong()).rejects.toThrow(/Too many/);
  });
});
