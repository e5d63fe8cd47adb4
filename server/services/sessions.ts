// Opaque bearer sessions: 256-bit random tokens of which only the SHA-256 is stored, with an idle
// and an absolute lifetime.
import { randomBytes } from 'node:crypto';
import { and, eq, lt, ne, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.ts';
import { devices, sessions, users } from '../db/schema.ts';
import { AppError, notSignedIn } from '../errors.ts';
import { type AuditEvent, recordAudit } from './audit.ts';
import { sha256 } from './bytes.ts';

export interface SessionPolicy {
  idleSeconds: number;
  absoluteSeconds: number;
}

export interface AuthedSession {
  sessionId: string;
  userId: string;
  deviceId: string;
  /** Good only for setting a second factor up (see sessions.restricted). */
  restricted: boolean;
}

/** lastSeenAt is refreshed at most this often, so reads do not each cost a write — and at
 * least four times per idle period, so a short SESSION_IDLE_SECONDS does not expire a session
 * in use (a 30-s idle time with a once-a-minute refresh did). */
const TOUCH_EVERY_MS = 60_000;
const touchEvery = (policy: SessionPolicy) =>
  Math.min(TOUCH_EVERY_MS, (policy.idleSeconds * 1000) / 4);
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

const effectiveExpiry = (lastSeenAt: Date, absolute: Date, policy: SessionPolicy) =>
  new Date(Math.min(absolute.getTime(), lastSeenAt.getTime() + policy.idleSeconds * 1000));

async function upsertDevice(db: Db | Tx, userId: string, device: { id: string; name: string }) {
  await db
    .insert(devices)
    .values({ userId, id: device.id, name: device.name })
    .onConflictDoUpdate({
      target: [devices.userId, devices.id],
      set: { name: device.name, lastSeenAt: sql`now()` },
    });
}

async function createSession(
  db: Db | Tx,
  policy: SessionPolicy,
  who: { userId: string; deviceId: string; restricted?: boolean },
) {
  const token = randomBytes(32).toString('base64url');
  const now = Date.now();
  const absolute = new Date(now + policy.absoluteSeconds * 1000);
  const [row] = await db
    .insert(sessions)
    .values({ ...who, tokenHash: sha256(token), expiresAt: absolute })
    .returning({ id: sessions.id });
  return {
    id: row!.id,
    token,
    expiresAt: effectiveExpiry(new Date(now), absolute, policy).toISOString(),
  };
}

export const accountDisabled = () =>
  new AppError(
    'FORBIDDEN',
    'This account is disabled: ask the administrator of this server.',
    undefined,
    'account-disabled',
  );

/**
 * Signs a device in: records the device, opens its session, writes the audit event. Every way in
 * (password, passkey, recovery, second factor) comes through here, after its credentials were
 * checked, so a disabled account is refused here — under the account row's lock, which the
 * administrator's `disable` takes too: no session opens after it. `newDevice`: this device id
 * never signed in to the account before (for the new-device mail).
 */
export async function signIn(
  tx: Db | Tx,
  policy: SessionPolicy,
  who: {
    userId: string;
    device: { id: string; name: string };
    ip: string;
    /** Good only for setting a second factor up (a sign-up under REQUIRE_2FA). */
    restricted?: boolean;
  },
  audit: Pick<AuditEvent, 'kind' | 'detail'>,
) {
  const [account] = await tx
    .select({ disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.id, who.userId))
    .for('share');
  if (account?.disabledAt) throw accountDisabled();
  const known = await tx
    .select({ id: devices.id })
    .from(devices)
    .where(and(eq(devices.userId, who.userId), eq(devices.id, who.device.id)));
  await upsertDevice(tx, who.userId, who.device);
  const session = await createSession(tx, policy, {
    userId: who.userId,
    deviceId: who.device.id,
    ...(who.restricted ? { restricted: true } : {}),
  });
  await recordAudit(tx, { ...audit, userId: who.userId, ip: who.ip, deviceId: who.device.id });
  return { ...session, newDevice: known.length === 0 };
}

type SessionRow = Omit<typeof sessions.$inferSelect, 'tokenHash'>;

/**
 * The session of a token's hash, before the request acts for anyone (through migration 0009's
 * SECURITY DEFINER function: the request role sees no session until then).
 */
async function sessionByToken(db: Db, hash: Uint8Array): Promise<SessionRow | undefined> {
  const { rows } = (await db.execute(
    sql`select * from cofre_session_by_token(${hash})`,
  )) as unknown as {
    rows: Array<{
      id: string;
      user_id: string;
      device_id: string;
      created_at: string | Date;
      last_seen_at: string | Date;
      expires_at: string | Date;
      restricted: boolean;
    }>;
  };
  const r = rows[0];
  return (
    r && {
      id: r.id,
      userId: r.user_id,
      deviceId: r.device_id,
      createdAt: new Date(r.created_at),
      lastSeenAt: new Date(r.last_seen_at),
      expiresAt: new Date(r.expires_at),
      restricted: r.restricted,
    }
  );
}

/** How long a session read from the database may answer for it without a new read. */
export const SESSION_CACHE_MS = 10_000;
const SESSION_CACHE_MAX = 50_000;

/**
 * Sessions recently read, so a busy device's requests do not each cost a database round trip
 * (half of a push's, once the push itself is one statement). An entry answers for at most
 * SESSION_CACHE_MS and is checked for expiry on every use. A revocation forgets the user's
 * entries at once in the instance that made it and, through its NOTIFY, in every other instance
 * (ChangeHub); a dropped LISTEN connection forgets them all. Only a session deleted behind the
 * server's back (by hand in the database) can outlive its deletion, by SESSION_CACHE_MS at most.
 */
export class SessionCache {
  readonly #byHash = new Map<string, { row: SessionRow; at: number }>();

  get(hash: string, now: number): SessionRow | undefined {
    const hit = this.#byHash.get(hash);
    if (!hit) return undefined;
    if (now - hit.at < SESSION_CACHE_MS) return hit.row;
    this.#byHash.delete(hash);
    return undefined;
  }

  set(hash: string, row: SessionRow, now: number) {
    this.#byHash.delete(hash);
    this.#byHash.set(hash, { row, at: now });
    // Oldest first: Map iteration follows insertion order.
    if (this.#byHash.size > SESSION_CACHE_MAX) {
      this.#byHash.delete(this.#byHash.keys().next().value!);
    }
  }

  forgetUser(userId: string) {
    for (const [hash, { row }] of this.#byHash)
      if (row.userId === userId) this.#byHash.delete(hash);
  }

  clear() {
    this.#byHash.clear();
  }
}

/** Resolves a bearer token to its live session, or throws UNAUTHORIZED. */
export async function authenticate(
  db: Db,
  policy: SessionPolicy,
  token: string | undefined,
  cache?: SessionCache,
): Promise<AuthedSession> {
  if (!token || !TOKEN_SHAPE.test(token)) throw notSignedIn();
  const hash = sha256(token);
  const key = Buffer.from(hash).toString('base64');
  const now = Date.now();
  let row = cache?.get(key, now);
  if (!row) {
    row = await sessionByToken(db, hash);
    if (row) cache?.set(key, row, now);
  }
  if (!row || effectiveExpiry(row.lastSeenAt, row.expiresAt, policy).getTime() <= now) {
    throw notSignedIn();
  }
  if (now - row.lastSeenAt.getTime() > touchEvery(policy)) {
    // The touch also proves a cached session still exists before it is cached afresh.
    const { rows } = (await db.execute(
      sql`select cofre_touch_session(${row.id}) as live`,
    )) as unknown as { rows: Array<{ live: boolean }> };
    if (!rows[0]?.live) {
      cache?.forgetUser(row.userId);
      throw notSignedIn();
    }
    cache?.set(key, { ...row, lastSeenAt: new Date(now) }, now);
  }
  return {
    sessionId: row.id,
    userId: row.userId,
    deviceId: row.deviceId,
    restricted: row.restricted,
  };
}

/** True while the session exists and has not expired (used by long-lived streams). */
export async function isSessionLive(db: Db, policy: SessionPolicy, sessionId: string) {
  const [row] = await db.select().from(sessions).where(eq(sessions.id, sessionId));
  return !!row && effectiveExpiry(row.lastSeenAt, row.expiresAt, policy).getTime() > Date.now();
}

export async function listSessions(db: Db, policy: SessionPolicy, current: AuthedSession) {
  const rows = await db
    .select({ s: sessions, deviceName: devices.name })
    .from(sessions)
    .leftJoin(devices, and(eq(devices.userId, sessions.userId), eq(devices.id, sessions.deviceId)))
    .where(eq(sessions.userId, current.userId))
    .orderBy(sessions.createdAt);
  return rows
    .filter(({ s }) => effectiveExpiry(s.lastSeenAt, s.expiresAt, policy).getTime() > Date.now())
    .map(({ s, deviceName }) => ({
      id: s.id,
      deviceId: s.deviceId,
      deviceName: deviceName ?? '',
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      expiresAt: effectiveExpiry(s.lastSeenAt, s.expiresAt, policy).toISOString(),
      current: s.id === current.sessionId,
    }));
}

/**
 * Deletes one of the user's sessions; another user's id behaves as absent. With a removal
 * proof (the revoking device's seal, opaque here) the session's device is marked removed and
 * every session it holds ends: at its next request it reads the proof back and erases itself.
 */
export async function revokeSession(
  db: Db | Tx,
  userId: string,
  sessionId: string,
  removalProof?: Uint8Array,
) {
  const gone = await db
    .delete(sessions)
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)))
    .returning({ id: sessions.id, deviceId: sessions.deviceId });
  if (gone.length === 0) throw new AppError('NOT_FOUND', 'No such session.');
  const deviceId = gone[0]!.deviceId;
  if (!removalProof) return { deviceId, removed: false };
  await db
    .update(devices)
    .set({ removedAt: sql`now()`, removalProof })
    .where(and(eq(devices.userId, userId), eq(devices.id, deviceId)));
  await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), eq(sessions.deviceId, deviceId)));
  return { deviceId, removed: true };
}

export async function renameDevice(db: Db, userId: string, deviceId: string, name: string) {
  await db
    .update(devices)
    .set({ name })
    .where(and(eq(devices.userId, userId), eq(devices.id, deviceId)));
}

/** The removal order of one device, if another device of the account gave one. */
export async function removalOf(db: Db, userId: string, deviceId: string) {
  const [row] = await db
    .select({ at: devices.removedAt, proof: devices.removalProof })
    .from(devices)
    .where(and(eq(devices.userId, userId), eq(devices.id, deviceId)));
  return row?.at && row.proof ? { at: row.at.toISOString(), proof: row.proof } : null;
}

export async function revokeOtherSessions(db: Db | Tx, current: AuthedSession): Promise<number> {
  const gone = await db
    .delete(sessions)
    .where(and(eq(sessions.userId, current.userId), ne(sessions.id, current.sessionId)))
    .returning({ id: sessions.id });
  return gone.length;
}

/** Removes sessions past their absolute or idle expiry. */
export async function deleteExpiredSessions(db: Db, policy: SessionPolicy): Promise<number> {
  const idleCutoff = new Date(Date.now() - policy.idleSeconds * 1000);
  const gone = await db
    .delete(sessions)
    .where(or(lt(sessions.expiresAt, sql`now()`), lt(sessions.lastSeenAt, idleCutoff)))
    .returning({ id: sessions.id });
  return gone.length;
}
