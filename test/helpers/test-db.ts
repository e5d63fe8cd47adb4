// A fresh, migrated database per test file, on the backend this vitest project runs against:
// a throwaway Postgres database, or an in-memory PGlite loaded from the global template.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { SQL } from 'drizzle-orm';
import pg from 'pg';
import pino from 'pino';
import { inject } from 'vitest';
import { type Database, openDatabase, openPglite } from '../../server/db/client.ts';
import { TEST_DATABASE_URL } from './global-setup.ts';

const execFileAsync = promisify(execFile);

export type Backend = 'pglite' | 'postgres';
export const backend = (process.env.COFRE_TEST_DB ?? 'pglite') as Backend;

export interface TestDb {
  database: Database;
  /** Set on Postgres: the URL of this file's own database, for extra processes or clients. */
  url?: string;
  drop(): Promise<void>;
}

const silent = pino({ level: 'silent' });

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty Postgres database and returns its URL (no migrations applied). */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `cofre_t_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`create database ${name}`));
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => {}),
  };
}

export async function createTestDb(): Promise<TestDb> {
  if (backend === 'postgres') {
    const pgdb = await createPostgresDatabase();
    const database = await openDatabase({
      databaseUrl: pgdb.url,
      dataDir: '',
      poolMax: 20,
      statementTimeoutMs: 15_000,
      logger: silent,
    });
    await database.migrate();
    return {
      database,
      url: pgdb.url,
      async drop() {
        await database.close();
        await pgdb.drop();
      },
    };
  }
  const template = await readFile(inject('pgliteTemplate'));
  const database = await openPglite({
    dataDir: 'memory://',
    logger: silent,
    loadDataDir: new Blob([template]),
  });
  await database.migrate();
  return { database, drop: () => database.close() };
}

/**
 * A PGlite data directory at `dir` that holds the migrated template, for a spawned server or
 * command: it opens in ~2 s where a new one takes 8–9 s to create (initdb) here. Tests of the
 * very first start (test/integration/processes.test.ts) leave the directory empty instead.
 */
export async function seededDataDir(dir: string): Promise<string> {
  const template = inject('pgliteTemplate');
  if (!template)
    throw new Error('No PGlite template: test/helpers/global-setup.ts did not make one.');
  await mkdir(dir, { recursive: true });
  // The dump's member names start with '/': tar strips it, and says so on stderr.
  await execFileAsync('tar', ['-xf', template, '-C', dir]);
  return dir;
}

/** Runs raw SQL on either driver and returns its rows. */
export async function queryRows<T = Record<string, unknown>>(
  db: Database['db'],
  query: SQL,
): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
