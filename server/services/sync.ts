// Versioned-record sync: push (one transaction, a compare-and-swap per item, seqs from the
// per-user counter row), keyset pull by seq, the head for subscriptions, tombstone compaction.
import { and, asc, eq, gt, inArray, lt, max, sql } from 'drizzle-orm';
import type { PullInput, PushInput, WireRecord } from '../../shared/protocol/sync.ts';
import type { Db } from '../db/client.ts';
import { records, users } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { toB64 } from './bytes.ts';
import { decidePush, type StoredRecord } from './decide-push.ts';

export const CHANGES_CHANNEL = 'cofre_changes';

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

export async function push(db: Db, userId: string, input: PushInput): Promise<PushResult> {
  return db.transaction(async (tx) => {
    // Every writer of this user's records takes this row lock first: seq order = commit order.
    const [user] = await tx
      .select({ seq: users.seq })
      .from(users)
      .where(eq(users.id, userId))
      .for('update');
    if (!user) throw new AppError('UNAUTHORIZED', 'Account not found.');
    // Read in a statement of its own, after the lock: its fresh snapshot sees the writes of the
    // push that held the lock before us. (Joined into the locking statement, Postgres would
    // re-check only the locked row and hand back stale records: a lost update.)
    const ids = input.items.map((i) => i.id);
    const rows =
      ids.length === 0
        ? []
        : await tx
            .select(storedColumns)
            .from(records)
            .where(and(eq(records.userId, userId), inArray(records.id, ids)));
    const byId = new Map(rows.map((r) => [r.id, r]));

    const result: PushResult = { applied: [], conflicts: [] };
    const writes = [];
    let seq = user.seq;
    for (const item of input.items) {
      const d = decidePush(item, byId.get(item.id));
      if (d.kind === 'write') {
        seq += 1;
        writes.push({ ...d, seq });
        result.applied.push({ id: d.id, version: d.version, seq });
      } else if (d.kind === 'same') {
        result.applied.push({ id: d.stored.id, version: d.stored.version, seq: d.stored.seq });
      } else {
        result.conflicts.push(d.stored ? toWire(d.stored) : missing(d.id));
      }
    }
    if (writes.length > 0) {
      await tx
        .insert(records)
        .values(
          writes.map((w) => ({
            userId,
            id: w.id,
            version: w.version,
            seq: w.seq,
            deleted: w.deleted,
            ct: w.ct,
            updatedAt: sql`now()`,
            deviceId: input.deviceId,
          })),
        )
        .onConflictDoUpdate({
          target: [records.userId, records.id],
          set: {
            version: sql`excluded.version`,
            seq: sql`excluded.seq`,
            deleted: sql`excluded.deleted`,
            ct: sql`excluded.ct`,
            updatedAt: sql`excluded.updated_at`,
            deviceId: sql`excluded.device_id`,
          },
        });
      // The NOTIFY is delivered to every LISTENing instance when this transaction commits.
      await tx
        .update(users)
        .set({ seq })
        .where(eq(users.id, userId))
        .returning({ notified: sql`pg_notify(${CHANGES_CHANNEL}, ${`${userId}:${seq}`})` });
    }
    return result;
  });
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
  return {
    items: page.map(toWire),
    cursor: page.at(-1)?.seq ?? input.cursor,
    hasMore: rows.length > input.limit,
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
