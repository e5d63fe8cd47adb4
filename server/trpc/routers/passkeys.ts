import { emptyInput } from '../../../shared/protocol/common.ts';
import {
  passkeyLoginInput,
  passkeyLoginOptionsInput,
  passkeyRegisterInput,
  passkeyRemoveInput,
} from '../../../shared/protocol/passkeys.ts';
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
  loginOptions: publicProcedure
    .input(passkeyLoginOptionsInput)
    .mutation(({ ctx, input }) => ctx.passkeys.loginOptions(input?.email, ctx)),
  login: publicProcedure
    .input(passkeyLoginInput)
    .mutation(({ ctx, input }) => ctx.passkeys.login(input, ctx)),
});
