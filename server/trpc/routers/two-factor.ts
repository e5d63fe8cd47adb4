// twoFactor.*: the account's second factors and remembered browsers (an addition to protocol v1;
// see services/two-factor.ts). Whatever turns two-step sign-in on or off asks for the master
// password again.
import { emptyInput } from '../../../shared/protocol/common.ts';
import {
  forgetDeviceInput,
  removeKeyInput,
  totpConfirmInput,
  withPasswordInput,
} from '../../../shared/protocol/two-factor.ts';
import { authedProcedure, router } from '../init.ts';

export const twoFactorRouter = router({
  status: authedProcedure.input(emptyInput).query(({ ctx }) => ctx.twoFactor.status(ctx.session)),
  /** A new authenticator-app secret (and its otpauth:// URI for the QR code), not yet in use. */
  totpBegin: authedProcedure
    .input(withPasswordInput)
    .mutation(({ ctx, input }) => ctx.twoFactor.totpBegin(ctx.session, input.authKey, ctx.ip)),
  /** A code from the new secret puts it in use; the first factor answers ten recovery codes. */
  totpConfirm: authedProcedure.input(totpConfirmInput).mutation(async ({ ctx, input }) => {
    const out = await ctx.twoFactor.totpConfirm(ctx.session, input.code, ctx.ip);
    // A session kept to setting a factor up (REQUIRE_2FA) is whole now, on every instance.
    await ctx.hub.revoked(ctx.db, ctx.session.userId);
    return out;
  }),
  totpRemove: authedProcedure
    .input(withPasswordInput)
    .mutation(({ ctx, input }) => ctx.twoFactor.totpRemove(ctx.session, input.authKey, ctx.ip)),
  removeKey: authedProcedure
    .input(removeKeyInput)
    .mutation(({ ctx, input }) =>
      ctx.twoFactor.removeKey(ctx.session, input.id, input.authKey, ctx.ip),
    ),
  recoveryCodes: authedProcedure
    .input(withPasswordInput)
    .mutation(({ ctx, input }) =>
      ctx.twoFactor.regenerateRecoveryCodes(ctx.session, input.authKey, ctx.ip),
    ),
  forgetDevice: authedProcedure
    .input(forgetDeviceInput)
    .mutation(({ ctx, input }) => ctx.twoFactor.forgetDevice(ctx.session, input.id, ctx.ip)),
  forgetAllDevices: authedProcedure
    .input(emptyInput)
    .mutation(({ ctx }) => ctx.twoFactor.forgetAllDevices(ctx.session, ctx.ip)),
});
