// Restores a backup into an empty database at the same schema migration. The file is verified
// whole (manifest, size, SHA-256, row counts) before anything is written, and the rows go in
// inside one transaction that re-checks the hash before it commits, so a bad file or a failure
// halfway leaves the target as it was.
import type { Database } from '../db/client.ts';
import { migrationTag } from './backup.ts';
import { type Manifest, readHeader, readPayload } from './backup-file.ts';
import {
  appliedMigration,
  assertEmpty,
  countRows,
  OpsError,
  resetSequences,
  TABLES,
  writeRows,
} from './tables.ts';

/**
 * Every user's (and shared vault's) sequence jumps this far on restore, and the tombstone horizon with it. A device
 * that synced after the backup holds a cursor from a history the server no longer has; with the
 * jump, every old cursor is below the horizon, so each device starts over from zero (`reset`)
 * and pushes again what the restored server lacks (DESIGN §3, engine reset).
 */
export const RESTORE_SEQ_GAP = 1_000_000_000;

/** Checks a backup file through to its last byte without touching any database. */
export async function verifyBackup(file: string): Promise<Manifest> {
  const header = await readHeader(file);
  await readPayload(file, header, async () => {});
  return header.manifest;
}

/**
 * `verified`: the manifest `verifyBackup` returned for this file just before (the CLI checks the
 * file before it opens or creates the target); otherwise the file is verified here first.
 */
export async function restoreBackup(
  database: Database,
  file: string,
  verified?: Manifest,
): Promise<{ manifest: Manifest; ms: number }> {
  const started = performance.now();
  const header = await readHeader(file);
  if (!verified || JSON.stringify(verified) !== JSON.stringify(header.manifest))
    await readPayload(file, header, async () => {});
  const { manifest } = header;
  await database.rawTransaction('write', async (query) => {
    const when = await appliedMigration(query);
    if (when !== manifest.migration.when) {
      throw new OpsError(
        'SCHEMA_MISMATCH',
        `the backup was taken at schema ${manifest.migration.tag}, this server is at ${migrationTag(when)}. Restore with the Cofre version that took the backup, then upgrade.`,
      );
    }
    await assertEmpty(query, 'The target database');
    await readPayload(file, header, (table, lines) => writeRows(query, table, lines));
    await resetSequences(query);
    await query('update users set seq = seq + $1, tombstone_horizon = seq + $1', [RESTORE_SEQ_GAP]);
    // Each shared vault is a scope of its own, with its own cursors on the devices: the same jump.
    await query('update vaults set seq = seq + $1, tombstone_horizon = seq + $1', [
      RESTORE_SEQ_GAP,
    ]);
    const counts = await countRows(query);
    for (const t of TABLES) {
      if (counts[t] !== manifest.tables[t])
        throw new OpsError(
          'COUNT_MISMATCH',
          `${t} holds ${counts[t]} rows after the restore, the backup has ${manifest.tables[t]}; nothing was restored.`,
        );
    }
  });
  return { manifest, ms: Math.round(performance.now() - started) };
}
