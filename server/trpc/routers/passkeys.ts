import { emptyInput } from '../../../shared/protocol/common.ts';
import {
  passkeyLoginInput,
  passkeyLoginOptionsInput,
  passkeyRegisterInput,
  passkeyRemoveInput,
  registrationOptionsInput,
} from '../../../shared/protocol/passkeys.ts';
import { userByCredential, userByEmail } from '../../services/acting-for.ts';
import { afterSignIn } from '../../services/alerts.ts';
import { limitPerIp } from '../../services/throttle.ts';
import { actingFor, authedProcedure, publicProcedure, router } from '../init.ts';

export const passkeysRouter = router({
  registrationOptions: authedProcedure
    .input(registrationOptionsInput)
    .mutation(({ ctx, input }) =>
      ctx.passkeys.registrationOptions(ctx.session.userId, ctx, !!input?.secondFactor),
    ),
  register: authedProcedure.input(passkeyRegisterInput).mutation(async ({ ctx, input }) => {
    const out: { id: string; recoveryCodes?: string[] } = await ctx.passkeys.register(
      input,
      ctx.session,
      ctx,
    );
    if (!input.secondFactor) return out;
    // A security key for the second step: the first factor answers ten recovery codes.
    const { recoveryCodes } = await ctx.twoFactor.keyAdded(ctx.session, out.id, ctx.ip);
    await ctx.hub.revoked(ctx.db, ctx.session.userId);
    return { ...out, ...(recoveryCodes ? { recoveryCodes } : {}) };
  }),
  list: authedProcedure.input(emptyInput).query(({ ctx }) => ctx.passkeys.list(ctx.session.userId)),
  remove: authedProcedure
    .input(passkeyRemoveInput)
    .mutation(({ ctx, input }) => ctx.passkeys.remove(input.id, ctx.session, ctx.ip)),
  loginOptions: publicProcedure.input(passkeyLoginOptionsInput).mutation(async ({ ctx, input }) => {
    // Each call stores a challenge row: capped per client IP.
    await limitPerIp(ctx.db, ctx.ip, 'passkey-challenge', ctx.limits.passkeyChallengesPerIp);
    const email = input?.email;
    const userId = email ? await userByEmail(ctx.db, email) : null;
    return actingFor(ctx, userId, () => ctx.passkeys.loginOptions(email, ctx));
  }),
  login: publicProcedure.input(passkeyLoginInput).mutation(async ({ ctx, input }) => {
    const userId = await userByCredential(ctx.db, input.response.id);
    const answer = await actingFor(ctx, userId, () => ctx.passkeys.login(input, ctx));
    return afterSignIn(ctx, answer, input.device);
  }),
});
