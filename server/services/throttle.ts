// Failed-login throttling kept in the database, so every server instance sees the same counts:
// at most 10 failures per account and 100 per client IP in a sliding 15-minute window.
import { and, count, eq, gt, inArray, min, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { authAttempts } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { sha256, toB64 } from './bytes.ts';

export const THROTTLE = { windowSeconds: 15 * 60, perAccount: 10, perIp: 100 } as const;

/** The start of the sliding window, as SQL. */
const windowStart = sql`now() - make_interval(secs => ${THROTTLE.windowSeconds})`;

export const emailKey = (email: string) => toB64(sha256(`cofre/v1/throttle|${email}`));
/**
 * Sign-ins that bring a second factor with the password are counted apart from the account's
 * other failures (5 per window), so an account locked by wrong passwords still lets its owner
 * in with the password and a code — and a guesser gains five tries that need the code too.
 */
export const factorKey = (email: string) => toB64(sha256(`cofre/v1/throttle-factor|${email}`));
export const FACTOR_TRIES = 5;

export interface Attempt {
  /** Call when the credentials turned out right: the attempt and the account's failures go. */
  succeeded(): Promise<void>;
  /** The password was right but the sign-in waits for its second step: only this row goes. */
  release(): Promise<void>;
}

/** A 429 whose Retry-After is when the oldest counted row leaves the window. */
function refusal(what: string, oldestAt: Date | string | null, reason?: string): AppError {
  const oldest = oldestAt ? new Date(oldestAt).getTime() : Date.now();
  const retryAfter = Math.max(
    1,
    Math.ceil((oldest + THROTTLE.windowSeconds * 1000 - Date.now()) / 1000),
  );
  return new AppError(
    'TOO_MANY_REQUESTS',
    `${what} Try again in ${Math.ceil(retryAfter / 60)} minute(s).`,
    retryAfter,
    reason,
  );
}

/**
 * Reserves one attempt before any credential is checked. The attempt is written first and then
 * counted, so concurrent guesses cannot all slip under the limit. A reserved attempt that is not
 * marked as succeeded stays as a failure.
 */
export async function reserveAttempt(
  db: Db,
  who: { emailHash: string | null; ip: string },
  accountLimit: number = THROTTLE.perAccount,
): Promise<Attempt> {
  const [row] = await db
    .insert(authAttempts)
    .values({ emailHash: who.emailHash, ip: who.ip })
    .returning({ id: authAttempts.id });
  const id = row!.id;
  // (Rows under a `~kind` marker count other work, not failed sign-ins: see limitPerIp.)
  const failures = sql`coalesce(${authAttempts.emailHash}, '') not like '~%'`;
  const checks = [
    {
      where: and(eq(authAttempts.ip, who.ip), failures),
      limit: THROTTLE.perIp,
      reason: 'ip-throttled',
    },
    ...(who.emailHash
      ? [
          {
            where: eq(authAttempts.emailHash, who.emailHash),
            limit: accountLimit,
            reason: 'account-locked',
          },
        ]
      : []),
  ];
  for (const check of checks) {
    const [stat] = await db
      .select({ n: count(), oldest: min(authAttempts.createdAt) })
      .from(authAttempts)
      .where(and(check.where, gt(authAttempts.createdAt, windowStart)));
    if (stat && stat.n > check.limit) {
      // The refused attempt itself is not counted: the window slides on real failures only.
      await db.delete(authAttempts).where(eq(authAttempts.id, id));
      throw refusal('Too many failed sign-in attempts.', stat.oldest, check.reason);
    }
  }
  return {
    async succeeded() {
      await db.delete(authAttempts).where(eq(authAttempts.id, id));
      if (who.emailHash) {
        await db.delete(authAttempts).where(eq(authAttempts.emailHash, who.emailHash));
      }
    },
    async release() {
      await db.delete(authAttempts).where(eq(authAttempts.id, id));
    },
  };
}

/** The owner proved themselves: every failure counted against the account goes (the lock too). */
export async function clearAccountFailures(db: Db, email: string) {
  await db
    .delete(authAttempts)
    .where(inArray(authAttempts.emailHash, [emailKey(email), factorKey(email)]));
}

/**
 * Work anyone may ask of the server without signing in — a sign-up (an Argon2id run), a passkey
 * challenge (a row) — counted per client IP in the same table and window as failed sign-ins,
 * under a marker of its own in place of the email hash. Every request counts, not only
 * failures; past `limit` the request is refused with Retry-After before any work is done.
 */
export async function limitPerIp(
  db: Db,
  ip: string,
  kind: 'signup' | 'passkey-challenge',
  limit: number,
) {
  const marker = `~${kind}`;
  const [row] = await db
    .insert(authAttempts)
    .values({ emailHash: marker, ip })
    .returning({ id: authAttempts.id });
  const [stat] = await db
    .select({ n: count(), oldest: min(authAttempts.createdAt) })
    .from(authAttempts)
    .where(
      and(
        eq(authAttempts.ip, ip),
        eq(authAttempts.emailHash, marker),
        gt(authAttempts.createdAt, windowStart),
      ),
    );
  if (stat && stat.n > limit) {
    await db.delete(authAttempts).where(eq(authAttempts.id, row!.id));
    throw refusal('Too many requests from this address.', stat.oldest);
  }
}
