import { z } from 'zod';
import {
  base64url,
  deviceSchema,
  emptyInput,
  uuidSchema,
} from '../../../shared/protocol/common.ts';
import { recordAudit } from '../../services/audit.ts';
import { fromB64, toB64 } from '../../services/bytes.ts';
import {
  listSessions,
  removalOf,
  renameDevice,
  revokeOtherSessions,
  revokeSession,
} from '../../services/sessions.ts';
import { actingFor, authedProcedure, publicProcedure, router } from '../init.ts';

export const sessionsRouter = router({
  list: authedProcedure
    .input(emptyInput)
    .query(({ ctx }) => listSessions(ctx.db, ctx.sessionPolicy, ctx.session)),
  revoke: authedProcedure
    .input(
      z.strictObject({
        id: uuidSchema,
        /** Addition to v1: the revoking device's sealed order to erase the other one. */
        removalProof: base64url({ minBytes: 28, maxBytes: 512 }).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const proof = input.removalProof ? fromB64(input.removalProof) : undefined;
      const { deviceId, removed } = await revokeSession(
        ctx.db,
        ctx.session.userId,
        input.id,
        proof,
      );
      await recordAudit(ctx.db, {
        kind: removed ? 'device.removed' : 'session.revoked',
        userId: ctx.session.userId,
        ip: ctx.ip,
        deviceId: ctx.session.deviceId,
        detail: { sessionId: input.id, ...(removed ? { removedDevice: deviceId } : {}) },
      });
      await ctx.hub.revoked(ctx.db, ctx.session.userId);
      return {};
    }),
  /** Addition to v1: the name this device is shown by in the account's device list. */
  renameDevice: authedProcedure
    .input(z.strictObject({ name: deviceSchema.shape.name }))
    .mutation(async ({ ctx, input }) => {
      await renameDevice(ctx.db, ctx.session.userId, ctx.session.deviceId, input.name);
      return {};
    }),
  /**
   * Addition to v1: asked by a device whose session was refused, so it can tell "removed by
   * my owner" (erase) from "signed out" (sign in again). Says nothing without a removal; the
   * proof is opaque to the server and opens only with the account key.
   */
  removal: publicProcedure
    .input(z.strictObject({ userId: uuidSchema, deviceId: uuidSchema }))
    .query(async ({ ctx, input }) => {
      // Asked by a device the server no longer lets in: it names its own account, and reads
      // only its device's removal order (which only that account's key can open).
      const r = await actingFor(ctx, input.userId, () =>
        removalOf(ctx.db, input.userId, input.deviceId),
      );
      return r ? { at: r.at, removalProof: toB64(r.proof) } : { at: null, removalProof: null };
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
