// Versioned-record sync: push (one call of the cofre_push database function: a compare-and-swap
// per item, seqs from the per-user counter row), keyset pull by seq, the head for
// subscriptions, tombstone compaction.
import { and, asc, eq, gt, isNull, lt, max, sql } from 'drizzle-orm';
import type { PullInput, PushInput, WireRecord } from '../../shared/protocol/sync.ts';
import type { Db } from '../db/client.ts';
import { records, users, vaultGrants, vaultRecords, vaults } from '../db/schema.ts';
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

type PushFn = 'cofre_push' | 'cofre_vault_push';

/** The SQL call of one scope's items: the user's records, or one shared vault's. */
function pushCall(
  userId: string,
  deviceId: string,
  vaultId: string | undefined,
  items: PushInput['items'],
) {
  const json = JSON.stringify(
    items.map((i) => ({
      id: i.id,
      b: i.baseVersion,
      d: i.deleted,
      c: i.ct === null ? null : Buffer.from(i.ct, 'base64url').toString('hex'),
    })),
  );
  const fn: PushFn = vaultId ? 'cofre_vault_push' : 'cofre_push';
  return fn === 'cofre_push'
    ? sql`select * from cofre_push(${userId}::uuid, ${deviceId}::uuid, ${json}::jsonb)`
    : sql`select * from cofre_vault_push(${vaultId}::uuid, ${userId}::uuid, ${deviceId}::uuid, ${json}::jsonb)`;
}

/** The database's refusals, in the protocol's words. */
function refusal(err: unknown): never {
  // pg puts the SQLSTATE on the error, drizzle may wrap it (cause), PGlite's has it too.
  const e = err as { code?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code;
  if (code === 'P0002') throw new AppError('UNAUTHORIZED', 'Account not found.');
  if (code === 'P0003')
    throw new AppError('FORBIDDEN', 'Your role in this shared vault does not allow changes.');
  if (code === 'P0004')
    throw new AppError('FORBIDDEN', 'You are not a member of this shared vault.');
  throw err;
}

/**
 * One round trip per scope: the database functions cofre_push (migration 0001) and
 * cofre_vault_push (0005) take the scope's row lock, decide every item's compare-and-swap,
 * write, bump the scope's seq counter and NOTIFY. Items of several scopes (a move into or out of
 * a shared vault) are applied in one transaction: all of them, or, if any scope refuses the
 * writer, none.
 */
export async function push(db: Db, userId: string, input: PushInput): Promise<PushResult> {
  const scopes = new Map<string | undefined, PushInput['items']>();
  for (const item of input.items) {
    const list = scopes.get(item.vaultId) ?? [];
    list.push(item);
    scopes.set(item.vaultId, list);
  }
  let rows: PushRow[] = [];
  try {
    if (scopes.size <= 1) {
      const [[vaultId, items] = [undefined, []]] = scopes;
      const result = await db.execute(pushCall(userId, input.deviceId, vaultId, items));
      rows = (result as unknown as { rows: PushRow[] }).rows;
    } else {
      await db.transaction(async (tx) => {
        for (const [vaultId, items] of scopes) {
          const result = await tx.execute(pushCall(userId, input.deviceId, vaultId, items));
          rows.push(...(result as unknown as { rows: PushRow[] }).rows);
        }
      });
    }
  } catch (err) {
    refusal(err);
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

/** A scope's head and horizon: the user's own, or a shared vault's (to a current member only). */
async function scopeHead(db: Db, userId: string, vaultId: string | undefined) {
  if (!vaultId) {
    const [user] = await db
      .select({ seq: users.seq, horizon: users.tombstoneHorizon })
      .from(users)
      .where(eq(users.id, userId));
    if (!user) throw new AppError('UNAUTHORIZED', 'Account not found.');
    return user;
  }
  const [vault] = await db
    .select({ seq: vaults.seq, horizon: vaults.tombstoneHorizon })
    .from(vaults)
    .innerJoin(
      vaultGrants,
      and(eq(vaultGrants.vaultId, vaults.id), eq(vaultGrants.generation, vaults.generation)),
    )
    .where(
      and(eq(vaults.id, vaultId), eq(vaultGrants.userId, userId), isNull(vaultGrants.removedAt)),
    );
  if (!vault) throw new AppError('FORBIDDEN', 'You are not a member of this shared vault.');
  return vault;
}

const vaultColumns = {
  id: vaultRecords.id,
  version: vaultRecords.version,
  seq: vaultRecords.seq,
  deleted: vaultRecords.deleted,
  ct: vaultRecords.ct,
  updatedAt: vaultRecords.updatedAt,
};

/**
 * A pull from the read replica when it has caught up with this scope's head on the primary, so a
 * pull after a push always sees the push (read-your-writes); otherwise — behind, or down — from
 * the primary. The head is read on the primary first: it also checks a vault's membership there,
 * so a replica behind a removal serves nothing to the removed member.
 */
export async function pullRouted(
  primary: Db,
  replica: Db | null,
  userId: string,
  input: PullInput,
  served?: (from: 'replica' | 'primary') => void,
): Promise<PullResult> {
  if (!replica) return pull(primary, userId, input);
  const head = await scopeHead(primary, userId, input.vaultId);
  const fromReplica = await pull(replica, userId, input, head.seq).catch(() => null);
  served?.(fromReplica ? 'replica' : 'primary');
  return fromReplica ?? pull(primary, userId, input);
}

export async function pull(
  db: Db,
  userId: string,
  input: PullInput,
  /** Throw unless the scope's head here is at least this (a replica that may lag). */
  atLeast = 0,
): Promise<PullResult> {
  const head = await scopeHead(db, userId, input.vaultId);
  if (head.seq < atLeast) throw new Error('behind');
  // A cursor older than the compacted tombstones may have missed deletions; one ahead of the
  // head belongs to another history (a restored server). Both start again from zero.
  if ((input.cursor > 0 && input.cursor < head.horizon) || input.cursor > head.seq) {
    return { items: [], cursor: 0, hasMore: true, reset: true };
  }
  const rows = input.vaultId
    ? await db
        .select(vaultColumns)
        .from(vaultRecords)
        .where(and(eq(vaultRecords.vaultId, input.vaultId), gt(vaultRecords.seq, input.cursor)))
        .orderBy(asc(vaultRecords.seq))
        .limit(input.limit + 1)
    : await db
        .select(storedColumns)
        .from(records)
        .where(and(eq(records.userId, userId), gt(records.seq, input.cursor)))
        .orderBy(asc(records.seq))
        .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const hasMore = rows.length > input.limit;
  // The last page's cursor is at least the head read above: every seq up to it had committed
  // (seq order is commit order per scope), and a history that starts past a gap (a restore
  // moves the head far ahead) leaves a cursor at the head, not at its last record.
  const last = page.at(-1)?.seq ?? input.cursor;
  return {
    items: page.map(toWire),
    cursor: hasMore ? last : Math.max(last, head.seq),
    hasMore,
    reset: false,
  };
}

export async function headSeq(db: Db, userId: string): Promise<number> {
  const [user] = await db.select({ seq: users.seq }).from(users).where(eq(users.id, userId));
  return user?.seq ?? 0;
}

/**
 * Deletes tombstones older than `before` and raises each scope's horizon past them: each user's
 * records, then each shared vault's. One scope at a time, taking the same row lock as a push
 * there, so a push never races a compaction.
 */
export async function compactTombstones(db: Db, before: Date): Promise<number> {
  return (await compactUsers(db, before)) + (await compactVaults(db, before));
}

async function compactVaults(db: Db, before: Date): Promise<number> {
  const owners = await db
    .selectDistinct({ vaultId: vaultRecords.vaultId })
    .from(vaultRecords)
    .where(and(eq(vaultRecords.deleted, true), lt(vaultRecords.updatedAt, before)));
  let removed = 0;
  for (const { vaultId } of owners) {
    removed += await db.transaction(async (tx) => {
      await tx.select({ id: vaults.id }).from(vaults).where(eq(vaults.id, vaultId)).for('update');
      const doomed = and(
        eq(vaultRecords.vaultId, vaultId),
        eq(vaultRecords.deleted, true),
        lt(vaultRecords.updatedAt, before),
      );
      const [top] = await tx
        .select({ seq: max(vaultRecords.seq) })
        .from(vaultRecords)
        .where(doomed);
      const gone = await tx.delete(vaultRecords).where(doomed).returning({ id: vaultRecords.id });
      if (top?.seq != null) {
        await tx
          .update(vaults)
          .set({ tombstoneHorizon: sql`greatest(${vaults.tombstoneHorizon}, ${top.seq})` })
          .where(eq(vaults.id, vaultId));
      }
      return gone.length;
    });
  }
  return removed;
}

async function compactUsers(db: Db, before: Date): Promise<number> {
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
