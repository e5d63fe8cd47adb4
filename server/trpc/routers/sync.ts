import { tracked } from '@trpc/server';
import { changesInput, pullInput, pushInput } from '../../../shared/protocol/sync.ts';
import type { ChangeSignal } from '../../services/change-hub.ts';
import { isSessionLive } from '../../services/sessions.ts';
import { headSeq, pull, push } from '../../services/sync.ts';
import { authedProcedure, router } from '../init.ts';

/** A long-lived stream re-checks its session at least this often while events flow. */
const SESSION_RECHECK_MS = 60_000;

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
    .query(({ ctx, input }) => pull(ctx.db, ctx.session.userId, input)),

  /**
   * Yields the user's head seq: at once on connect (so nothing is missed between a pull and a
   * subscribe), then after each commit on any instance. Ends when the session is revoked or
   * the server shuts down.
   */
  changes: authedProcedure.input(changesInput).subscription(async function* ({ ctx, signal }) {
    const { userId, sessionId } = ctx.session;
    const stop = AbortSignal.any([ctx.shutdown, ...(signal ? [signal] : [])]);
    const queue: ChangeSignal[] = [];
    let wake: (() => void) | undefined;
    const unsubscribe = ctx.hub.subscribe(userId, (s) => {
      queue.push(s);
      wake?.();
    });
    const onAbort = () => wake?.();
    stop.addEventListener('abort', onAbort);
    ctx.metrics.subscriptions.inc();
    try {
      let last = await headSeq(ctx.db, userId);
      let checkedAt = Date.now();
      yield tracked(String(last), { seq: last });
      while (!stop.aborted) {
        const next = queue.shift();
        if (!next) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
          continue;
        }
        if (next.kind === 'recheck' || Date.now() - checkedAt > SESSION_RECHECK_MS) {
          if (!(await isSessionLive(ctx.db, ctx.sessionPolicy, sessionId))) return;
          checkedAt = Date.now();
        }
        const seq = next.kind === 'head' ? next.seq : await headSeq(ctx.db, userId);
        if (seq > last) {
          last = seq;
          yield tracked(String(seq), { seq });
        }
      }
    } finally {
      unsubscribe();
      stop.removeEventListener('abort', onAbort);
      ctx.metrics.subscriptions.dec();
    }
  }),
});
