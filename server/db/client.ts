// Opens the database the server runs on: embedded PGlite in a data directory by default, or a
// bounded node-postgres pool when DATABASE_URL is set. Both speak the same SQL and migrations.
import { AsyncLocalStorage } from 'node:async_hooks';
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
  /**
   * As the owner of the tables (the migration role): migrations, maintenance, backups, the
   * administrator and tests. Row-level security does not hold it.
   */
  readonly db: Db;
  /**
   * As cofre_app, the role requests run as: row-level security holds every query to the rows
   * of the account `asUser` acts for, and outside one to no account's rows (0009 migration).
   */
  readonly appDb: Db;
  /**
   * Runs `fn` with `appDb` acting for `userId`: on Postgres the scope takes one connection (when
   * it first needs one) with the user set on it, reset when the scope ends; on PGlite every
   * statement or transaction runs in a transaction that sets the role and the user.
   */
  asUser<T>(userId: string, fn: () => Promise<T>): Promise<T>;
  /**
   * A streaming replica (DATABASE_READ_URL), as cofre_app and scoped like `appDb`; null when
   * there is none. It may lag: readers compare a head with the primary's before trusting it.
   */
  readonly readDb: Db | null;
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
  /** The owner of the tables, for migrations and maintenance (unset: databaseUrl's user). */
  migrationUrl?: string | undefined;
  /** A streaming replica of databaseUrl for reads (Postgres only). */
  readUrl?: string | undefined;
  dataDir: string;
  poolMax: number;
  statementTimeoutMs: number;
  logger: Logger;
}

/** The migrations this code ships: beside this file, or beside the bundle (scripts/build-server.mjs). */
export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));
/** The role requests run as (created by migration 0009). */
export const APP_ROLE = 'cofre_app';
/** Acts for no account: row-level security shows it nothing of any account. */
const NOBODY = '';
/** Arbitrary constant naming Cofre's migration advisory lock. */
const MIGRATION_LOCK = 0x436f6672;

export function openDatabase(opts: DatabaseOptions): Promise<Database> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts) : openPglite(opts);
}

export async function openPglite(
  opts: Pick<DatabaseOptions, 'dataDir' | 'logger'> & { loadDataDir?: Blob },
): Promise<Database> {
  // Loaded only when used: importing PGlite alone costs ~50 MiB of RSS on a Postgres server.
  const [
    { PGlite },
    { drizzle: drizzlePglite },
    { migrate: migratePglite },
    { byteaParsers, byteaSerializers },
  ] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
    import('./pglite-bytea.ts'),
  ]);
  const inMemory = opts.dataDir.startsWith('memory://');
  if (!inMemory) await mkdir(opts.dataDir, { recursive: true });
  const client = await PGlite.create({
    dataDir: opts.dataDir,
    // Measured to reopen at ~170 MiB RSS instead of ~310 MiB with the defaults.
    startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB', '-c', 'work_mem=2MB'],
    parsers: byteaParsers,
    serializers: byteaSerializers,
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
  });
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  // PGlite is one connection for every request: the role and the user are set per transaction
  // (SET LOCAL), so two requests never see each other's setting.
  const scope = new AsyncLocalStorage<string>();
  type Tx = Parameters<Parameters<typeof client.transaction>[0]>[0];
  // (The user is read before the transaction starts: PGlite runs its callback later, from
  // whichever query released its lock, where the caller's async context is gone.)
  const enter = (tx: Tx, userId: string) =>
    tx.query(
      `select set_config('role', '${APP_ROLE}', true), set_config('cofre.user_id', $1, true)`,
      [userId],
    );
  const appClient = {
    query: (text: string, params?: unknown[], options?: object) => {
      const userId = scope.getStore() ?? NOBODY;
      return client.transaction(async (tx) => {
        await enter(tx, userId);
        return tx.query(text, params, options as never);
      });
    },
    transaction: <T>(fn: (tx: Tx) => Promise<T>) => {
      const userId = scope.getStore() ?? NOBODY;
      return client.transaction(async (tx) => {
        await enter(tx, userId);
        return fn(tx);
      });
    },
  };
  const appDb = drizzlePglite({ client: appClient as never, schema }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    appDb,
    // Awaited inside the scope: drizzle's queries are lazy (they run when awaited), so one
    // returned unawaited would run outside it.
    asUser: (userId, fn) => scope.run(userId, async () => await fn()),
    readDb: null,
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
  const poolOf = (connectionString: string, max: number, extra: pg.PoolConfig = {}) => {
    const p = new pg.Pool({
      connectionString,
      max,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 5_000,
      statement_timeout: opts.statementTimeoutMs,
      application_name: 'cofre',
      ...extra,
    });
    // A connection dropped while idle (server restart, pg_terminate_backend) must not crash the
    // process; the pool discards that client and opens a new one on the next checkout.
    p.on('error', (err) => log.warn({ err: { message: err.message } }, 'idle connection lost'));
    return p;
  };
  // The owner's pool (migrations, maintenance, backups) and the requests' pool, whose every
  // connection starts as cofre_app (a startup option: no connection is ever used before it).
  const pool = poolOf(opts.migrationUrl ?? url, Math.max(2, Math.ceil(opts.poolMax / 4)));
  const appPool = poolOf(url, opts.poolMax, { options: `-c role=${APP_ROLE}` });
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  const scoped = new ScopedPool(appPool);
  const appDb = drizzlePg({ client: scoped as never, schema }) as unknown as Db;
  const readPool = opts.readUrl
    ? poolOf(opts.readUrl, opts.poolMax, { options: `-c role=${APP_ROLE}` })
    : null;
  const scopedRead = readPool ? new ScopedPool(readPool) : null;
  const readDb = scopedRead
    ? (drizzlePg({ client: scopedRead as never, schema }) as unknown as Db)
    : null;
  const listeners: Array<{ stop(): Promise<void> }> = [];
  let closed = false;

  return {
    kind: 'postgres',
    db,
    appDb,
    asUser: (userId, fn) =>
      scopedRead ? scopedRead.run(userId, () => scoped.run(userId, fn)) : scoped.run(userId, fn),
    readDb,
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
    poolStats: () => ({
      total: appPool.totalCount + pool.totalCount,
      idle: appPool.idleCount + pool.idleCount,
      waiting: appPool.waitingCount + pool.waitingCount,
    }),
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(listeners.map((l) => l.stop()));
      await Promise.all([pool.end(), appPool.end(), readPool?.end()]);
    },
  };
}

interface Scope {
  userId: string;
  /** The connection while something of the scope uses it (a query, an open transaction). */
  client: Promise<pg.PoolClient> | null;
  /** How many queries and transactions of the scope hold `client` now. */
  users: number;
  /** The connection's return, waiting for the scope's next query (see #give). */
  parting: NodeJS.Immediate | null;
  ended: boolean;
}

/**
 * The requests' pool as drizzle sees it (its name says Pool, so drizzle checks a connection out
 * for a transaction). Every connection taken from it first gets cofre.user_id set: inside
 * `run(userId, …)` to that account, outside one to nobody — no statement ever runs on a
 * connection still set for another request. Inside a scope, whatever runs at the same time
 * shares one connection; it goes back as soon as nothing of the scope uses it (after the
 * current turn of the event loop, so back-to-back queries keep it), so a request doing other
 * work between queries (an Argon2id run, a wait in the push queue) holds no connection.
 */
class ScopedPool {
  readonly #pool: pg.Pool;
  readonly #scope = new AsyncLocalStorage<Scope>();

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  /** What each connection was last set to act for (only this class sets it). */
  readonly #actingFor = new WeakMap<pg.PoolClient, string>();

  /** A connection of the pool, set to act for `userId` ('' : nobody). */
  async #open(userId: string): Promise<pg.PoolClient> {
    const c = await this.#pool.connect();
    // Set already (the same account again, or nobody again): no round trip.
    if (this.#actingFor.get(c) === userId) return c;
    try {
      this.#actingFor.delete(c);
      await c.query(`select set_config('cofre.user_id', $1, false)`, [userId]);
      this.#actingFor.set(c, userId);
      return c;
    } catch (err) {
      c.release(err as Error);
      throw err;
    }
  }

  /** Holds the scope's connection (opening it if none is open); `give` lets go of it. */
  #take(s: Scope): { client: Promise<pg.PoolClient>; give: () => void } {
    // A query started in the scope but run after it ended has no business with a connection.
    if (s.ended)
      return {
        client: Promise.reject(new Error('a query ran after its request had ended')),
        give: () => {},
      };
    if (s.parting) clearImmediate(s.parting);
    s.parting = null;
    s.users++;
    s.client ??= this.#open(s.userId);
    const held = s.client;
    let given = false;
    const give = () => {
      if (given) return;
      given = true;
      s.users--;
      if (s.users > 0 || s.client !== held) return;
      const part = () => {
        s.parting = null;
        if (s.users > 0 || s.client !== held) return;
        s.client = null;
        held.then(
          (c) => c.release(),
          () => {}, // it never opened: nothing to give back
        );
      };
      if (s.ended) part();
      else s.parting = setImmediate(part);
    };
    return { client: held, give };
  }

  async run<T>(userId: string, fn: () => Promise<T>): Promise<T> {
    const s: Scope = { userId, client: null, users: 0, parting: null, ended: false };
    try {
      // Awaited inside the scope: drizzle's queries run when awaited.
      return await this.#scope.run(s, async () => await fn());
    } finally {
      s.ended = true;
      if (s.parting) {
        clearImmediate(s.parting);
        s.parting = null;
        if (s.users === 0 && s.client) {
          const held = s.client;
          s.client = null;
          held.then(
            (c) => c.release(),
            () => {},
          );
        }
      }
    }
  }

  async connect(): Promise<pg.PoolClient> {
    const s = this.#scope.getStore();
    if (!s) {
      // A transaction outside any request's scope acts for nobody.
      const c = await this.#open(NOBODY);
      return c;
    }
    const { client, give } = this.#take(s);
    let c: pg.PoolClient;
    try {
      c = await client;
    } catch (err) {
      give();
      throw err;
    }
    // Drizzle releases it after its transaction: that lets go of the scope's hold.
    return new Proxy(c, {
      get(target, key) {
        if (key === 'release') return give;
        const v = Reflect.get(target, key);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
  }

  async query(...args: Parameters<pg.Pool['query']>) {
    const s = this.#scope.getStore();
    const run = (c: pg.PoolClient) => (c.query as (...a: unknown[]) => Promise<unknown>)(...args);
    if (!s) {
      const c = await this.#open(NOBODY);
      try {
        return await run(c);
      } finally {
        c.release();
      }
    }
    const { client, give } = this.#take(s);
    return client.then(run).finally(give);
  }
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
