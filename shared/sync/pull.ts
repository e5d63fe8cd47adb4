// Pull: pages by cursor, each checked for shape before anything is opened, its records opened in
// parallel while the previous page is written, then judged (judge-copy.ts) under the lock: a
// newer copy is believed, an older one answered with ours, one that fails its check set aside.
// A page is one commit with its cursor, so a crash loses nothing and repeats nothing.

import { toBase64url } from '../crypto/bytes.ts';
import { said } from '../i18n-msg.ts';
import type { WireRecord } from '../protocol/sync.ts';
import { acceptCopy, writeBack } from './apply-copy.ts';
import { checkPage } from './check-answer.ts';
import { judgeCheckpoint } from './checkpoint.ts';
import type { EngineContext } from './engine-context.ts';
import { SyncError } from './errors.ts';
import { judgeCopy } from './judge-copy.ts';
import type { CheckpointState, QuarantineEntry, RecordState } from './ports.ts';
import type { OpenedCopy } from './record-codec.ts';
import { afterReset } from './reset.ts';
import type { SyncReport } from './sync-report.ts';

/** More copies than this failing their check in one sync stop it (bounded work per sync). */
export const MAX_REFUSED_PER_SYNC = 1_000;

/** Pulls from the stored cursor, or from `from` (a recheck of everything: engine.ts). */
export async function pullChanges(ctx: EngineContext, report: SyncReport, from?: number) {
  const { store, transport, pageSize, locked } = ctx;
  let cursor = from ?? (await store.cursor());
  const listed = new Set<string>();
  // The next page is requested as soon as this one's cursor is known, so the network overlaps
  // this page's decryption and store write. A request no one awaits any more (this page
  // failed) must not become an unhandled rejection.
  const request = (from: number) => {
    const answer = transport.pull({
      cursor: from,
      limit: pageSize,
      ...(ctx.vaultId ? { vaultId: ctx.vaultId } : {}),
    });
    answer.catch(() => {});
    return { from, answer };
  };
  let next = request(cursor);
  // A first sync into an empty store: a record is in the store only if this pull wrote it
  // (listed in an earlier page) or a local save came since, so the others are not read back (at
  // 100,000 items, 100,000 reads of nothing). Every write goes through this engine's lock.
  const saves = ctx.saves;
  const isEmpty = store.isEmpty?.bind(store);
  let savesAtStart: number | undefined;
  const fresh =
    from === undefined &&
    cursor === 0 &&
    !!saves &&
    !!isEmpty &&
    (await locked(() => {
      savesAtStart = saves();
      return isEmpty();
    }));
  /** Whether a record not listed by an earlier page may be in the store (asked under the lock). */
  const mayBeStored = () => !fresh || report.reset || ctx.saves?.() !== savesAtStart;
  /** The previous page's write: pages are written in order, one at a time. */
  let writing: Promise<void> = Promise.resolve();
  for (;;) {
    const page = checkPage(await next.answer, next.from, pageSize);
    if (page.reset) {
      if (report.reset) throw new SyncError('INVALID_RESPONSE', 'The server asked to reset twice.');
      await writing;
      report.reset = true;
      cursor = 0;
      next = request(cursor);
      continue;
    }
    if (page.hasMore) next = request(page.cursor);
    /** Ids an earlier page of this pull wrote (or set aside): they are read back. */
    const again = new Set(page.items.filter((r) => listed.has(r.id)).map((r) => r.id));
    for (const r of page.items) listed.add(r.id);
    // What this sync's push just wrote comes back exactly as written: not opened again.
    const opened = await Promise.all(
      page.items.map((r) => (isEcho(r, report.changed.get(r.id)) ? null : ctx.codec.openServer(r))),
    );
    const pageCursor = page.cursor;
    await writing;
    writing = locked(() =>
      applyPage(
        ctx,
        report,
        page.items,
        opened,
        pageCursor,
        (id) => again.has(id) || mayBeStored(),
      ),
    );
    // Awaited at the next page or below; until then a failure must not go unhandled.
    writing.catch(() => {});
    cursor = pageCursor;
    if (!page.hasMore) break;
  }
  await writing;
  if (report.reset) await locked(() => afterReset(ctx, report, listed));
}

/** A pulled record that is exactly the state our push left: nothing to open or write. */
function isEcho(r: WireRecord, state: RecordState | null | undefined) {
  const base = state?.base;
  return (
    !!base &&
    !state.pending &&
    base.version === r.version &&
    base.deleted === r.deleted &&
    (base.ct === null ? r.ct === null : r.ct !== null && toBase64url(base.ct) === r.ct)
  );
}

async function applyPage(
  ctx: EngineContext,
  report: SyncReport,
  items: WireRecord[],
  opened: Array<OpenedCopy | null>,
  cursor: number,
  /** Whether the store may hold this record (false: it does not, no need to read it). */
  mayHold: (id: string) => boolean,
) {
  const toRead = items.filter((r, i) => opened[i] !== null && mayHold(r.id));
  const states = toRead.length ? await ctx.store.getMany(toRead.map((r) => r.id)) : [];
  const before = new Map(toRead.map((r, i) => [r.id, states[i]]));
  const meta = await ctx.meta();
  const checkpoints: Record<string, CheckpointState> = {};
  const put: RecordState[] = [];
  const quarantine: QuarantineEntry[] = [];
  const cleared: string[] = [];
  const refuse = (r: WireRecord, reason: QuarantineEntry['reason']) => {
    quarantine.push({ id: r.id, version: r.version, seq: r.seq, reason, at: ctx.now() });
    report.refused++;
  };
  for (const [i, r] of items.entries()) {
    report.pulled++;
    const o = opened[i];
    if (!o) continue;
    const state = before.get(r.id);
    const knownCheckpoint = checkpoints[r.id] ?? meta.checkpoints[r.id];
    // A record keeps its kind: an item never becomes a checkpoint, nor the reverse.
    if ((o.ok && o.opened.kind === 'checkpoint') || (!o.ok && knownCheckpoint && !state)) {
      if (state) {
        refuse(r, 'INVALID_ITEM');
        continue;
      }
      const verdict = judgeCheckpoint(knownCheckpoint, r, o);
      if (verdict.kind === 'refuse') refuse(r, verdict.reason);
      else if (verdict.kind === 'stale') report.stale++;
      else if (verdict.kind === 'newer') {
        checkpoints[r.id] = { ...verdict.state, generation: ctx.keyGeneration };
        cleared.push(r.id);
      }
      continue;
    }
    if (knownCheckpoint && !state) {
      refuse(r, 'INVALID_ITEM');
      continue;
    }
    const judgement = judgeCopy(r, o, state);
    if (judgement.kind === 'refuse') {
      refuse(r, judgement.reason);
      continue;
    }
    if (judgement.kind === 'same' || !o.ok) continue;
    const next =
      judgement.kind === 'newer'
        ? acceptCopy(state, r.id, o.copy)
        : await writeBack(ctx, state!, r.version);
    if (judgement.kind === 'stale') report.stale++;
    else cleared.push(r.id);
    put.push(next);
    report.changed.set(r.id, next);
  }
  await ctx.commit({
    put,
    before,
    cursor,
    quarantine: { put: quarantine, delete: cleared },
    updateMeta: (m) =>
      Object.keys(checkpoints).length
        ? { ...m, checkpoints: { ...m.checkpoints, ...checkpoints } }
        : m,
  });
  ctx.onProgress?.(report);
  if (report.refused > MAX_REFUSED_PER_SYNC)
    throw new SyncError(
      'TOO_MANY_REFUSED',
      said('Records the server sent that failed their check, set aside: {n}.', {
        n: report.refused,
      }),
    );
}
