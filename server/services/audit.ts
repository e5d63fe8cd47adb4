// Security audit log: who did what, from where. Never holds tokens, keys or ciphertexts.
import { desc, eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.ts';
import { auditEvents } from '../db/schema.ts';

export type AuditKind =
  | 'account.registered'
  | 'login.succeeded'
  | 'login.failed'
  | 'login.throttled'
  | 'logout'
  | 'password.changed'
  | 'account-key.rotated'
  | 'recovery-kit.created'
  | 'recovery.failed'
  | 'account.recovered'
  | 'passkey.added'
  | 'passkey.removed'
  | 'passkey.login.succeeded'
  | 'passkey.login.failed'
  | 'session.revoked'
  | 'device.removed'
  | 'sessions.revoked_others'
  | 'identity.published'
  | 'vault.created'
  | 'vault.deleted'
  | 'vault.invited'
  | 'vault.invitation.accepted'
  | 'vault.invitation.declined'
  | 'vault.invitation.cancelled'
  | 'vault.member.added'
  | 'vault.role.changed'
  | 'vault.member.removed'
  | 'vault.left'
  | 'vault.key.rotated'
  | 'backup.created'
  | 'second-factor.added'
  | 'second-factor.removed'
  | 'second-factor.failed'
  | 'login.second-step'
  | 'recovery-codes.created'
  | 'remembered-device.forgotten'
  | 'admin.users.listed'
  | 'admin.user.shown'
  | 'admin.user.disabled'
  | 'admin.user.enabled'
  | 'admin.user.deleted'
  | 'admin.user.invited'
  | 'admin.user.sessions.revoked'
  | 'admin.status';

export interface AuditEvent {
  kind: AuditKind;
  userId?: string | null;
  ip?: string | null;
  deviceId?: string | null;
  detail?: Record<string, string | number | boolean>;
}

export async function recordAudit(db: Db | Tx, event: AuditEvent): Promise<void> {
  await db.insert(auditEvents).values({
    kind: event.kind,
    userId: event.userId ?? null,
    ip: event.ip ?? null,
    deviceId: event.deviceId ?? null,
    detail: event.detail ?? null,
  });
}

export async function listAudit(db: Db, userId: string, limit = 100) {
  const rows = await db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.userId, userId))
    .orderBy(desc(auditEvents.id))
    .limit(limit);
  return rows.map((r) => ({
    kind: r.kind,
    ip: r.ip,
    deviceId: r.deviceId,
    detail: r.detail ?? {},
    at: r.createdAt.toISOString(),
  }));
}
