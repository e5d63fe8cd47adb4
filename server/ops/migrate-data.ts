// Moves everything from one database to another (embedded PGlite → Postgres): every table read
// in one snapshot of the source, written in one transaction on the target, serial sequences set
// past the copied ids, and each table's row count and content digest compared before commit.
// Sequence counters, cursors, sessions and tokens are copied as they are, so devices go on.
import type { Database, RawQuery } from '../db/client.ts';
import { migrationTag } from './backup.ts';
import {
  appliedMigration,
  assertEmpty,
  OpsError,
  readTable,
  resetSequences,
  TABLES,
  type TableName,
  writeRows,
} from './tables.ts';

export interface MoveReport {
  tables: Record<TableName, number>;
  ms: number;
}

/** Row count and an order-independent digest of every row's JSON form. */
export async function fingerprint(query: RawQuery, table: TableName) {
  const [row] = await query<{ n: number | string; digest: string | null }>(
    `select count(*) as n, md5(string_agg(h, '' order by h)) as digest
       from (select md5(to_jsonb(t)::text) as h from ${table} t) rows`,
  );
  return { n: Number(row?.n ?? 0), digest: row?.digest ?? '' };
}

export async function migrateData(source: Database, target: Database): Promise<MoveReport> {
  const started = performance.now();
  const tables = {} as Record<TableName, number>;
  await source.rawTransaction('snapshot', async (from) => {
    const when = await appliedMigration(from);
    await target.rawTransaction('write', async (to) => {
      const targetWhen = await appliedMigration(to);
      if (when !== targetWhen) {
        throw new OpsError(
          'SCHEMA_MISMATCH',
          `the source is at schema ${migrationTag(when)}, the target at ${migrationTag(targetWhen)}.`,
        );
      }
      await assertEmpty(to, 'The target database');
      for (const table of TABLES) {
        for await (const rows of readTable(from, table)) await writeRows(to, table, rows);
      }
      await resetSequences(to);
      for (const table of TABLES) {
        const [a, b] = [await fingerprint(from, table), await fingerprint(to, table)];
        if (a.n !== b.n || a.digest !== b.digest) {
          throw new OpsError(
            'COUNT_MISMATCH',
            `${table}: the source has ${a.n} rows, the copy ${b.n}${a.n === b.n ? ' with different content' : ''}; nothing was moved.`,
          );
        }
        tables[table] = a.n;
      }
    });
  });
  return { tables, ms: Math.round(performance.now() - started) };
}
