import {
  changePasswordInput,
  completeLoginInput,
  loginInput,
  preloginInput,
  registerInput,
  rotateKeyInput,
  secondFactorOptionsInput,
} from '../../../shared/protocol/account.ts';
import { emptyInput } from '../../../shared/protocol/common.ts';
import { userByEmail } from '../../services/acting-for.ts';
import { afterSignIn } from '../../services/alerts.ts';
import { listAudit, recordAudit } from '../../services/audit.ts';
import { revokeSession } from '../../services/sessions.ts';
import { limitPerIp } from '../../services/throttle.ts';
import { actingFor, authedProcedure, publicProcedure, router } from '../init.ts';

export const accountRouter = router({
  prelogin: publicProcedure
    .input(preloginInput)
    .query(async ({ ctx, input }) =>
      actingFor(ctx, await userByEmail(ctx.db, input.email), () =>
        ctx.accounts.prelogin(input.email),
      ),
    ),
  /** Who may sign up here (an addition to protocol v1): what the sign-up form must ask for. */
  signupPolicy: publicProcedure.input(emptyInput).query(({ ctx }) => ctx.signups.describe(ctx.db)),
  register: publicProcedure.input(registerInput).mutation(async ({ ctx, input }) => {
    // Before the Argon2id run: a sign-up is work anyone can ask for.
    await limitPerIp(ctx.db, ctx.ip, 'signup', ctx.limits.signupsPerIp);
    // Acting for the account it makes (its id is the client's): nothing else is visible.
    return actingFor(ctx, input.userId, () => ctx.accounts.register(input, ctx.ip));
  }),
  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const userId = await userByEmail(ctx.db, input.email);
    const answer = await actingFor(ctx, userId, () => ctx.accounts.login(input, ctx));
    return afterSignIn(ctx, answer, input.device);
  }),
  /** The WebAuthn challenge for a sign-in's second step (an addition to protocol v1). */
  secondFactorOptions: publicProcedure
    .input(secondFactorOptionsInput)
    .mutation(async ({ ctx, input }) => {
      await limitPerIp(ctx.db, ctx.ip, 'passkey-challenge', ctx.limits.passkeyChallengesPerIp);
      const userId = await ctx.twoFactor.userOfTicket(input.ticket);
      return actingFor(ctx, userId, () => ctx.accounts.secondFactorOptions(input.ticket, ctx));
    }),
  /** The second step of a sign-in (an addition to protocol v1): a code, a key or a recovery code. */
  completeLogin: publicProcedure.input(completeLoginInput).mutation(async ({ ctx, input }) => {
    const userId = await ctx.twoFactor.userOfTicket(input.ticket);
    const { answer, device } = await actingFor(ctx, userId, () =>
      ctx.accounts.completeLogin(input, ctx),
    );
    return afterSignIn(ctx, answer, device);
  }),
  logout: authedProcedure.input(emptyInput).mutation(async ({ ctx }) => {
    await revokeSession(ctx.db, ctx.session.userId, ctx.session.sessionId);
    await recordAudit(ctx.db, {
      kind: 'logout',
      userId: ctx.session.userId,
      ip: ctx.ip,
      deviceId: ctx.session.deviceId,
    });
    await ctx.hub.revoked(ctx.db, ctx.session.userId);
    return {};
  }),
  me: authedProcedure.input(emptyInput).query(({ ctx }) => ctx.accounts.me(ctx.session.userId)),
  changePassword: authedProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    await ctx.accounts.changePassword(input, ctx.session, ctx.ip);
    await ctx.hub.revoked(ctx.db, ctx.session.userId);
    return {};
  }),
  /** A new account key (an addition to protocol v1); see Accounts.rotateKey. */
  rotateKey: authedProcedure.input(rotateKeyInput).mutation(async ({ ctx, input }) => {
    await ctx.accounts.rotateKey(input, ctx.session, ctx.ip);
    await ctx.hub.revoked(ctx.db, ctx.session.userId);
    return {};
  }),
  /**
   * The password-wrapped account key and its KDF parameters (an addition to protocol v1): a
   * device signed in with a passkey needs them to unlock with the master password offline.
   */
  keys: authedProcedure.input(emptyInput).query(({ ctx }) => ctx.accounts.keys(ctx.session.userId)),
  /** The account's recent security events, newest first (an addition to protocol v1). */
  auditLog: authedProcedure
    .input(emptyInput)
    .query(({ ctx }) => listAudit(ctx.db, ctx.session.userId)),
});
