import { tracked } from '@trpc/server';
import { changesInput, pullInput, pushInput } from '../../../shared/protocol/sync.ts';
import type { ChangeSignal } from '../../services/change-hub.ts';
import { isSessionLive } from '../../services/sessions.ts';
import { headSeq, pullRouted, push } from '../../services/sync.ts';
import { authedProcedure, router } from '../init.ts';

/** A long-lived stream re-checks its session at least this often while events flow. */
const SESSION_RECHECK_MS = 60_000;

/** One event of the change feed: the user's head, each shared vault's, the sharing news count. */
interface ChangeEvent {
  seq: number;
  vaults: Record<string, number>;
  news?: number;
}

export const syncRouter = router({
  push: authedProcedure.input(pushInput).mutation(async ({ ctx, input }) => {
    const result = await ctx.pushQueue.run(ctx.session.userId, () =>
      push(ctx.db, ctx.session.userId, input),
    );
    ctx.metrics.pushes.inc();
    ctx.metrics.pushedItems.inc(result.applied.length);
    ctx.metrics.conflicts.inc(result.conflicts.length);
    return result;
  }),

  pull: authedProcedure
    .input(pullInput)
    .query(({ ctx, input }) =>
      pullRouted(ctx.db, ctx.database.readDb, ctx.session.userId, input, (from) =>
        ctx.metrics.pullReads.inc({ from }),
      ),
    ),

  /**
   * Yields the user's head seq and each shared vault's head (`vaults`: id → seq): at once on
   * connect (so nothing is missed between a pull and a subscribe), then after each commit on
   * any instance, and when the user's vaults change (joined, left, removed: a vault gone from
   * `vaults` is one the user lost). Ends when the session is revoked or the server shuts down.
   */
  changes: authedProcedure.input(changesInput).subscription(async function* ({ ctx, signal }) {
    const { userId, sessionId } = ctx.session;
    // The stream runs after the procedure's own scope ended: each look at the database acts
    // for this account on its own (row-level security).
    const asMe = <T>(fn: () => Promise<T>) => ctx.database.asUser(userId, fn);
    const stop = AbortSignal.any([ctx.shutdown, ...(signal ? [signal] : [])]);
    const queue: Array<{ from: string; signal: ChangeSignal }> = [];
    let wake: (() => void) | undefined;
    const listeners = new Map<string, () => void>();
    const listen = (key: string) => {
      if (listeners.has(key)) return;
      listeners.set(
        key,
        ctx.hub.subscribe(key, (s) => {
          queue.push({ from: key, signal: s });
          wake?.();
        }),
      );
    };
    listen(userId);
    const onAbort = () => wake?.();
    stop.addEventListener('abort', onAbort);
    ctx.metrics.subscriptions.inc();
    try {
      const loadVaults = async () => {
        const list = await asMe(() => ctx.sharing.listVaults(userId));
        const heads: Record<string, number> = {};
        for (const v of list) {
          heads[v.vaultId] = v.seq;
          listen(v.vaultId);
        }
        for (const [key, off] of listeners)
          if (key !== userId && !(key in heads)) {
            off();
            listeners.delete(key);
          }
        return heads;
      };
      let last = await asMe(() => headSeq(ctx.db, userId));
      let vaults = await loadVaults();
      let checkedAt = Date.now();
      /** How many sharing signals this subscription told (0: the field is left out). */
      let news = 0;
      const event = (): ChangeEvent => ({ seq: last, vaults, ...(news ? { news } : {}) });
      yield tracked(String(last), event());
      while (!stop.aborted) {
        const next = queue.shift();
        if (!next) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
          continue;
        }
        const s = next.signal;
        if (s.kind === 'recheck' || Date.now() - checkedAt > SESSION_RECHECK_MS) {
          if (!(await asMe(() => isSessionLive(ctx.db, ctx.sessionPolicy, sessionId)))) return;
          checkedAt = Date.now();
        }
        let moved = false;
        if (next.from === userId) {
          const seq = s.kind === 'head' ? s.seq : await asMe(() => headSeq(ctx.db, userId));
          if (seq > last) {
            last = seq;
            moved = true;
          }
        }
        if (s.kind === 'vaults') {
          // Sharing news (an invitation, an answer, a membership change): always told, with
          // `news` counting them, so devices look at invitations and vaults again.
          vaults = await loadVaults();
          news++;
          moved = true;
        } else if (s.kind === 'recheck') {
          const fresh = await loadVaults();
          moved ||= JSON.stringify(fresh) !== JSON.stringify(vaults);
          vaults = fresh;
        } else if (next.from !== userId && s.kind === 'head' && next.from in vaults) {
          if (s.seq > (vaults[next.from] ?? 0)) {
            vaults = { ...vaults, [next.from]: s.seq };
            moved = true;
          }
        }
        if (moved) yield tracked(String(last), event());
      }
    } finally {
      for (const off of listeners.values()) off();
      stop.removeEventListener('abort', onAbort);
      ctx.metrics.subscriptions.dec();
    }
  }),
});
