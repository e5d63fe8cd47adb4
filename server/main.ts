// Entry point and CLI: `serve` (default) starts the server, `migrate` only applies migrations,
// `maintenance` runs the clean-up jobs once. Configuration comes from the environment.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { buildServer } from './app.ts';
import { openDatabase } from './db/client.ts';
import { EnvError, loadEnv } from './env.ts';
import { runMaintenance } from './services/maintenance.ts';

const MAINTENANCE_EVERY_MS = 10 * 60_000;
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
  if (!['serve', 'migrate', 'maintenance'].includes(command)) {
    process.stderr.write(`cofre: unknown command "${command}" (serve | migrate | maintenance)\n`);
    process.exit(2);
  }
  const env = readEnv();
  const logger = pino({
    level: env.LOG_LEVEL,
    redact: { paths: ['req.headers.authorization', '*.token', '*.authKey'], censor: '[redacted]' },
  });
  if (command === 'serve' && !env.DATABASE_URL && !existsSync(join(env.DATA_DIR, 'PG_VERSION'))) {
    // Creating a PGlite data directory (initdb) grows its memory to ~700 MiB for good; do it in
    // a short-lived child so the long-running server starts at its reopened size (~280 MiB).
    const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, 'migrate'], {
      stdio: 'inherit',
    });
    if (child.status !== 0) process.exit(child.status ?? 1);
  }
  const where = env.DATABASE_URL ? 'Postgres (DATABASE_URL)' : `PGlite in ${resolve(env.DATA_DIR)}`;
  const database = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    poolMax: env.DATABASE_POOL_MAX,
    statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
    logger,
  });
  await database.migrate();
  if (command === 'migrate') {
    logger.info({ database: where }, 'migrations applied');
    await database.close();
    return;
  }

  const server = await buildServer({ env, database, logger });
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
    return;
  }

  await server.app.listen({ port: env.PORT, host: env.HOST });
  const address = server.app.server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  const url = `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${port}`;
  logger.info(
    { url, database: where, startupMs: Math.round(performance.now() - started) },
    'ready',
  );
  process.stdout.write(`Cofre server listening on ${url} (${where})\n`);

  const timer = setInterval(() => {
    maintenance()
      .then((done) => logger.info(done, 'maintenance done'))
      .catch((err: Error) => logger.warn({ err: { message: err.message } }, 'maintenance failed'));
  }, MAINTENANCE_EVERY_MS);
  timer.unref();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    clearInterval(timer);
    await server.close();
    await database.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: Error) => {
  process.stderr.write(`cofre: failed to start: ${err.message}\n`);
  process.exit(1);
});
