// Opens the database the server runs on: embedded PGlite in a data directory by default, or a
// bounded node-postgres pool when DATABASE_URL is set. Both speak the same SQL and migrations.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { Logger } from 'pino';
import * as schema from './schema.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

/** Raw SQL inside `Database.rawTransaction`; rows come back as plain objects. */
export type RawQuery = <R = Record<string, unknown>>(
  text: string,
  params?: unknown[],
) => Promise<R[]>;

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Db;
  /** Applies the committed migrations; safe when several instances start at once. */
  migrate(): Promise<void>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /**
   * Delivers NOTIFY payloads of `channel`. `onGap` runs when notifications may have been lost
   * (the listening connection dropped and came back), so subscribers can re-read their head.
   */
  listen(channel: string, onPayload: (payload: string) => void, onGap: () => void): Promise<void>;
  /**
   * Runs `fn` in one transaction on one connection. `snapshot`: REPEATABLE READ, READ ONLY, so
   * every read sees the same consistent state while writers go on; `write`: an ordinary
   * transaction that commits only if `fn` resolves.
   */
  rawTransaction<T>(mode: 'snapshot' | 'write', fn: (query: RawQuery) => Promise<T>): Promise<T>;
  poolStats(): PoolStats;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  poolMax: number;
  statementTimeoutMs: number;
  logger: Logger;
}

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));
/** Arbitrary constant naming Cofre's migration advisory lock. */
const MIGRATION_LOCK = 0x436f6672;

export function openDatabase(opts: DatabaseOptions): Promise<Database> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts) : openPglite(opts);
}

export async function openPglite(
  opts: Pick<DatabaseOptions, 'dataDir' | 'logger'> & { loadDataDir?: Blob },
): Promise<Database> {
  // Loaded only when used: importing PGlite alone costs ~50 MiB of RSS on a Postgres server.
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  const inMemory = opts.dataDir.startsWith('memory://');
  if (!inMemory) await mkdir(opts.dataDir, { recursive: true });
  const client = await PGlite.create({
    dataDir: opts.dataDir,
    // Measured to reopen at ~170 MiB RSS instead of ~310 MiB with the defaults.
    startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB', '-c', 'work_mem=2MB'],
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
  });
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    async migrate() {
      await migratePglite(drizzlePglite({ client }), { migrationsFolder });
    },
    async ping() {
      await client.query('select 1');
    },
    async listen(channel, onPayload) {
      await client.listen(channel, onPayload);
    },
    rawTransaction(mode, fn) {
      return client.transaction(async (tx) => {
        if (mode === 'snapshot')
          await tx.exec('set transaction isolation level repeatable read, read only');
        return fn(async (text, params) => (await tx.query(text, params)).rows as never);
      });
    },
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    async close() {
      if (!client.closed) await client.close();
    },
  };
}

async function openPostgres(url: string, opts: DatabaseOptions): Promise<Database> {
  const log = opts.logger.child({ component: 'db' });
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolMax,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    statement_timeout: opts.statementTimeoutMs,
    application_name: 'cofre',
  });
  // A connection dropped while idle (server restart, pg_terminate_backend) must not crash the
  // process; the pool discards that client and opens a new one on the next checkout.
  pool.on('error', (err) => log.warn({ err: { message: err.message } }, 'idle connection lost'));
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  const listeners: Array<{ stop(): Promise<void> }> = [];
  let closed = false;

  return {
    kind: 'postgres',
    db,
    async migrate() {
      // One connection holds an advisory lock so concurrent starts apply migrations once.
      const conn = await pool.connect();
      try {
        await conn.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
        await migratePg(drizzlePg({ client: conn }), { migrationsFolder });
      } finally {
        await conn.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
        conn.release();
      }
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    async listen(channel, onPayload, onGap) {
      listeners.push(await listenWithReconnect(url, channel, onPayload, onGap, log, () => closed));
    },
    async rawTransaction(mode, fn) {
      const conn = await pool.connect();
      try {
        await conn.query(
          mode === 'snapshot' ? 'begin isolation level repeatable read read only' : 'begin',
        );
        const result = await fn(async (text, params) => (await conn.query(text, params)).rows);
        await conn.query('commit');
        return result;
      } catch (err) {
        await conn.query('rollback').catch(() => {});
        throw err;
      } finally {
        conn.release();
      }
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(listeners.map((l) => l.stop()));
      await pool.end();
    },
  };
}

/** One dedicated LISTEN connection that comes back after a drop, with capped backoff. */
async function listenWithReconnect(
  url: string,
  channel: string,
  onPayload: (payload: string) => void,
  onGap: () => void,
  log: Logger,
  isClosed: () => boolean,
): Promise<{ stop(): Promise<void> }> {
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let attempt = 0;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url, application_name: 'cofre-listen' });
    c.on('notification', (msg) => {
      if (msg.channel === channel && msg.payload) onPayload(msg.payload);
    });
    c.on('error', (err) => log.warn({ err: { message: err.message } }, 'listen connection error'));
    c.on('end', () => {
      if (client !== c || isClosed()) return;
      client = undefined;
      schedule();
    });
    await c.connect();
    await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    client = c;
  };

  const schedule = () => {
    const delay = Math.min(5_000, 100 * 2 ** attempt++);
    timer = setTimeout(() => {
      connect()
        .then(() => {
          attempt = 0;
          log.info('listen connection restored');
          onGap();
        })
        .catch((err: Error) => {
          log.warn({ err: { message: err.message } }, 'listen reconnect failed');
          if (!isClosed()) schedule();
        });
    }, delay);
  };

  await connect();
  return {
    async stop() {
      clearTimeout(timer);
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}
