// Periodic clean-up shared by every instance (each step is idempotent): expired sessions,
// old throttling rows, expired WebAuthn challenges, and tombstones past their retention.
import { lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { authAttempts } from '../db/schema.ts';
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
  const tombstones = await compactTombstones(
    db,
    new Date(Date.now() - deps.tombstoneRetentionSeconds * 1000),
  );
  return { sessions, attempts, challenges, tombstones };
}
