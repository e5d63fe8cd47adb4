// Backup and restore through the real database: a snapshot taken while ten devices push holds
// every write acknowledged before it, restores into an empty database, and the devices go on
// syncing against the restored server (sending back what it lacks). A damaged file is refused
// with a clear error and leaves the target as it was.

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackup } from '../../server/ops/backup.ts';
import { readHeader } from '../../server/ops/backup-file.ts';
import { fingerprint } from '../../server/ops/migrate-data.ts';
import { RESTORE_SEQ_GAP, restoreBackup } from '../../server/ops/restore.ts';
import { countRows, schemaTables, TABLES } from '../../server/ops/tables.ts';
import type { RecordBody } from '../../shared/model/item.ts';
import { createDevices, type Device } from '../helpers/devices.ts';
import { createPerson } from '../helpers/people.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { fakeCt, registerUser, startTestServer, type TestServer } from '../helpers/test-server.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cofre-backup-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const at = '2026-11-30T00:00:00.000Z';
const login = (name: string) =>
  ({
    type: 'login',
    name,
    password: `pw ${name}`,
    createdAt: at,
    updatedAt: at,
  }) as unknown as RecordBody;

const rows = (t: TestDb) => t.database.rawTransaction('snapshot', countRows);

/** A sync retried on network errors, as the extension's sync loop does (sockets to the old
 * server die with it). */
async function syncRetrying(d: Device) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await d.engine.sync();
    } catch (err) {
      if (attempt >= 20 || !/fetch failed/.test((err as Error).message)) throw err;
    }
  }
}

interface Ack {
  userId: string;
  id: string;
  version: number;
  at: number;
}

describe('backup and restore', () => {
  it('should carry every table of the schema', () => {
    expect([...TABLES].sort()).toEqual(schemaTables().sort());
  });

  it('should restore every write acknowledged before a backup taken during 10 pushing devices, and the devices go on syncing', async () => {
    const ts = await startTestServer();
    const port = Number(new URL(ts.url).port);
    const accounts = await Promise.all(Array.from({ length: 5 }, () => createDevices(ts, 2)));
    const devices = accounts.flatMap((a) => a.devices.map((d) => ({ d, userId: a.userId })));
    const acks: Ack[] = [];
    /** What each device last saved, per item: what every device must show at the end. */
    const latest = new Map<string, Map<string, string>>(); // userId → id → name
    let stop = false;
    let snapshotAt = 0;
    const loops = devices.map(async ({ d, userId }) => {
      const mine: string[] = [];
      const names = latest.get(userId) ?? new Map<string, string>();
      latest.set(userId, names);
      for (let k = 0; !stop; k++) {
        // Two new items, then an edit of an earlier one.
        const id = k % 3 === 2 ? mine[k % mine.length]! : randomUUID();
        if (k % 3 !== 2) mine.push(id);
        const name = `${d.name} ${userId.slice(0, 4)} #${k}`;
        await d.engine.save(id, login(name));
        names.set(id, name);
        await d.engine.sync();
        const ackedAt = performance.now();
        const state = await d.store.get(id);
        acks.push({ userId, id, version: state!.base!.version, at: ackedAt });
      }
    });
    const until = async (done: () => boolean) => {
      while (!done()) await sleep(20);
    };
    await until(() => acks.length >= 30);
    const file = join(dir, 'live.cofre-backup');
    const backup = await createBackup(ts.testDb.database, file, {
      beforeSnapshot: () => {
        snapshotAt = performance.now();
      },
    });
    const backupDone = performance.now();
    await until(() => acks.filter((a) => a.at > backupDone).length >= 20);
    stop = true;
    await Promise.all(loops);

    const before = acks.filter((a) => a.at < snapshotAt);
    const after = acks.filter((a) => a.at > backupDone);
    expect(before.length).toBeGreaterThanOrEqual(30);
    // Writes after the backup exist, so the restored server lacks some acknowledged writes.
    expect(after.length).toBeGreaterThanOrEqual(20);
    expect(backup.manifest.tables.users).toBe(5);

    const target = await createTestDb();
    try {
      await restoreBackup(target.database, file);
      expect(await rows(target)).toEqual(backup.manifest.tables);
      const restored = await target.database.rawTransaction('snapshot', async (q) => {
        const users = await q<{ id: string; seq: string | number; top: string | number | null }>(
          'select u.id, u.seq, (select max(r.seq) from records r where r.user_id = u.id) as top from users u',
        );
        const recs = await q<{ user_id: string; id: string; version: number }>(
          'select user_id, id, version from records',
        );
        return { users, recs };
      });
      // One consistent snapshot: each user's counter matches their newest record.
      for (const u of restored.users)
        expect(Number(u.seq) - RESTORE_SEQ_GAP).toBe(Number(u.top ?? 0));
      const version = new Map(restored.recs.map((r) => [`${r.user_id}/${r.id}`, r.version]));
      for (const a of before)
        expect(version.get(`${a.userId}/${a.id}`)).toBeGreaterThanOrEqual(a.version);

      // The restored server takes over at the same address; devices keep their sessions.
      await ts.close();
      const ts2 = await startTestServer({}, target, port);
      try {
        for (let round = 0; round < 2; round++) for (const { d } of devices) await syncRetrying(d);
        for (const { d, userId } of devices) {
          const id = randomUUID();
          await d.engine.save(id, login(`after restore ${d.name}`));
          latest.get(userId)!.set(id, `after restore ${d.name}`);
          await syncRetrying(d);
        }
        for (const { d } of devices) await syncRetrying(d);
        for (const a of accounts) {
          const want = latest.get(a.userId)!;
          for (const d of a.devices as Device[]) {
            const shown = await d.engine.read();
            expect(
              new Map([...shown].map(([id, b]) => [id, (b as { name: string }).name])),
            ).toEqual(want);
            expect(await d.engine.pendingCount()).toBe(0);
          }
        }
      } finally {
        await ts2.close();
      }
    } finally {
      await target.drop();
    }
  }, 120_000);

  it('should restore every row exactly, including rows that span the 1-MiB read chunks', async () => {
    // Every scope's seq jumps on restore (RESTORE_SEQ_GAP): users and vaults differ on purpose.
    const sameAfterRestore = (n: string) => n !== 'users' && n !== 'vaults';
    const ts = await startTestServer();
    const target = await createTestDb();
    try {
      const user = await registerUser(ts);
      await user.api.passkeys.registrationOptions.mutate({});
      await user.api.sync.push.mutate({
        deviceId: user.device.id,
        items: Array.from({ length: 40 }, () => ({
          id: randomUUID(),
          baseVersion: 0,
          deleted: false,
          ct: fakeCt(48 * 1024),
        })),
      });
      // A shared vault too: identities, the vault, its grant, its invitation and its records.
      const ana = await createPerson(ts, 'Ana');
      const { vaultId } = await ana.sharing.createVault('Familia');
      await ana.sharing.invite(vaultId, 'ben@example.com', 'viewer');
      const file = join(dir, 'large.cofre-backup');
      const { manifest } = await createBackup(ts.testDb.database, file);
      // Compressed over 1.5 MiB (random bytes, hex in the payload): it inflates to 4 chunks.
      expect(manifest.payload.bytes).toBeGreaterThan(1.5 * 1024 * 1024);
      await restoreBackup(target.database, file);
      // The one row written after the snapshot: the audit event that records this backup.
      await ts.testDb.database.db.execute(
        sql`delete from audit_events where kind = 'backup.created'`,
      );
      const prints = (t: TestDb) =>
        t.database.rawTransaction('snapshot', async (q) =>
          Promise.all(TABLES.filter(sameAfterRestore).map((n) => fingerprint(q, n))),
        );
      const [a, b] = [await prints(ts.testDb), await prints(target)];
      expect(b).toEqual(a);
      const counted = Object.fromEntries(
        TABLES.filter(sameAfterRestore).map((n, i) => [n, a[i]!.n]),
      );
      expect(counted).toMatchObject({
        records: 40,
        identities: 1,
        vault_grants: 1,
        vault_invitations: 1,
        vault_records: 1,
        webauthn_challenges: 1,
      });
      // The vault is there, its seq moved past the gap (every member's cursor resets).
      const vaultSeq = await target.database.rawTransaction('snapshot', (q) =>
        q<{ seq: string }>('select seq from vaults'),
      );
      expect(vaultSeq.map((r) => Number(r.seq))).toEqual([RESTORE_SEQ_GAP + 1]);
    } finally {
      await ts.close();
      await target.drop();
    }
  });

  describe('a damaged or unsuitable file', () => {
    let ts: TestServer;
    let good: string;
    let bytes: Buffer;
    beforeAll(async () => {
      ts = await startTestServer();
      const user = await registerUser(ts);
      await user.api.sync.push.mutate({
        deviceId: user.device.id,
        items: Array.from({ length: 50 }, () => ({
          id: randomUUID(),
          baseVersion: 0,
          deleted: false,
          ct: 'A'.repeat(200),
        })),
      });
      good = join(dir, 'good.cofre-backup');
      await createBackup(ts.testDb.database, good);
      bytes = await readFile(good);
    });
    afterAll(() => ts.close());

    const variant = async (name: string, content: Buffer | string) => {
      const path = join(dir, name);
      await writeFile(path, content);
      return path;
    };

    it('should refuse a truncated, altered or foreign file with a clear error and leave the target untouched', async () => {
      const { offset } = await readHeader(good);
      const flipped = Buffer.from(bytes);
      flipped[offset + Math.floor((bytes.length - offset) / 2)]! ^= 0x40;
      const header = bytes.subarray(0, offset).toString();
      const cases: Array<[string, Buffer | string, RegExp]> = [
        ['cut-in-half', bytes.subarray(0, offset + (bytes.length - offset) / 2), /is damaged/],
        ['cut-last-byte', bytes.subarray(0, bytes.length - 1), /is damaged/],
        ['cut-in-manifest', bytes.subarray(0, 40), /truncated/],
        ['flipped-bit', flipped, /is damaged/],
        [
          'manifest-count',
          Buffer.concat([
            Buffer.from(header.replace(/"records":50/, '"records":49')),
            bytes.subarray(offset),
          ]),
          /records has 50 rows, the manifest says 49/,
        ],
        ['foreign', 'hello, world\n', /not a Cofre backup/],
      ];
      const target = await createTestDb();
      try {
        for (const [name, content, message] of cases) {
          const path = await variant(name, content);
          await expect(restoreBackup(target.database, path), name).rejects.toThrow(message);
          expect(
            Object.values(await rows(target)).every((n) => n === 0),
            name,
          ).toBe(true);
        }
        // The same target then takes the good file.
        await restoreBackup(target.database, good);
        expect((await rows(target)).records).toBe(50);
      } finally {
        await target.drop();
      }
    });

    it('should refuse a target that holds data, and change nothing in it', async () => {
      await expect(restoreBackup(ts.testDb.database, good)).rejects.toThrow(
        /The target database is not empty \(users: 1 rows.*records: 50 rows/,
      );
      expect((await rows(ts.testDb)).records).toBe(50);
    });

    it('should refuse a backup from another schema migration', async () => {
      const { manifest, offset } = await readHeader(good);
      const other = { ...manifest, migration: { tag: '0000_init', when: 1 } };
      const path = await variant(
        'other-schema',
        Buffer.concat([
          Buffer.from(`COFRE-BACKUP 1\n${JSON.stringify(other)}\n`),
          bytes.subarray(offset),
        ]),
      );
      const target = await createTestDb();
      try {
        // The server's own schema: the newest migration in the journal.
        const journal = JSON.parse(
          readFileSync(
            new URL('../../server/db/migrations/meta/_journal.json', import.meta.url),
            'utf8',
          ),
        ) as { entries: Array<{ tag: string }> };
        await expect(restoreBackup(target.database, path)).rejects.toThrow(
          `taken at schema 0000_init, this server is at ${journal.entries.at(-1)!.tag}`,
        );
      } finally {
        await target.drop();
      }
    });
  });
});
