// recovery.*: recovery kits (an addition to protocol v1). See services/recovery.ts.
import { emptyInput } from '../../../shared/protocol/common.ts';
import { createKitInput, recoverInput } from '../../../shared/protocol/recovery.ts';
import { authedProcedure, publicProcedure, router } from '../init.ts';

export const recoveryRouter = router({
  create: authedProcedure
    .input(createKitInput)
    .mutation(({ ctx, input }) => ctx.recovery.create(input, ctx.session, ctx.ip)),
  list: authedProcedure.input(emptyInput).query(({ ctx }) => ctx.recovery.list(ctx.session.userId)),
  /** Regains an account with a kit: a new master password, every other session ended. */
  recover: publicProcedure.input(recoverInput).mutation(async ({ ctx, input }) => {
    const out = await ctx.recovery.recover(input, ctx.ip);
    await ctx.hub.revoked(ctx.db, out.userId);
    return out;
  }),
});
