// The operations commands as a self-hoster runs them, each its own process next to a running
// server: backup of a live Postgres, restore into an empty database, verify-backup, moving an
// embedded data directory to Postgres, and PGlite's one-process rule with scheduled backups.

import { readFileSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESTORE_SEQ_GAP } from '../../server/ops/restore.ts';
import { runCli, spawnServer } from '../helpers/spawn-server.ts';
import { backend, createPostgresDatabase, seededDataDir } from '../helpers/test-db.ts';
import { fakeRegistration, makeClient, newItems } from '../helpers/test-server.ts';

const cli = runCli;

async function signUp(url: string) {
  const reg = fakeRegistration();
  const out = await makeClient(url).account.register.mutate(reg);
  return { ...reg, token: out.token, api: makeClient(url, out.token) };
}

let dir: string;
const cleanups: Array<() => Promise<unknown>> = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cofre-ops-'));
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await rm(dir, { recursive: true, force: true });
});

describe.runIf(backend === 'postgres')('operations on Postgres', () => {
  it('should back up a live database, verify the file, and restore it into an empty one where sessions still work', async () => {
    const a = await createPostgresDatabase();
    const b = await createPostgresDatabase();
    cleanups.push(a.drop, b.drop);
    const server = await spawnServer({ DATABASE_URL: a.url });
    const user = await signUp(server.url);
    await user.api.sync.push.mutate({ deviceId: user.device.id, items: newItems(20, 64) });
    const file = join(dir, 'live.cofre-backup');
    try {
      const backup = await cli(['backup', '--out', file], { DATABASE_URL: a.url });
      expect(backup.err).toBe('');
      expect(backup.code).toBe(0);
      expect(backup.out).toMatch(/^backup of Postgres \(DATABASE_URL\) written to .*records 20/);
    } finally {
      await server.stop();
    }
    const verified = await cli(['verify-backup', '--in', file], {});
    expect(verified.out).toMatch(
      new RegExp(`is a whole Cofre backup: .*schema ${latestMigration()}.*users 1`),
    );

    const restore = await cli(['restore', '--in', file], { DATABASE_URL: b.url });
    expect(restore.code).toBe(0);
    expect(restore.out).toMatch(/^restored .* records 20/);
    const again = await cli(['restore', '--in', file], { DATABASE_URL: b.url });
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/The target database is not empty \(users: 1 rows/);

    const restored = await spawnServer({ DATABASE_URL: b.url });
    try {
      const api = makeClient(restored.url, user.token);
      // The old cursor belongs to the history before the restore: start over.
      expect((await api.sync.pull.query({ cursor: 20, limit: 100 })).reset).toBe(true);
      const all = await api.sync.pull.query({ cursor: 0, limit: 100 });
      expect(all.items).toHaveLength(20);
      expect(all.cursor).toBe(20 + RESTORE_SEQ_GAP);
      const next = await api.sync.push.mutate({ deviceId: user.device.id, items: newItems(1, 64) });
      expect(next.applied[0]!.seq).toBe(21 + RESTORE_SEQ_GAP);
    } finally {
      await restored.stop();
    }
  }, 120_000);

  it('should move an embedded data directory to Postgres, and clients go on with their cursors and sessions', async () => {
    const dataDir = join(dir, 'embedded');
    const pgdb = await createPostgresDatabase();
    cleanups.push(pgdb.drop);
    const embedded = await spawnServer({ DATA_DIR: await seededDataDir(dataDir) });
    const one = await signUp(embedded.url);
    const two = await signUp(embedded.url);
    await one.api.sync.push.mutate({ deviceId: one.device.id, items: newItems(30, 64) });
    await two.api.sync.push.mutate({ deviceId: two.device.id, items: newItems(10, 64) });
    const cursor = (await one.api.sync.pull.query({ cursor: 0, limit: 1000 })).cursor;
    // Refused while the embedded server owns the directory.
    const busy = await cli(['migrate-data', '--from', dataDir, '--to', pgdb.url], {});
    expect(busy.code).toBe(1);
    expect(busy.err).toMatch(/in use by a running Cofre serve \(pid \d+/);
    await embedded.stop();

    const moved = await cli(['migrate-data', '--from', dataDir, '--to', pgdb.url], {});
    expect(moved.err).toBe('');
    expect(moved.out).toMatch(
      /counts and contents verified: users 2, devices 2, sessions 2, records 40/,
    );
    const twice = await cli(['migrate-data', '--from', dataDir, '--to', pgdb.url], {});
    expect(twice.code).toBe(1);
    expect(twice.err).toMatch(/not empty/);

    const server = await spawnServer({ DATABASE_URL: pgdb.url });
    try {
      const api = makeClient(server.url, one.token);
      expect(await api.sync.pull.query({ cursor, limit: 100 })).toEqual({
        items: [],
        cursor,
        hasMore: false,
        reset: false,
      });
      const next = await api.sync.push.mutate({ deviceId: one.device.id, items: newItems(1, 64) });
      expect(next.applied[0]!.seq).toBe(cursor + 1);
      // Serial ids continue past the copied rows: a new account writes audit events.
      await signUp(server.url);
      expect((await makeClient(server.url, two.token).account.me.query({})).email).toBe(two.email);
    } finally {
      await server.stop();
    }
  }, 120_000);
});

describe.runIf(backend === 'pglite')('operations on embedded PGlite', () => {
  it('should refuse a second process on a data directory, take scheduled backups in the server, and restore one into a new directory', async () => {
    const dataDir = join(dir, 'live');
    const backups = join(dir, 'scheduled');
    const server = await spawnServer({
      DATA_DIR: await seededDataDir(dataDir),
      BACKUP_INTERVAL: '1s',
      BACKUP_DIR: backups,
      BACKUP_KEEP: '2',
    });
    let newest: string;
    try {
      const user = await signUp(server.url);
      await user.api.sync.push.mutate({ deviceId: user.device.id, items: newItems(5, 64) });
      const pushedAt = server.output().split('backup written').length;

      const backup = await cli(['backup', '--out', join(dir, 'x.cofre-backup')], {
        DATA_DIR: dataDir,
      });
      expect(backup.code).toBe(1);
      expect(backup.err).toMatch(
        /in use by a running Cofre serve \(pid \d+[^)]*\)\. PGlite allows one process per data directory: stop that process first\. To back up while the server runs, set BACKUP_INTERVAL/,
      );
      await expect(spawnServer({ DATA_DIR: dataDir }, [])).rejects.toThrow(
        /exited with 1:[\s\S]*in use by a running Cofre serve/,
      );

      while (server.output().split('backup written').length < pushedAt + 3) await sleep(100);
      const files = (await readdir(backups)).filter((f) => f.endsWith('.cofre-backup')).sort();
      expect(files).toHaveLength(2);
      // Kept aside: the schedule rotates it away two backups later.
      newest = join(dir, 'newest.cofre-backup');
      await copyFile(join(backups, files.at(-1)!), newest);
      const verified = await cli(['verify-backup', '--in', newest], {});
      expect(verified.out).toMatch(/from pglite, .*users 1, devices 1, sessions 1, records 5/);
      const ok = /cofre_backups_total\{outcome="ok"\} (\d+)/.exec(
        await (await fetch(`${server.url}/metrics`)).text(),
      );
      expect(Number(ok?.[1])).toBeGreaterThanOrEqual(3);

      const restoredDir = join(dir, 'restored');
      const restore = await cli(['restore', '--in', newest], { DATA_DIR: restoredDir });
      expect(restore.err).toBe('');
      expect(restore.code).toBe(0);
      const restored = await spawnServer({ DATA_DIR: restoredDir });
      try {
        const pulled = await makeClient(restored.url, user.token).sync.pull.query({
          cursor: 0,
          limit: 100,
        });
        expect(pulled.items).toHaveLength(5);
      } finally {
        await restored.stop();
      }
    } finally {
      await server.stop();
    }
    // Stopped: the CLI may open the directory now.
    const offline = await cli(['backup', '--dir', join(dir, 'manual')], { DATA_DIR: dataDir });
    expect(offline.code).toBe(0);
    expect(offline.out).toMatch(
      /^backup of PGlite in .* written to .*cofre-\d{8}T\d{9}Z\.cofre-backup/,
    );
  }, 120_000);
});

/** The server's schema: the newest migration in the journal. */
function latestMigration(): string {
  const journal = JSON.parse(
    readFileSync(new URL('../../server/db/migrations/meta/_journal.json', import.meta.url), 'utf8'),
  ) as { entries: Array<{ tag: string }> };
  return journal.entries.at(-1)!.tag;
}
