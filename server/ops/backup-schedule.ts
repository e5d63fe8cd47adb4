// Scheduled backups inside the running server (BACKUP_INTERVAL): the only way to back up a
// PGlite data directory while its server runs, and a convenience on Postgres. One at a time; a
// failure is logged and counted, and the next run tries again.
import { mkdir } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Database } from '../db/client.ts';
import { backupIntoDir } from './backup.ts';

export interface BackupSchedule {
  /** Waits for a backup in progress, then stops. */
  stop(): Promise<void>;
}

export function startBackupSchedule(opts: {
  database: Database;
  dir: string;
  keep: number;
  intervalSeconds: number;
  logger: Logger;
  onDone?: (result: { ok: boolean; bytes: number; ms: number }) => void;
}): BackupSchedule {
  const log = opts.logger.child({ component: 'backup' });
  let running: Promise<void> | undefined;
  const run = () => {
    if (running) return;
    running = (async () => {
      try {
        await mkdir(opts.dir, { recursive: true, mode: 0o700 });
        const done = await backupIntoDir(opts.database, opts.dir, opts.keep);
        log.info(
          {
            file: done.file,
            bytes: done.bytes,
            ms: done.ms,
            rows: done.manifest.tables,
            removed: done.removed,
          },
          'backup written',
        );
        opts.onDone?.({ ok: true, bytes: done.bytes, ms: done.ms });
      } catch (err) {
        log.warn({ err: { message: (err as Error).message } }, 'backup failed');
        opts.onDone?.({ ok: false, bytes: 0, ms: 0 });
      } finally {
        running = undefined;
      }
    })();
  };
  const timer = setInterval(run, opts.intervalSeconds * 1000);
  timer.unref();
  log.info(
    { dir: opts.dir, everySeconds: opts.intervalSeconds, keep: opts.keep },
    'backups scheduled',
  );
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
