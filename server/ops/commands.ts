// The operations commands of the server CLI: backup, restore, verify-backup, migrate-data.
// Each prints what it did on stdout; a refusal is one clear sentence on stderr, exit code 1.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { type Database, openDatabase } from '../db/client.ts';
import type { Env } from '../env.ts';
import { backupIntoDir, createBackup } from './backup.ts';
import type { Manifest } from './backup-file.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { migrateData } from './migrate-data.ts';
import { restoreBackup, verifyBackup } from './restore.ts';
import { OpsError } from './tables.ts';

export const OPS_COMMANDS = ['backup', 'restore', 'verify-backup', 'migrate-data'] as const;
export type OpsCommand = (typeof OPS_COMMANDS)[number];

const USAGE: Record<OpsCommand, string> = {
  backup: 'backup --out FILE | backup --dir DIR [--keep N]',
  restore: 'restore --in FILE',
  'verify-backup': 'verify-backup --in FILE',
  'migrate-data': 'migrate-data --from DATA_DIR --to DATABASE_URL',
};

const say = (line: string) => process.stdout.write(`${line}\n`);
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const rowsText = (tables: Manifest['tables']) =>
  Object.entries(tables)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ') || 'no rows';

/** Opens the configured database; a PGlite data directory is locked for this process first. */
async function openConfigured(
  env: Env,
  logger: Logger,
  command: string,
  opts: { mustExist: boolean },
): Promise<{ database: Database; release(): Promise<void>; where: string }> {
  if (env.DATABASE_URL) {
    // As the owner of the tables: backups and restores see every row.
    const database = await open(env.DATABASE_MIGRATION_URL ?? env.DATABASE_URL, '', logger);
    return { database, release: () => database.close(), where: 'Postgres (DATABASE_URL)' };
  }
  return openPgliteDir(env.DATA_DIR, logger, command, opts);
}

async function openPgliteDir(
  dir: string,
  logger: Logger,
  command: string,
  opts: { mustExist: boolean },
) {
  if (opts.mustExist && !existsSync(join(dir, 'PG_VERSION')))
    throw new OpsError('BAD_ARGS', `there is no Cofre database in ${resolve(dir)}.`);
  await mkdir(dir, { recursive: true });
  const unlock = await lockDataDir(dir, command).catch((err: unknown) => {
    if (err instanceof OpsError && err.code === 'DATA_DIR_IN_USE' && command === 'backup')
      err.message +=
        ' To back up while the server runs, set BACKUP_INTERVAL (and BACKUP_DIR) so the server takes the backups itself.';
    throw err;
  });
  try {
    const database = await open(undefined, dir, logger);
    return {
      database,
      where: `PGlite in ${resolve(dir)}`,
      async release() {
        await database.close();
        await unlock();
      },
    };
  } catch (err) {
    await unlock();
    throw err;
  }
}

const open = (databaseUrl: string | undefined, dataDir: string, logger: Logger) =>
  openDatabase({ databaseUrl, dataDir, poolMax: 4, statementTimeoutMs: 0, logger });

export async function runOpsCommand(
  command: OpsCommand,
  args: string[],
  env: Env,
  logger: Logger,
): Promise<void> {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: {
        out: { type: 'string' },
        dir: { type: 'string' },
        keep: { type: 'string' },
        in: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
      },
    }) as { values: Record<string, string | undefined> });
  } catch (err) {
    throw new OpsError('BAD_ARGS', `${(err as Error).message}\nusage: ${USAGE[command]}`);
  }
  const usage = () => new OpsError('BAD_ARGS', `usage: ${USAGE[command]}`);

  if (command === 'verify-backup') {
    if (!values.in) throw usage();
    const manifest = await verifyBackup(values.in);
    say(
      `${values.in} is a whole Cofre backup: taken ${manifest.createdAt} from ${manifest.source}, schema ${manifest.migration.tag}, SHA-256 ${manifest.payload.sha256}; ${rowsText(manifest.tables)}.`,
    );
    return;
  }

  if (command === 'backup') {
    if (!values.out === !values.dir) throw usage();
    const keep = values.keep === undefined ? env.BACKUP_KEEP : Number(values.keep);
    if (!Number.isInteger(keep) || keep < 1)
      throw new OpsError('BAD_ARGS', '--keep must be a whole number of at least 1.');
    const db = await openConfigured(env, logger, 'backup', { mustExist: true });
    try {
      if (values.dir) await mkdir(values.dir, { recursive: true, mode: 0o700 });
      const done = values.out
        ? { ...(await createBackup(db.database, values.out)), removed: [] as string[] }
        : await backupIntoDir(db.database, values.dir!, keep);
      say(
        `backup of ${db.where} written to ${done.file}: ${mib(done.bytes)} in ${(done.ms / 1000).toFixed(1)} s; ${rowsText(done.manifest.tables)}; SHA-256 ${done.manifest.payload.sha256}.`,
      );
      for (const f of done.removed) say(`removed old backup ${f}`);
    } finally {
      await db.release();
    }
    return;
  }

  if (command === 'restore') {
    if (!values.in) throw usage();
    // Checked before the target is opened (or, for PGlite, created).
    const verified = await verifyBackup(values.in);
    const db = await openConfigured(env, logger, 'restore', { mustExist: false });
    try {
      await db.database.migrate();
      const done = await restoreBackup(db.database, values.in, verified);
      say(
        `restored ${values.in} into ${db.where} in ${(done.ms / 1000).toFixed(1)} s; ${rowsText(done.manifest.tables)}. Devices start their next sync over from zero and send back anything newer than the backup.`,
      );
    } finally {
      await db.release();
    }
    return;
  }

  // migrate-data
  if (!values.from || !values.to) throw usage();
  if (!/^postgres(ql)?:\/\//.test(values.to))
    throw new OpsError('BAD_ARGS', '--to must be a postgres:// or postgresql:// URL.');
  const source = await openPgliteDir(values.from, logger, 'migrate-data', { mustExist: true });
  try {
    const target = await open(values.to, '', logger);
    try {
      await source.database.migrate();
      await target.migrate();
      const done = await migrateData(source.database, target);
      say(
        `copied ${source.where} to Postgres in ${(done.ms / 1000).toFixed(1)} s; counts and contents verified: ${rowsText(done.tables)}. Start the server with DATABASE_URL set to the new database; devices keep their sessions and cursors.`,
      );
    } finally {
      await target.close();
    }
  } finally {
    await source.release();
  }
}
