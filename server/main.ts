// Entry point and CLI: `serve` (default) starts the server, `migrate` only applies migrations,
// `maintenance` runs the clean-up jobs once; backup, restore, verify-backup and migrate-data are
// in ops/commands.ts, `users …` and `status` in ops/admin-cli.ts. Configuration comes from the
// environment.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { buildServer } from './app.ts';
import { openDatabase } from './db/client.ts';
import { EnvError, loadEnv } from './env.ts';
import { logDestination } from './log-destination.ts';
import { runAdmin } from './ops/admin.ts';
import { ADMIN_COMMANDS, type AdminCliCommand, runAdminCli } from './ops/admin-cli.ts';
import { serveAdminSocket } from './ops/admin-socket.ts';
import { startBackupSchedule } from './ops/backup-schedule.ts';
import { OPS_COMMANDS, type OpsCommand, runOpsCommand } from './ops/commands.ts';
import { lockDataDir } from './ops/data-dir-lock.ts';
import { OpsError } from './ops/tables.ts';
import { runMaintenance } from './services/maintenance.ts';

const MAINTENANCE_EVERY_MS = 10 * 60_000;
/** A shutdown that has not finished by then (a stuck request, a database that hangs) exits. */
const SHUTDOWN_DEADLINE_MS = 15_000;
const started = performance.now();

function readEnv() {
  try {
    return loadEnv();
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    process.stderr.write(`cofre: invalid configuration\n${err.message}\n`);
    process.exit(2);
  }
}

async function main() {
  const command = process.argv[2] ?? 'serve';
  const commands = ['serve', 'migrate', 'maintenance', ...OPS_COMMANDS, ...ADMIN_COMMANDS];
  if (!commands.includes(command)) {
    process.stderr.write(`cofre: unknown command "${command}" (${commands.join(' | ')})\n`);
    process.exit(2);
  }
  const env = readEnv();
  // The server logs through a destination that never blocks it (log-destination.ts); the
  // short-lived commands write synchronously, so nothing is lost when they exit.
  const serving = command === 'serve';
  const destination = serving ? logDestination() : null;
  const logger = pino(
    {
      level: env.LOG_LEVEL,
      redact: {
        paths: ['req.headers.authorization', '*.token', '*.authKey'],
        censor: '[redacted]',
      },
    },
    destination?.stream ?? pino.destination({ dest: 1, sync: true }),
  );
  const isOps = (OPS_COMMANDS as readonly string[]).includes(command);
  if (isOps || (ADMIN_COMMANDS as readonly string[]).includes(command)) {
    try {
      if (isOps) await runOpsCommand(command as OpsCommand, process.argv.slice(3), env, logger);
      else await runAdminCli(command as AdminCliCommand, process.argv.slice(3), env, logger);
    } catch (err) {
      if (!(err instanceof OpsError)) throw err;
      process.stderr.write(`cofre ${command}: ${err.message}\n`);
      process.exit(err.code === 'BAD_ARGS' ? 2 : 1);
    }
    return;
  }
  if (command === 'serve' && !env.DATABASE_URL && !existsSync(join(env.DATA_DIR, 'PG_VERSION'))) {
    // Creating a PGlite data directory (initdb) grows its memory to ~700 MiB for good; do it in
    // a short-lived child so the long-running server starts at its reopened size (~280 MiB).
    const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, 'migrate'], {
      stdio: 'inherit',
    });
    if (child.status !== 0) process.exit(child.status ?? 1);
    destination?.nonBlocking();
  }
  const where = env.DATABASE_URL ? 'Postgres (DATABASE_URL)' : `PGlite in ${resolve(env.DATA_DIR)}`;
  // PGlite allows one process per data directory; a second one would corrupt it.
  const unlock = env.DATABASE_URL
    ? async () => {}
    : await lockDataDir(env.DATA_DIR, command).catch((err: Error) => {
        process.stderr.write(`cofre: ${err.message}\n`);
        process.exit(1);
      });
  const database = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    migrationUrl: env.DATABASE_MIGRATION_URL,
    readUrl: env.DATABASE_READ_URL,
    dataDir: env.DATA_DIR,
    poolMax: env.DATABASE_POOL_MAX,
    statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
    logger,
  });
  await database.migrate();
  if (command === 'migrate') {
    logger.info({ database: where }, 'migrations applied');
    await database.close();
    await unlock();
    return;
  }

  const server = await buildServer({
    env,
    database,
    logger,
    ...(destination ? { logLinesDropped: destination.dropped } : {}),
  });
  const maintenance = () =>
    runMaintenance(database.db, {
      sessionPolicy: server.sessionPolicy,
      passkeys: server.passkeys,
      tombstoneRetentionSeconds: env.TOMBSTONE_RETENTION_SECONDS,
    });
  if (command === 'maintenance') {
    logger.info(await maintenance(), 'maintenance done');
    await server.close();
    await database.close();
    await unlock();
    return;
  }

  // The administrator's commands reach a PGlite database through the server that holds it.
  const adminSocket = env.DATABASE_URL
    ? null
    : await serveAdminSocket(env.DATA_DIR, (command) =>
        runAdmin(command as never, {
          database,
          mailer: server.mailer,
          via: 'server',
          onRevoked: (userId) => server.hub.sessions.forgetUser(userId),
        }).catch((err: Error) => {
          if (!(err instanceof OpsError))
            logger.error({ err: { message: err.message } }, 'admin command failed');
          throw err;
        }),
      );

  await server.app.listen({ port: env.PORT, host: env.HOST });
  const address = server.app.server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  const url = `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${port}`;
  logger.info(
    { url, database: where, startupMs: Math.round(performance.now() - started) },
    'ready',
  );
  // Through the same never-blocking destination as the log lines, in order with them.
  (destination?.stream ?? process.stdout).write(`Cofre server listening on ${url} (${where})\n`);

  const timer = setInterval(() => {
    maintenance()
      .then((done) => logger.info(done, 'maintenance done'))
      .catch((err: Error) => logger.warn({ err: { message: err.message } }, 'maintenance failed'));
  }, MAINTENANCE_EVERY_MS);
  timer.unref();
  const backups =
    env.BACKUP_INTERVAL === undefined
      ? undefined
      : startBackupSchedule({
          database,
          dir: env.BACKUP_DIR,
          keep: env.BACKUP_KEEP,
          intervalSeconds: env.BACKUP_INTERVAL,
          logger,
          onDone: server.metrics.backupDone,
        });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    // (No write to stderr here: it may be a pipe nobody reads, the very thing that stalled.)
    setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS).unref();
    clearInterval(timer);
    await adminSocket?.close();
    await server.close();
    await backups?.stop();
    await database.close();
    await unlock();
    logger.info('stopped');
    // Written out before exiting — unless the reader has stalled, which must not hold us.
    await new Promise<void>((done) => {
      logger.flush(() => done());
      setTimeout(done, 1_000).unref();
    });
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: Error) => {
  process.stderr.write(`cofre: failed to start: ${err.message}\n`);
  process.exit(1);
});
