import { z } from 'zod';
import { emptyInput, uuidSchema } from '../../../shared/protocol/common.ts';
import { recordAudit } from '../../services/audit.ts';
import { listSessions, revokeOtherSessions, revokeSession } from '../../services/sessions.ts';
import { authedProcedure, router } from '../init.ts';

export const sessionsRouter = router({
  list: authedProcedure
    .input(emptyInput)
    .query(({ ctx }) => listSessions(ctx.db, ctx.sessionPolicy, ctx.session)),
  revoke: authedProcedure
    .input(z.strictObject({ id: uuidSchema }))
    .mutation(async ({ ctx, input }) => {
      await revokeSession(ctx.db, ctx.session.userId, input.id);
      await recordAudit(ctx.db, {
        kind: 'session.revoked',
        userId: ctx.session.userId,
        ip: ctx.ip,
        deviceId: ctx.session.deviceId,
        detail: { sessionId: input.id },
      });
      await ctx.hub.revoked(ctx.db, ctx.session.userId);
      return {};
    }),
  revokeOthers: authedProcedure.input(emptyInput).mutation(async ({ ctx }) => {
    const revoked = await revokeOtherSessions(ctx.db, ctx.session);
    await recordAudit(ctx.db, {
      kind: 'sessions.revoked_others',
      userId: ctx.session.userId,
      ip: ctx.ip,
      deviceId: ctx.session.deviceId,
      detail: { count: revoked },
    });
    await ctx.hub.revoked(ctx.db, ctx.session.userId);
    return { revoked };
  }),
});
