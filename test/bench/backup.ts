// Backup and restore of 10 users × 10,000 records (issue 7's closing figures): `backup` and
// `restore` of Cofre's own format beside pg_dump/pg_restore (custom format) of the same database
// on Postgres, and beside PGlite's own gzip'd dumpDataDir on PGlite.
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { type Database, openDatabase, openPglite } from '../../server/db/client.ts';
import { createBackup } from '../../server/ops/backup.ts';
import { restoreBackup, verifyBackup } from '../../server/ops/restore.ts';
import { writeRows } from '../../server/ops/tables.ts';
import { createPostgresDatabase } from '../helpers/test-db.ts';
import type { Row } from './report.ts';

const silent = pino({ level: 'silent' });
const CT_BYTES = 400;

async function seed(database: Database, users: number, perUser: number) {
  await database.rawTransaction('write', async (q) => {
    for (let u = 0; u < users; u++) {
      const userId = randomUUID();
      const device = randomUUID();
      const hex = (n: number) => `\\x${randomBytes(n).toString('hex')}`;
      await writeRows(q, 'users', [
        JSON.stringify({
          id: userId,
          email: `bench-${u}-${userId.slice(0, 8)}@example.com`,
          kdf_m: 65_536,
          kdf_t: 3,
          kdf_p: 4,
          salt: hex(16),
          auth_hash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo',
          wrapped_account_key: hex(60),
          key_generation: 1,
          seq: perUser,
          tombstone_horizon: 0,
          created_at: new Date().toISOString(),
        }),
      ]);
      for (let i = 0; i < perUser; i += 1000) {
        const lines = [];
        for (let s = i + 1; s <= Math.min(perUser, i + 1000); s++) {
          lines.push(
            JSON.stringify({
              user_id: userId,
              id: randomUUID(),
              version: 1,
              seq: s,
              deleted: false,
              ct: hex(CT_BYTES),
              updated_at: new Date().toISOString(),
              device_id: device,
            }),
          );
        }
        await writeRows(q, 'records', lines);
      }
    }
  });
}

const timed = async (fn: () => Promise<unknown> | unknown) => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};

export async function benchBackup(
  dbs: Array<'postgres' | 'pglite'>,
  opts: { users: number; perUser: number; log: (line: string) => void },
): Promise<Row[]> {
  const rows: Row[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'cofre-bench-backup-'));
  const size = `${opts.users} users × ${opts.perUser.toLocaleString('en')} records of ${CT_BYTES} B`;
  const row = (
    db: string,
    name: string,
    unit: string,
    value: number,
    better: 'lower' | 'higher',
    baseline?: Row['baseline'],
  ): Row => ({
    key: `backup/${name.split(' ')[0]!.toLowerCase()}/${db}`,
    section: 'backup',
    name: `${name} (${db})`,
    unit,
    value,
    better,
    note: size,
    ...(baseline ? { baseline } : {}),
  });
  try {
    for (const db of dbs) {
      opts.log(`  backup on ${db}: seeding ${size}`);
      const cleanups: Array<() => Promise<unknown>> = [];
      const open = async () => {
        if (db === 'pglite') {
          const database = await openPglite({ dataDir: 'memory://', logger: silent });
          cleanups.push(() => database.close());
          return { database, url: '' };
        }
        const pgdb = await createPostgresDatabase();
        const database = await openDatabase({
          databaseUrl: pgdb.url,
          dataDir: '',
          poolMax: 4,
          statementTimeoutMs: 0,
          logger: silent,
        });
        cleanups.push(async () => {
          await database.close();
          await pgdb.drop();
        });
        return { database, url: pgdb.url };
      };
      try {
        const source = await open();
        await source.database.migrate();
        await seed(source.database, opts.users, opts.perUser);
        const file = join(dir, `${db}.cofre-backup`);
        const backupMs = await timed(() => createBackup(source.database, file));
        const bytes = (await stat(file)).size;
        const verifyMs = await timed(() => verifyBackup(file));
        const target = await open();
        await target.database.migrate();
        const restoreMs = await timed(() => restoreBackup(target.database, file));
        let raw: { backup: number; restore: number; bytes: number; name: string };
        if (db === 'postgres') {
          const dump = join(dir, 'pg.dump');
          const rawBackup = await timed(() =>
            execFileSync('pg_dump', ['-Fc', '-f', dump, source.url]),
          );
          const empty = await createPostgresDatabase();
          cleanups.push(empty.drop);
          const rawRestore = await timed(() =>
            execFileSync('pg_restore', ['--no-owner', '-d', empty.url, dump]),
          );
          raw = {
            backup: rawBackup,
            restore: rawRestore,
            bytes: (await stat(dump)).size,
            name: 'pg_dump -Fc / pg_restore',
          };
        } else {
          const { PGlite } = await import('@electric-sql/pglite');
          let blob: Blob | undefined;
          const client = (source.database.db as unknown as { $client: InstanceType<typeof PGlite> })
            .$client;
          const rawBackup = await timed(async () => {
            blob = await client.dumpDataDir('gzip');
          });
          const rawRestore = await timed(async () => {
            const copy = await PGlite.create({ loadDataDir: blob! });
            await copy.query('select count(*) from records');
            await copy.close();
          });
          raw = {
            backup: rawBackup,
            restore: rawRestore,
            bytes: blob!.size,
            name: 'PGlite dumpDataDir(gzip) / load',
          };
        }
        rows.push(
          row(db, 'Backup to file', 'ms', backupMs, 'lower', { name: raw.name, value: raw.backup }),
          row(db, 'File size', 'MiB', bytes / 2 ** 20, 'lower', {
            name: raw.name,
            value: raw.bytes / 2 ** 20,
          }),
          row(db, 'Verify file (verify-backup)', 'ms', verifyMs, 'lower'),
          row(db, 'Restore into empty database', 'ms', restoreMs, 'lower', {
            name: raw.name,
            value: raw.restore,
          }),
        );
      } finally {
        for (const c of cleanups.reverse()) await c().catch(() => {});
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}
