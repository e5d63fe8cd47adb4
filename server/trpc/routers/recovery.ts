// recovery.*: recovery kits (an addition to protocol v1). See services/recovery.ts.
import { emptyInput } from '../../../shared/protocol/common.ts';
import { checkKitInput, createKitInput, recoverInput } from '../../../shared/protocol/recovery.ts';
import { userByEmail } from '../../services/acting-for.ts';
import { afterSignIn } from '../../services/alerts.ts';
import { actingFor, authedProcedure, publicProcedure, router } from '../init.ts';

export const recoveryRouter = router({
  create: authedProcedure
    .input(createKitInput)
    .mutation(({ ctx, input }) => ctx.recovery.create(input, ctx.session, ctx.ip)),
  list: authedProcedure.input(emptyInput).query(({ ctx }) => ctx.recovery.list(ctx.session.userId)),
  /** Proves a kit and tells the account key's generation the new wrap must name (a mutation: the
   * proof never goes in a URL). */
  check: publicProcedure.input(checkKitInput).mutation(async ({ ctx, input }) => {
    const userId = await userByEmail(ctx.db, input.email);
    const row = await actingFor(ctx, userId, () => ctx.recovery.check(input, ctx.ip));
    return { generation: row.generation };
  }),
  /** Regains an account with a kit: a new master password, every other session ended. */
  recover: publicProcedure.input(recoverInput).mutation(async ({ ctx, input }) => {
    const userId = await userByEmail(ctx.db, input.email);
    const out = await actingFor(ctx, userId, () => ctx.recovery.recover(input, ctx.ip));
    await ctx.hub.revoked(ctx.db, out.userId);
    return afterSignIn(ctx, out, input.device);
  }),
});
