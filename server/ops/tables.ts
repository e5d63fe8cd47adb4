// The tables a backup or a move carries, in an order that satisfies their foreign keys, and the
// SQL that reads each one as JSON lines and writes them back. The database does the (de)coding,
// so bytes, timestamps, arrays and jsonb round-trip exactly on Postgres and on PGlite alike.
import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import type { RawQuery } from '../db/client.ts';
import * as schema from '../db/schema.ts';

export const TABLES = [
  'users',
  'signup_invitations',
  'retired_account_keys',
  'recovery_kits',
  'devices',
  'sessions',
  'records',
  'identities',
  'vaults',
  'vault_grants',
  'vault_retired_keys',
  'vault_invitations',
  'vault_records',
  'passkeys',
  'totp_factors',
  'recovery_codes',
  'remembered_devices',
  'login_tickets',
  'webauthn_challenges',
  'audit_events',
  'auth_attempts',
  'server_secrets',
] as const;
export type TableName = (typeof TABLES)[number];

/** Every table the schema declares; a test keeps TABLES in step with it. */
export const schemaTables = (): string[] =>
  (Object.values(schema) as unknown[])
    .filter((v): v is PgTable => is(v, PgTable))
    .map((t) => getTableConfig(t).name);

/** Tables whose id comes from a sequence, which must continue past the copied rows. */
const SERIAL_IDS: TableName[] = ['audit_events', 'auth_attempts'];

const FETCH_ROWS = 2_000;

/** Each row of `table` as one line of JSON, read through a cursor in the caller's transaction. */
export async function* readTable(query: RawQuery, table: TableName): AsyncGenerator<string[]> {
  const cursor = `cofre_dump_${table}`;
  await query(
    `declare ${cursor} no scroll cursor for select to_jsonb(t)::text as j from ${table} t`,
  );
  try {
    for (;;) {
      const rows = await query<{ j: string }>(`fetch ${FETCH_ROWS} from ${cursor}`);
      if (rows.length > 0) yield rows.map((r) => r.j);
      if (rows.length < FETCH_ROWS) break;
    }
  } finally {
    await query(`close ${cursor}`);
  }
}

/** Inserts rows given as JSON lines (as `readTable` makes them) into `table`. */
export async function writeRows(query: RawQuery, table: TableName, lines: string[]): Promise<void> {
  if (lines.length === 0) return;
  await query(
    `insert into ${table} select * from jsonb_populate_recordset(null::${table}, $1::jsonb)`,
    [`[${lines.join(',')}]`],
  );
}

export async function countRows(query: RawQuery): Promise<Record<TableName, number>> {
  const counts = {} as Record<TableName, number>;
  for (const table of TABLES) {
    const [row] = await query<{ n: number | string }>(`select count(*) as n from ${table}`);
    counts[table] = Number(row?.n ?? 0);
  }
  return counts;
}

/** Moves each serial id's sequence past the highest copied id. */
export async function resetSequences(query: RawQuery): Promise<void> {
  for (const table of SERIAL_IDS) {
    await query(
      `select setval(pg_get_serial_sequence('${table}', 'id'), coalesce(max(id), 0) + 1, false) from ${table}`,
    );
  }
}

/** The latest migration applied to the database (drizzle's bookkeeping), or null if none. */
export async function appliedMigration(query: RawQuery): Promise<number | null> {
  const [row] = await query<{ at: number | string | null }>(
    'select max(created_at) as at from drizzle.__drizzle_migrations',
  );
  return row?.at == null ? null : Number(row.at);
}

export class OpsError extends Error {
  constructor(
    readonly code:
      | 'BAD_FILE'
      | 'NOT_EMPTY'
      | 'SCHEMA_MISMATCH'
      | 'DATA_DIR_IN_USE'
      | 'COUNT_MISMATCH'
      | 'BAD_ARGS',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Refuses a target that holds any row: a restore or a move never merges into live data. */
export async function assertEmpty(query: RawQuery, what: string): Promise<void> {
  const counts = await countRows(query);
  const used = Object.entries(counts).filter(([, n]) => n > 0);
  if (used.length > 0) {
    throw new OpsError(
      'NOT_EMPTY',
      `${what} is not empty (${used.map(([t, n]) => `${t}: ${n} rows`).join(', ')}); it must hold no data. Point it at a new database, or drop and recreate this one.`,
    );
  }
}
