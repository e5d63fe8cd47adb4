// Push: the outbox goes out with baseVersion; applied writes become the base, conflicts are
// judged like any server copy and merged, written back or set aside, and merges go out in the
// next round. A record whose conflict copy is set aside is not sent again in this sync.
import { toBase64url } from '../crypto/bytes.ts';
import type { WireRecord } from '../protocol/sync.ts';
import { editOf, mergeWithServer, samePending, seenOf, writeBack } from './apply-copy.ts';
import { checkPushAnswer } from './check-answer.ts';
import type { EngineContext } from './engine-context.ts';
import { SyncError } from './errors.ts';
import { judgeCopy } from './judge-copy.ts';
import type { PendingEdit, QuarantineEntry, RecordState } from './ports.ts';
import { tagOf } from './record-codec.ts';
import type { SyncReport } from './sync-report.ts';

const PUSH_BATCH = 500;
const MAX_PUSH_ROUNDS = 20;

export async function pushOutbox(ctx: EngineContext, report: SyncReport) {
  const { store } = ctx;
  for (let round = 0; round < MAX_PUSH_ROUNDS; round++) {
    const saves = ctx.saves?.();
    const outbox = (await store.outbox()).filter((r) => !report.setAside.has(r.id));
    if (outbox.length === 0) return;
    const { pushed, merged } = report;
    const setAside = report.setAside.size;
    for (let i = 0; i < outbox.length; i += PUSH_BATCH)
      await pushParts(ctx.transport, [{ ctx, report, batch: outbox.slice(i, i + PUSH_BATCH) }]);
    // Every record read was applied as sent, none merged or set aside, and nothing was saved
    // meanwhile: the outbox is empty, no need to read it again before saying so. (Anything else
    // is read again; a sync pushes once more after its pull in any case.)
    const allApplied =
      report.pushed - pushed === outbox.length &&
      report.merged === merged &&
      report.setAside.size === setAside;
    if (allApplied && saves !== undefined && ctx.saves?.() === saves) return;
  }
}

/** One engine's share of a push: its context, its report and the records it sends. */
export interface PushPart {
  ctx: EngineContext;
  report: SyncReport;
  batch: RecordState[];
}

/**
 * One push of several scopes' records (a move between the personal vault and a shared one is
 * a new record in one and a tombstone in the other): the server applies all of it in one
 * transaction, or refuses all of it; each part's answer is applied to its own store.
 */
export async function pushParts(transport: EngineContext['transport'], parts: PushPart[]) {
  const sent = await Promise.all(parts.map((p) => markSent(p.ctx, p.batch)));
  const items = parts.flatMap((p, i) =>
    [...sent[i]!].map(([id, e]) => ({
      id,
      baseVersion: e.baseVersion,
      deleted: e.deleted,
      ct: e.ct && toBase64url(e.ct),
      ...(p.ctx.vaultId ? { vaultId: p.ctx.vaultId } : {}),
    })),
  );
  if (items.length === 0) return;
  const answer = checkPushAnswer(
    await transport.push({ deviceId: parts[0]!.ctx.deviceId, items }),
    new Set(items.map((i) => i.id)),
  );
  for (const [i, p] of parts.entries()) {
    const mine = sent[i]!;
    const share = {
      applied: answer.applied.filter((a) => mine.has(a.id)),
      conflicts: answer.conflicts.filter((c) => mine.has(c.id)),
    };
    await p.ctx.locked(() => applyAnswer(p.ctx, p.report, mine, share));
  }
}

/**
 * Remembers what goes out, so a write whose answer is lost is recognised later; an edit still
 * sealed by a retired key (made before this device took up a new one) is sealed again first,
 * so nothing a retired key sealed ever reaches the server from here.
 */
function markSent(ctx: EngineContext, batch: RecordState[]) {
  return ctx.locked(async () => {
    const sent = new Map<string, PendingEdit>();
    const before = new Map<string, RecordState | undefined>();
    const put: RecordState[] = [];
    const currents = await ctx.store.getMany(batch.map((r) => r.id));
    // Checked for the whole batch at once (WebCrypto spreads the work over its threads).
    const retired = await Promise.all(
      currents.map((c) => (c?.pending ? ctx.codec.sealedByRetiredKey(c) : false)),
    );
    for (const [i, r] of batch.entries()) {
      const current = currents[i];
      if (!current?.pending || !samePending(current.pending, r.pending!)) continue;
      let pending = current.pending;
      if (retired[i]) {
        const body = await ctx.codec.pendingBody(r.id, pending);
        pending = await ctx.codec.makePending(r.id, pending.baseVersion, pending.rev, body);
      }
      sent.set(r.id, pending);
      // An earlier send on the same base whose answer never came stays the mark: only one of
      // the two can land at base + 1, and if it is this one, its copy is this very edit (the
      // merge has nothing to do). Overwriting it made a device conflict with its own landed
      // write after a lost answer and an edit. A save marks its edit when nothing is out (see
      // editOf), so usually there is nothing to write here.
      const mark = current.sent?.baseVersion === pending.baseVersion ? current.sent : null;
      if (mark && !retired[i]) continue;
      before.set(r.id, current);
      put.push({ ...current, pending, sent: mark ?? pending });
    }
    if (put.length) await ctx.commit({ put, before });
    return sent;
  });
}

async function applyAnswer(
  ctx: EngineContext,
  report: SyncReport,
  sent: Map<string, PendingEdit>,
  answer: { applied: Array<{ id: string; version: number; seq: number }>; conflicts: WireRecord[] },
) {
  const { store, codec } = ctx;
  const put: RecordState[] = [];
  const quarantine: QuarantineEntry[] = [];
  const cleared: string[] = [];
  const ids = [...answer.applied.map((a) => a.id), ...answer.conflicts.map((c) => c.id)];
  const states = await store.getMany(ids);
  const before = new Map(ids.map((id, i) => [id, states[i]]));
  for (const a of answer.applied) {
    const pushed = sent.get(a.id)!;
    if (a.version !== pushed.baseVersion + 1)
      throw new SyncError(
        'INVALID_RESPONSE',
        `Record ${a.id} applied at an unexpected version.`,
        a.id,
      );
    const current = before.get(a.id);
    const base = { ...pushed, version: a.version, seq: a.seq };
    const landed: RecordState = { id: a.id, base, pending: null, seen: seenOf(base), sent: null };
    // Edited again while the push was in flight: that edit now builds on the pushed one.
    // Deleted meanwhile (a new item, so it had left the store): the delete follows it.
    const newer = !current
      ? null
      : current.pending && !samePending(current.pending, pushed)
        ? current.pending
        : undefined;
    const state =
      newer === undefined
        ? landed
        : await editOf(
            ctx,
            a.id,
            landed,
            newer === null ? null : await codec.pendingBody(a.id, newer),
          );
    put.push(state);
    cleared.push(a.id);
    report.pushed++;
    report.changed.set(a.id, state);
  }
  for (const c of answer.conflicts) {
    const current = before.get(c.id);
    if (!current?.pending) continue;
    const state = await meetConflict(ctx, report, current, c, quarantine);
    if (!state) continue;
    put.push(state);
    report.merged++;
    report.changed.set(c.id, state);
  }
  await ctx.commit({
    put,
    before,
    quarantine: { put: quarantine, delete: cleared },
  });
}

/** A conflict copy, judged like a pulled one; null when it is set aside. */
async function meetConflict(
  ctx: EngineContext,
  report: SyncReport,
  r: RecordState,
  c: WireRecord,
  quarantine: QuarantineEntry[],
): Promise<RecordState | null> {
  // "No such record": the server says it has nothing (a compaction, a restore, or a lie). What
  // this device holds is written again as new.
  if (c.version === 0) return mergeWithServer(ctx, r, null);
  const opened = await ctx.codec.openServer(c);
  // Our own write, landed though its answer was lost, is believed as the copy we sent.
  const ours =
    opened.ok &&
    !!r.sent?.ct &&
    opened.copy.version === r.sent.baseVersion + 1 &&
    opened.tag === tagOf(r.sent.ct);
  const judgement = ours ? { kind: 'newer' as const } : judgeCopy(c, opened, r);
  switch (judgement.kind) {
    case 'newer':
      return mergeWithServer(ctx, r, opened.ok ? opened.copy : null);
    case 'same': {
      // The server holds exactly our base, at another version than the edit was built on (after
      // a write-back): nothing to send if the edit only wrote the base back; else it goes again,
      // sealed for that version.
      const [mine, base] = await Promise.all([
        ctx.codec.pendingBody(r.id, r.pending!),
        ctx.codec.bodyOf(r.id, r.base),
      ]);
      if (JSON.stringify(mine) === JSON.stringify(base)) return { ...r, pending: null, sent: null };
      return writeBack(ctx, r, c.version);
    }
    case 'stale':
      report.stale++;
      return writeBack(ctx, r, c.version);
    case 'refuse':
      quarantine.push({
        id: c.id,
        version: c.version,
        seq: c.seq,
        reason: judgement.reason,
        at: ctx.now(),
      });
      report.refused++;
      report.setAside.add(c.id);
      return null;
  }
}
