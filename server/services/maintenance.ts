// Periodic clean-up shared by every instance (each step is idempotent): expired sessions,
// old throttling rows, expired WebAuthn challenges, sign-in tickets and remembered browsers, old audit events, and tombstones past their
// retention.
import { and, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { auditEvents, authAttempts, loginTickets, rememberedDevices } from '../db/schema.ts';
import type { Passkeys } from './passkeys.ts';
import { deleteExpiredSessions, type SessionPolicy } from './sessions.ts';
import { compactTombstones } from './sync.ts';

export async function runMaintenance(
  db: Db,
  deps: { sessionPolicy: SessionPolicy; passkeys: Passkeys; tombstoneRetentionSeconds: number },
) {
  const sessions = await deleteExpiredSessions(db, deps.sessionPolicy);
  const attempts = (
    await db
      .delete(authAttempts)
      .where(lt(authAttempts.createdAt, sql`now() - interval '1 day'`))
      .returning({ id: authAttempts.id })
  ).length;
  const challenges = await deps.passkeys.deleteExpiredChallenges();
  // Sign-ins that never took their second step, and remembered browsers past their 30 days.
  const tickets = (
    await db
      .delete(loginTickets)
      .where(lt(loginTickets.expiresAt, sql`now()`))
      .returning({ id: loginTickets.id })
  ).length;
  const remembered = (
    await db
      .delete(rememberedDevices)
      .where(lt(rememberedDevices.expiresAt, sql`now()`))
      .returning({ id: rememberedDevices.id })
  ).length;
  // An account's events are kept a year; failed logins against unknown emails (no account to
  // show them to, and cheap for anyone to create) a month.
  const audit = (
    await db
      .delete(auditEvents)
      .where(
        or(
          lt(auditEvents.createdAt, sql`now() - interval '365 days'`),
          and(
            isNull(auditEvents.userId),
            lt(auditEvents.createdAt, sql`now() - interval '30 days'`),
          ),
        ),
      )
      .returning({ id: auditEvents.id })
  ).length;
  const tombstones = await compactTombstones(
    db,
    new Date(Date.now() - deps.tombstoneRetentionSeconds * 1000),
  );
  return { sessions, attempts, challenges, tickets, remembered, audit, tombstones };
}
