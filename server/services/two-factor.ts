// Two-step sign-in: a second factor (an authenticator app, a security key or passkey, a one-time
// recovery code) asked of a device that signs in with the master password, and browsers
// remembered for 30 days. It gates the server session only: the vault key never depended on it,
// so a signed-in device still unlocks offline with the password alone.
import { randomBytes } from 'node:crypto';
import { and, asc, count, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import type { z } from 'zod';
import type { authenticationResponseSchema } from '../../shared/protocol/passkeys.ts';
import type { Db, Tx } from '../db/client.ts';
import {
  loginTickets,
  passkeys,
  recoveryCodes,
  rememberedDevices,
  sessions,
  totpFactors,
  users,
} from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { userByTicket } from './acting-for.ts';
import { type AuditKind, recordAudit } from './audit.ts';
import { sha256 } from './bytes.ts';
import { newCode, normaliseCode } from './codes.ts';
import type { Passkeys } from './passkeys.ts';

export const REMEMBER_DAYS = 30;
const TICKET_MS = 5 * 60_000;
const TICKET_TRIES = 5;
/** Wrong passwords a remembered browser's token may come with before it is forgotten. */
const REMEMBERED_FAILURES = 5;
const RECOVERY_CODES = 10;
const PENDING_TOTP_MS = 15 * 60_000;

export type Method = 'totp' | 'webauthn' | 'recovery';
export type Factor =
  | { totp: string }
  | { recoveryCode: string }
  | { webauthn: z.infer<typeof authenticationResponseSchema> };

interface Who {
  userId: string;
  sessionId: string;
  deviceId: string;
}
interface Caller {
  ip: string;
  origin: string | undefined;
}

const totpOf = (secret: Uint8Array, label = 'Cofre') =>
  new TOTP({
    issuer: 'Cofre',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: new Secret({ buffer: secret.slice().buffer }),
  });

const recoveryHash = (userId: string, code: string) =>
  sha256(`cofre/v1/2fa-recovery|${userId}|${normaliseCode(code)}`);
const tokenHash = (token: string) => sha256(`cofre/v1/2fa-token|${token}`);

export const secondFactorRequired = () =>
  new AppError(
    'FORBIDDEN',
    'This server requires two-step sign-in, and this account has not set it up. Set it up in Cofre on a device that is signed in (Settings → Two-step sign-in), or ask the administrator.',
    undefined,
    'second-factor-setup-required',
  );

export function createTwoFactor(
  db: Db,
  deps: {
    passkeys: Passkeys;
    /** REQUIRE_2FA: every account must have a second factor to sign a new device in. */
    required: boolean;
    /** The master password checked again (throttled and audited like a sign-in). */
    recheck(authKey: string, who: Who, ip: string): Promise<unknown>;
  },
) {
  const audit = (
    db_: Db | Tx,
    kind: AuditKind,
    who: { userId: string; deviceId?: string | null },
    ip: string | null,
    detail?: Record<string, string | number | boolean>,
  ) =>
    recordAudit(db_, {
      kind,
      userId: who.userId,
      deviceId: who.deviceId ?? null,
      ip,
      ...(detail ? { detail } : {}),
    });

  /** Which second factors the account has, and whether two-step sign-in is on. */
  async function factorsOf(userId: string, tx: Db | Tx = db) {
    const [row] = (
      (await tx.execute(sql`select
        exists (select 1 from ${totpFactors} t where t.user_id = ${userId} and t.confirmed_at is not null) totp,
        (select count(*) from ${passkeys} p where p.user_id = ${userId} and p.second_factor) keys,
        (select count(*) from ${passkeys} p where p.user_id = ${userId}) credentials,
        (select count(*) from ${recoveryCodes} r where r.user_id = ${userId} and r.used_at is null) codes`)) as unknown as {
        rows: Array<{
          totp: boolean;
          keys: string | number;
          credentials: string | number;
          codes: string | number;
        }>;
      }
    ).rows;
    const totp = !!row?.totp;
    const keys = Number(row?.keys ?? 0);
    const enabled = totp || keys > 0;
    const methods: Method[] = [];
    if (totp) methods.push('totp');
    if (Number(row?.credentials ?? 0) > 0) methods.push('webauthn');
    if (Number(row?.codes ?? 0) > 0) methods.push('recovery');
    return { enabled, methods, totp, keys, recoveryCodesLeft: Number(row?.codes ?? 0) };
  }

  /** Ten new recovery codes (the old ones stop working); they are shown once. */
  async function newRecoveryCodes(tx: Db | Tx, userId: string) {
    const codes = Array.from({ length: RECOVERY_CODES }, () => newCode(10));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await tx
      .insert(recoveryCodes)
      .values(codes.map((c) => ({ userId, codeHash: recoveryHash(userId, c) })));
    return codes;
  }

  /**
   * After a factor was added: the first one turns two-step sign-in on and makes the recovery
   * codes; sessions opened only to set a factor up (REQUIRE_2FA) become whole.
   */
  async function factorAdded(tx: Tx, who: Who, ip: string, what: string) {
    // The first factor of an account has no recovery codes beside it yet (turning the last
    // factor off deletes them).
    const [codes] = await tx
      .select({ n: count() })
      .from(recoveryCodes)
      .where(eq(recoveryCodes.userId, who.userId));
    const first = (codes?.n ?? 0) === 0;
    await audit(tx, 'second-factor.added', who, ip, { factor: what });
    await tx.update(sessions).set({ restricted: false }).where(eq(sessions.userId, who.userId));
    return first ? await newRecoveryCodes(tx, who.userId) : null;
  }

  /** After a factor was removed: when none is left, what rode on two-step sign-in goes too. */
  async function factorRemoved(tx: Tx, who: Who, ip: string, what: string) {
    await audit(tx, 'second-factor.removed', who, ip, { factor: what });
    const after = await factorsOf(who.userId, tx);
    if (after.enabled) return;
    if (deps.required) throw secondFactorRequired();
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, who.userId));
    await tx
      .delete(rememberedDevices)
      .where(
        and(eq(rememberedDevices.userId, who.userId), eq(rememberedDevices.secondFactor, true)),
      );
  }

  return {
    required: deps.required,
    factorsOf,

    async status(who: Who) {
      const f = await factorsOf(who.userId);
      const keys = await db
        .select({ id: passkeys.id, name: passkeys.name, createdAt: passkeys.createdAt })
        .from(passkeys)
        .where(and(eq(passkeys.userId, who.userId), eq(passkeys.secondFactor, true)))
        .orderBy(asc(passkeys.createdAt));
      const remembered = await db
        .select()
        .from(rememberedDevices)
        .where(
          and(
            eq(rememberedDevices.userId, who.userId),
            gt(rememberedDevices.expiresAt, sql`now()`),
          ),
        )
        .orderBy(asc(rememberedDevices.createdAt));
      return {
        enabled: f.enabled,
        required: deps.required,
        totp: f.totp,
        keys: keys.map((k) => ({ id: k.id, name: k.name, createdAt: k.createdAt.toISOString() })),
        recoveryCodesLeft: f.recoveryCodesLeft,
        rememberedDevices: remembered.map((r) => ({
          id: r.id,
          deviceName: r.deviceName,
          createdAt: r.createdAt.toISOString(),
          lastUsedAt: r.lastUsedAt.toISOString(),
          expiresAt: r.expiresAt.toISOString(),
          current: r.deviceId === who.deviceId,
        })),
      };
    },

    /** A new authenticator-app secret to scan; it works once a code from it is confirmed. */
    async totpBegin(who: Who, authKey: string, ip: string) {
      await deps.recheck(authKey, who, ip);
      const secret = new Uint8Array(randomBytes(20));
      const [user] = await db
        .select({ email: users.email })
        .from(users)
        .where(eq(users.id, who.userId));
      await db
        .insert(totpFactors)
        .values({ userId: who.userId, pendingSecret: secret, pendingAt: new Date() })
        .onConflictDoUpdate({
          target: totpFactors.userId,
          set: { pendingSecret: secret, pendingAt: sql`now()` },
        });
      const totp = totpOf(secret, user?.email ?? 'Cofre');
      return { secret: totp.secret.base32, uri: totp.toString() };
    },

    /** Confirms the pending secret with a code from it; the first factor returns recovery codes. */
    async totpConfirm(who: Who, code: string, ip: string) {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .select()
          .from(totpFactors)
          .where(eq(totpFactors.userId, who.userId))
          .for('update');
        if (
          !row?.pendingSecret ||
          !row.pendingAt ||
          Date.now() - row.pendingAt.getTime() > PENDING_TOTP_MS
        )
          throw new AppError(
            'BAD_REQUEST',
            'Start setting the authenticator app up again: this one waited too long.',
            undefined,
            'totp-not-pending',
          );
        const delta = totpOf(row.pendingSecret).validate({ token: code, window: 1 });
        if (delta === null)
          throw new AppError(
            'BAD_REQUEST',
            'That code does not match: check the time on your phone and type the code it shows now.',
            undefined,
            'totp-wrong',
          );
        await tx
          .update(totpFactors)
          .set({
            secret: row.pendingSecret,
            confirmedAt: sql`now()`,
            pendingSecret: null,
            pendingAt: null,
            lastStep: Math.floor(Date.now() / 30_000) + delta,
          })
          .where(eq(totpFactors.userId, who.userId));
        const recovery = await factorAdded(tx, who, ip, 'totp');
        return { recoveryCodes: recovery };
      });
    },

    async totpRemove(who: Who, authKey: string, ip: string) {
      await deps.recheck(authKey, who, ip);
      await db.transaction(async (tx) => {
        const gone = await tx
          .delete(totpFactors)
          .where(
            and(eq(totpFactors.userId, who.userId), sql`${totpFactors.confirmedAt} is not null`),
          )
          .returning({ id: totpFactors.userId });
        if (gone.length === 0) throw new AppError('NOT_FOUND', 'No authenticator app is set up.');
        await factorRemoved(tx, who, ip, 'totp');
      });
      return {};
    },

    /** A security key (or passkey) registered with `secondFactor`, through passkeys.register. */
    async keyAdded(who: Who, credentialId: string, ip: string) {
      return db.transaction(async (tx) => {
        await tx
          .update(passkeys)
          .set({ secondFactor: true })
          .where(and(eq(passkeys.id, credentialId), eq(passkeys.userId, who.userId)));
        return { recoveryCodes: await factorAdded(tx, who, ip, 'security-key') };
      });
    },

    async removeKey(who: Who, id: string, authKey: string, ip: string) {
      await deps.recheck(authKey, who, ip);
      await db.transaction(async (tx) => {
        const gone = await tx
          .delete(passkeys)
          .where(
            and(
              eq(passkeys.id, id),
              eq(passkeys.userId, who.userId),
              eq(passkeys.secondFactor, true),
            ),
          )
          .returning({ id: passkeys.id });
        if (gone.length === 0) throw new AppError('NOT_FOUND', 'No such security key.');
        await factorRemoved(tx, who, ip, 'security-key');
      });
      return {};
    },

    async regenerateRecoveryCodes(who: Who, authKey: string, ip: string) {
      await deps.recheck(authKey, who, ip);
      return db.transaction(async (tx) => {
        if (!(await factorsOf(who.userId, tx)).enabled)
          throw new AppError('BAD_REQUEST', 'Set up an authenticator app or a security key first.');
        const codes = await newRecoveryCodes(tx, who.userId);
        await audit(tx, 'recovery-codes.created', who, ip);
        return { recoveryCodes: codes };
      });
    },

    async forgetDevice(who: Who, id: string, ip: string) {
      const gone = await db
        .delete(rememberedDevices)
        .where(and(eq(rememberedDevices.id, id), eq(rememberedDevices.userId, who.userId)))
        .returning({ id: rememberedDevices.id });
      if (gone.length === 0) throw new AppError('NOT_FOUND', 'No such remembered browser.');
      await audit(db, 'remembered-device.forgotten', who, ip);
      return {};
    },

    async forgetAllDevices(who: Who, ip: string) {
      const gone = await db
        .delete(rememberedDevices)
        .where(eq(rememberedDevices.userId, who.userId))
        .returning({ id: rememberedDevices.id });
      await audit(db, 'remembered-device.forgotten', who, ip, { all: true, count: gone.length });
      return { forgotten: gone.length };
    },

    // ---- the pieces of a sign-in ----

    /** The live remembered browser this token names, if it belongs to the account of `email`. */
    async remembered(token: string, email: string) {
      const [row] = await db
        .select({ r: rememberedDevices })
        .from(rememberedDevices)
        .innerJoin(users, eq(users.id, rememberedDevices.userId))
        .where(
          and(
            eq(rememberedDevices.tokenHash, tokenHash(token)),
            eq(users.email, email),
            gt(rememberedDevices.expiresAt, sql`now()`),
            lt(rememberedDevices.failures, REMEMBERED_FAILURES),
          ),
        );
      return row?.r ?? null;
    },

    /** A wrong password came with a remembered browser's token: five of those forget it. */
    async rememberedFailed(id: string) {
      await db
        .update(rememberedDevices)
        .set({ failures: sql`${rememberedDevices.failures} + 1` })
        .where(eq(rememberedDevices.id, id));
    },

    async rememberedUsed(tx: Db | Tx, id: string) {
      await tx
        .update(rememberedDevices)
        .set({ lastUsedAt: sql`now()`, failures: 0 })
        .where(eq(rememberedDevices.id, id));
    },

    /** Remembers this browser for 30 days; the token is its proof at the next sign-in. */
    async remember(
      tx: Db | Tx,
      userId: string,
      device: { id: string; name: string },
      secondFactor: boolean,
    ) {
      const token = randomBytes(32).toString('base64url');
      await tx.insert(rememberedDevices).values({
        userId,
        deviceId: device.id,
        deviceName: device.name,
        tokenHash: tokenHash(token),
        secondFactor,
        expiresAt: new Date(Date.now() + REMEMBER_DAYS * 86_400_000),
      });
      return token;
    },

    /** A sign-in that passed its password, waiting for the second step. */
    async openTicket(userId: string, device: { id: string; name: string }) {
      const ticket = randomBytes(32).toString('base64url');
      const expiresAt = new Date(Date.now() + TICKET_MS);
      await db.insert(loginTickets).values({
        userId,
        tokenHash: tokenHash(ticket),
        deviceId: device.id,
        deviceName: device.name,
        expiresAt,
      });
      return { ticket, expiresAt: expiresAt.toISOString() };
    },

    /** Takes one try of a ticket (five in all, five minutes); null when it is spent or gone. */
    async takeTicketTry(ticket: string) {
      const [row] = await db
        .update(loginTickets)
        .set({ attempts: sql`${loginTickets.attempts} + 1` })
        .where(
          and(
            eq(loginTickets.tokenHash, tokenHash(ticket)),
            gt(loginTickets.expiresAt, sql`now()`),
            lt(loginTickets.attempts, TICKET_TRIES),
          ),
        )
        .returning();
      return row ?? null;
    },

    closeTicket: (tx: Db | Tx, id: string) =>
      tx.delete(loginTickets).where(eq(loginTickets.id, id)),

    /** The account a live ticket is for (before the request acts for it). */
    userOfTicket: (ticket: string) => userByTicket(db, tokenHash(ticket)),

    /** The user of a live ticket, for the WebAuthn options of its second step. */
    async ticketUser(ticket: string) {
      const [row] = await db
        .select({ userId: loginTickets.userId })
        .from(loginTickets)
        .where(
          and(
            eq(loginTickets.tokenHash, tokenHash(ticket)),
            gt(loginTickets.expiresAt, sql`now()`),
            lt(loginTickets.attempts, TICKET_TRIES),
          ),
        );
      return row?.userId ?? null;
    },

    /**
     * Checks a second factor of the account; each works once (a TOTP code's time step, a
     * recovery code, a WebAuthn challenge). Answers the method used, or null.
     */
    async verify(userId: string, factor: Factor, caller: Caller): Promise<Method | null> {
      if ('totp' in factor) {
        const [row] = await db.select().from(totpFactors).where(eq(totpFactors.userId, userId));
        if (!row?.secret || !row.confirmedAt) return null;
        const delta = totpOf(row.secret).validate({ token: factor.totp, window: 1 });
        if (delta === null) return null;
        const step = Math.floor(Date.now() / 30_000) + delta;
        // A code seen once (or an older one) is refused: compare-and-swap on the newest step.
        const taken = await db
          .update(totpFactors)
          .set({ lastStep: step })
          .where(and(eq(totpFactors.userId, userId), lt(totpFactors.lastStep, step)))
          .returning({ id: totpFactors.userId });
        return taken.length > 0 ? 'totp' : null;
      }
      if ('recoveryCode' in factor) {
        const used = await db
          .update(recoveryCodes)
          .set({ usedAt: sql`now()` })
          .where(
            and(
              eq(recoveryCodes.userId, userId),
              eq(recoveryCodes.codeHash, recoveryHash(userId, factor.recoveryCode)),
              isNull(recoveryCodes.usedAt),
            ),
          )
          .returning({ id: recoveryCodes.userId });
        return used.length > 0 ? 'recovery' : null;
      }
      return (await deps.passkeys.verifySecondFactor(userId, factor.webauthn, caller))
        ? 'webauthn'
        : null;
    },
  };
}

export type TwoFactor = ReturnType<typeof createTwoFactor>;
