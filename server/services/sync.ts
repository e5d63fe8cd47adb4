// Versioned-record sync: push (one call of the cofre_push database function: a compare-and-swap
// per item, seqs from the per-user counter row), keyset pull by seq, the head for
// subscriptions, tombstone compaction.
import { and, asc, eq, gt, lt, max, sql } from 'drizzle-orm';
import type { PullInput, PushInput, WireRecord } from '../../shared/protocol/sync.ts';
import type { Db } from '../db/client.ts';
import { records, users } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { toB64 } from './bytes.ts';

export const CHANGES_CHANNEL = 'cofre_changes';

interface StoredRecord {
  id: string;
  version: number;
  seq: number;
  deleted: boolean;
  ct: Uint8Array | null;
  updatedAt: Date;
}

const toWire = (r: StoredRecord): WireRecord => ({
  id: r.id,
  version: r.version,
  seq: r.seq,
  deleted: r.deleted,
  ct: r.ct === null ? null : toB64(r.ct),
  updatedAt: r.updatedAt.toISOString(),
});

const missing = (id: string): WireRecord => ({
  id,
  version: 0,
  seq: 0,
  deleted: true,
  ct: null,
  updatedAt: null,
});

const storedColumns = {
  id: records.id,
  version: records.version,
  seq: records.seq,
  deleted: records.deleted,
  ct: records.ct,
  updatedAt: records.updatedAt,
};

export interface PushResult {
  applied: Array<{ id: string; version: number; seq: number }>;
  conflicts: WireRecord[];
}

interface PushRow {
  o_kind: 'applied' | 'conflict';
  o_id: string;
  o_version: number;
  o_seq: number | string;
  o_deleted: boolean | null;
  o_ct: Uint8Array | null;
  o_updated_at: Date | string | null;
}

/**
 * One round trip: the database function cofre_push (migration 0001) takes the user's row lock,
 * decides every item's compare-and-swap, writes, bumps the seq counter and NOTIFYs, in one
 * statement and so one transaction.
 */
export async function push(db: Db, userId: string, input: PushInput): Promise<PushResult> {
  const items = JSON.stringify(
    input.items.map((i) => ({
      id: i.id,
      b: i.baseVersion,
      d: i.deleted,
      c: i.ct === null ? null : Buffer.from(i.ct, 'base64url').toString('hex'),
    })),
  );
  let rows: PushRow[];
  try {
    const result = await db.execute(
      sql`select * from cofre_push(${userId}::uuid, ${input.deviceId}::uuid, ${items}::jsonb)`,
    );
    rows = (result as unknown as { rows: PushRow[] }).rows;
  } catch (err) {
    if ((err as { code?: string }).code === 'P0002')
      throw new AppError('UNAUTHORIZED', 'Account not found.');
    throw err;
  }
  const result: PushResult = { applied: [], conflicts: [] };
  for (const r of rows) {
    if (r.o_kind === 'applied') {
      result.applied.push({ id: r.o_id, version: r.o_version, seq: Number(r.o_seq) });
    } else if (r.o_version === 0) {
      result.conflicts.push(missing(r.o_id));
    } else {
      result.conflicts.push(
        toWire({
          id: r.o_id,
          version: r.o_version,
          seq: Number(r.o_seq),
          deleted: r.o_deleted ?? false,
          ct: r.o_ct,
          updatedAt: new Date(r.o_updated_at ?? 0),
        }),
      );
    }
  }
  return result;
}

export interface PullResult {
  items: WireRecord[];
  cursor: number;
  hasMore: boolean;
  reset: boolean;
}

export async function pull(db: Db, userId: string, input: PullInput): Promise<PullResult> {
  const [user] = await db
    .select({ seq: users.seq, horizon: users.tombstoneHorizon })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) throw new AppError('UNAUTHORIZED', 'Account not found.');
  // A cursor older than the compacted tombstones may have missed deletions; one ahead of the
  // head belongs to another history (a restored server). Both start again from zero.
  if ((input.cursor > 0 && input.cursor < user.horizon) || input.cursor > user.seq) {
    return { items: [], cursor: 0, hasMore: true, reset: true };
  }
  const rows = await db
    .select(storedColumns)
    .from(records)
    .where(and(eq(records.userId, userId), gt(records.seq, input.cursor)))
    .orderBy(asc(records.seq))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const hasMore = rows.length > input.limit;
  // The last page's cursor is at least the head read above: every seq up to it had committed
  // (seq order is commit order per user), and a history that starts past a gap (a restore
  // moves the head far ahead) leaves a cursor at the head, not at its last record.
  const last = page.at(-1)?.seq ?? input.cursor;
  return {
    items: page.map(toWire),
    cursor: hasMore ? last : Math.max(last, user.seq),
    hasMore,
    reset: false,
  };
}

export async function headSeq(db: Db, userId: string): Promise<number> {
  const [user] = await db.select({ seq: users.seq }).from(users).where(eq(users.id, userId));
  return user?.seq ?? 0;
}

/**
 * Deletes tombstones older than `before` and raises each user's horizon past them. One user at
 * a time, taking the same row lock as push, so a push never races a compaction.
 */
export async function compactTombstones(db: Db, before: Date): Promise<number> {
  const owners = await db
    .selectDistinct({ userId: records.userId })
    .from(records)
    .where(and(eq(records.deleted, true), lt(records.updatedAt, before)));
  let removed = 0;
  for (const { userId } of owners) {
    removed += await db.transaction(async (tx) => {
      await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
      const doomed = and(
        eq(records.userId, userId),
        eq(records.deleted, true),
        lt(records.updatedAt, before),
      );
      const [top] = await tx
        .select({ seq: max(records.seq) })
        .from(records)
        .where(doomed);
      const gone = await tx.delete(records).where(doomed).returning({ id: records.id });
      if (top?.seq != null) {
        await tx
          .update(users)
          .set({ tombstoneHorizon: sql`greatest(${users.tombstoneHorizon}, ${top.seq})` })
          .where(eq(users.id, userId));
      }
      return gone.length;
    });
  }
  return removed;
}
