// identity.*, vaults.*, invitations.*: sharing (additions to protocol v1; README lists them).
// The rules are in services/sharing.ts; this file only wires inputs to them.
import { emptyInput } from '../../../shared/protocol/common.ts';
import {
  createVaultInput,
  grantInput,
  identityOfInput,
  invitationIdInput,
  inviteInput,
  memberInput,
  publishIdentityInput,
  respondInput,
  rotateInput,
  vaultIdInput,
} from '../../../shared/protocol/sharing.ts';
import { authedProcedure, router } from '../init.ts';

export const identityRouter = router({
  publish: authedProcedure
    .input(publishIdentityInput)
    .mutation(({ ctx, input }) => ctx.sharing.publishIdentity(input, ctx.session, ctx.ip)),
  mine: authedProcedure
    .input(emptyInput)
    .query(({ ctx }) => ctx.sharing.ownIdentity(ctx.session.userId)),
  of: authedProcedure
    .input(identityOfInput)
    .query(({ ctx, input }) => ctx.sharing.identityOf(ctx.session.userId, input.userId)),
});

export const vaultsRouter = router({
  create: authedProcedure
    .input(createVaultInput)
    .mutation(({ ctx, input }) => ctx.sharing.createVault(input, ctx.session, ctx.ip)),
  list: authedProcedure
    .input(emptyInput)
    .query(({ ctx }) => ctx.sharing.listVaults(ctx.session.userId)),
  state: authedProcedure
    .input(vaultIdInput)
    .query(({ ctx, input }) => ctx.sharing.vaultState(ctx.session.userId, input.vaultId)),
  grant: authedProcedure
    .input(grantInput.extend(vaultIdInput.shape))
    .mutation(({ ctx, input }) => ctx.sharing.grant(input, ctx.session, ctx.ip)),
  remove: authedProcedure
    .input(memberInput)
    .mutation(({ ctx, input }) => ctx.sharing.removeMember(input, ctx.session, ctx.ip)),
  rotate: authedProcedure
    .input(rotateInput)
    .mutation(({ ctx, input }) => ctx.sharing.rotate(input, ctx.session, ctx.ip)),
  delete: authedProcedure
    .input(vaultIdInput)
    .mutation(({ ctx, input }) => ctx.sharing.deleteVault(input, ctx.session, ctx.ip)),
  invitations: authedProcedure
    .input(vaultIdInput)
    .query(({ ctx, input }) => ctx.sharing.sentInvitations(ctx.session.userId, input.vaultId)),
});

export const invitationsRouter = router({
  create: authedProcedure.input(inviteInput).mutation(async ({ ctx, input }) => {
    const sent = await ctx.sharing.invite(input, ctx.session, ctx.ip);
    if (!ctx.mailer) return sent;
    // Mailed whether or not the email has an account (the same mail either way), after the
    // answer: a slow mail server does not hold the inviter.
    const me = await ctx.accounts.me(ctx.session.userId);
    void ctx.mailer
      .invitation({
        to: input.email,
        code: sent.signupCode ?? null,
        expiresAt: sent.signupCodeExpiresAt ?? null,
        from: me.email,
      })
      .catch(() => {});
    return { ...sent, mailed: true };
  }),
  received: authedProcedure
    .input(emptyInput)
    .query(({ ctx }) => ctx.sharing.receivedInvitations(ctx.session.userId)),
  respond: authedProcedure
    .input(respondInput)
    .mutation(({ ctx, input }) => ctx.sharing.respond(input, ctx.session, ctx.ip)),
  cancel: authedProcedure
    .input(invitationIdInput)
    .mutation(({ ctx, input }) => ctx.sharing.cancelInvitation(input, ctx.session, ctx.ip)),
});
