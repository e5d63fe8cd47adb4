// Takes a backup: every table read in ONE repeatable-read transaction (a consistent snapshot
// while writers go on), gzip'd into a temporary file after its reserved header bytes; then the
// header with the manifest is written in, the file synced and renamed into place. A backup
// file therefore either exists whole or not at all.
import { readFileSync } from 'node:fs';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { type Database, migrationsFolder } from '../db/client.ts';
import { recordAudit } from '../services/audit.ts';
import {
  HEADER_BYTES,
  hashingStream,
  headerText,
  type Manifest,
  sectionLine,
} from './backup-file.ts';
import { appliedMigration, OpsError, readTable, TABLES } from './tables.ts';

export interface BackupResult {
  file: string;
  manifest: Manifest;
  /** Size of the whole file. */
  bytes: number;
  ms: number;
}

interface JournalEntry {
  tag: string;
  when: number;
}

/** The migrations this code ships, oldest first. */
export function shippedMigrations(): JournalEntry[] {
  const path = join(migrationsFolder, 'meta/_journal.json');
  return (JSON.parse(readFileSync(path, 'utf8')) as { entries: JournalEntry[] }).entries;
}

export const migrationTag = (when: number | null): string =>
  shippedMigrations().find((m) => m.when === when)?.tag ?? `unknown (${when ?? 'none'})`;

export async function createBackup(
  database: Database,
  out: string,
  /** `beforeSnapshot` runs just before the statement that fixes the snapshot is sent. */
  hooks: { beforeSnapshot?: () => void } = {},
): Promise<BackupResult> {
  const started = performance.now();
  const partial = `${out}.partial-${process.pid}.tmp`;
  try {
    const hashed = hashingStream();
    const { tables, when } = await database.rawTransaction('snapshot', async (query) => {
      // The snapshot is fixed by the transaction's first statement.
      hooks.beforeSnapshot?.();
      const when = await appliedMigration(query);
      const tables = {} as Manifest['tables'];
      async function* lines() {
        for (const table of TABLES) {
          yield `${sectionLine(table)}\n`;
          let n = 0;
          for await (const rows of readTable(query, table)) {
            n += rows.length;
            yield `${rows.join('\n')}\n`;
          }
          tables[table] = n;
        }
      }
      // The payload goes straight into the file after the header's reserved bytes.
      const file = await open(partial, 'w', 0o600);
      await pipeline(
        Readable.from(lines()),
        createGzip({ level: 6 }),
        hashed.stream,
        file.createWriteStream({ start: HEADER_BYTES }),
      );
      return { tables, when };
    });
    if (when === null)
      throw new OpsError('BAD_ARGS', 'the database has no schema: nothing to back up.');
    const manifest: Manifest = {
      format: 1,
      createdAt: new Date().toISOString(),
      source: database.kind,
      migration: { tag: migrationTag(when), when },
      tables,
      payload: hashed.result(),
    };
    const header = Buffer.from(headerText(manifest));
    const target = await open(partial, 'r+');
    try {
      await target.write(header, 0, header.length, 0);
      await target.sync();
    } finally {
      await target.close();
    }
    await rename(partial, out);
    await syncDir(dirname(out));
    // For `status` (when was the last backup): the event names the file, not its contents.
    await recordAudit(database.db, {
      kind: 'backup.created',
      detail: { file: basename(out), bytes: header.length + manifest.payload.bytes },
    });
    return {
      file: out,
      manifest,
      bytes: header.length + manifest.payload.bytes,
      ms: Math.round(performance.now() - started),
    };
  } finally {
    await rm(partial, { force: true });
  }
}

async function syncDir(dir: string) {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const ROTATED = /^cofre-\d{8}T\d{6}(\d{3})?Z\.cofre-backup$/;

/** `cofre-20261130T221500123Z.cofre-backup`: names sort in time order. */
export const rotatedName = (at: Date) =>
  `cofre-${at.toISOString().replace(/[-:.]/g, '')}.cofre-backup`;

/** Backs up into `dir` under a dated name, then deletes all but the newest `keep` backups. */
export async function backupIntoDir(
  database: Database,
  dir: string,
  keep: number,
): Promise<BackupResult & { removed: string[] }> {
  const result = await createBackup(database, join(dir, rotatedName(new Date())));
  const ours = (await readdir(dir)).filter((f) => ROTATED.test(f)).sort();
  const removed = ours.slice(0, Math.max(0, ours.length - keep));
  for (const f of removed) await rm(join(dir, f), { force: true });
  return { ...result, removed: removed.map((f) => join(dir, basename(f))) };
}
