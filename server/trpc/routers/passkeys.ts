import { emptyInput } from '../../../shared/protocol/common.ts';
import {
  passkeyLoginInput,
  passkeyLoginOptionsInput,
  passkeyRegisterInput,
  passkeyRemoveInput,
} from '../../../shared/protocol/passkeys.ts';
import { afterSignIn } from '../../services/alerts.ts';
import { limitPerIp } from '../../services/throttle.ts';
import { authedProcedure, publicProcedure, router } from '../init.ts';

export const passkeysRouter = router({
  registrationOptions: authedProcedure
    .input(emptyInput)
    .mutation(({ ctx }) => ctx.passkeys.registrationOptions(ctx.session.userId, ctx)),
  register: authedProcedure
    .input(passkeyRegisterInput)
    .mutation(({ ctx, input }) => ctx.passkeys.register(input, ctx.session, ctx)),
  list: authedProcedure.input(emptyInput).query(({ ctx }) => ctx.passkeys.list(ctx.session.userId)),
  remove: authedProcedure
    .input(passkeyRemoveInput)
    .mutation(({ ctx, input }) => ctx.passkeys.remove(input.id, ctx.session, ctx.ip)),
  loginOptions: publicProcedure.input(passkeyLoginOptionsInput).mutation(async ({ ctx, input }) => {
    // Each call stores a challenge row: capped per client IP.
    await limitPerIp(ctx.db, ctx.ip, 'passkey-challenge', ctx.limits.passkeyChallengesPerIp);
    return ctx.passkeys.loginOptions(input?.email, ctx);
  }),
  login: publicProcedure
    .input(passkeyLoginInput)
    .mutation(async ({ ctx, input }) =>
      afterSignIn(ctx, await ctx.passkeys.login(input, ctx), input.device),
    ),
});
