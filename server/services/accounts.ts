// Accounts: prelogin, register, login, password change, account key rotation. The server only ever sees authKey (a
// KDF output), stores Argon2id of it, and keeps the account key wrapped by the client.
import { createHmac, randomBytes } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type {
  ChangePasswordInput,
  CompleteLoginInput,
  LoginInput,
  RegisterInput,
  RotateKeyInput,
} from '../../shared/protocol/account.ts';
import type { Kdf } from '../../shared/protocol/common.ts';
import type { Db } from '../db/client.ts';
import {
  passkeys,
  recoveryKits,
  retiredAccountKeys,
  serverSecrets,
  sessions,
  users,
} from '../db/schema.ts';
import { AppError, badCredentials } from '../errors.ts';
import { recordAudit } from './audit.ts';
import { decoyHash, hashAuthKey, verifyAuthKey } from './auth-hash.ts';
import { fromB64, toB64 } from './bytes.ts';
import type { Passkeys } from './passkeys.ts';
import { type SessionPolicy, signIn } from './sessions.ts';
import type { Signups } from './signups.ts';
import {
  clearAccountFailures,
  emailKey,
  FACTOR_TRIES,
  factorKey,
  reserveAttempt,
} from './throttle.ts';
import { secondFactorRequired, type TwoFactor } from './two-factor.ts';

/** What prelogin answers for an unknown email: the client's default parameters. */
export const DEFAULT_KDF: Kdf = { alg: 'argon2id', m: 65_536, t: 3, p: 4 };

const kdfOf = (u: typeof users.$inferSelect): Kdf => ({
  alg: 'argon2id',
  m: u.kdfM,
  t: u.kdfT,
  p: u.kdfP,
});

async function preloginSecret(db: Db): Promise<Uint8Array> {
  await db
    .insert(serverSecrets)
    .values({ name: 'prelogin', value: randomBytes(32) })
    .onConflictDoNothing();
  const [row] = await db.select().from(serverSecrets).where(eq(serverSecrets.name, 'prelogin'));
  return row!.value;
}

export function createAccounts(
  db: Db,
  policy: SessionPolicy,
  deps: {
    signups: Signups;
    twoFactor: TwoFactor;
    /** WebAuthn options for a user's second step (passkeys.secondFactorOptions). */
    passkeyOptions: Passkeys['secondFactorOptions'];
  },
) {
  const { signups, twoFactor, passkeyOptions } = deps;
  let secret: Promise<Uint8Array> | undefined;

  return {
    /** Known email: its kdf and salt. Unknown: stable fake ones, derived from a server secret. */
    async prelogin(email: string) {
      const [user] = await db.select().from(users).where(eq(users.email, email));
      if (user) return { kdf: kdfOf(user), salt: toB64(user.salt) };
      secret ??= preloginSecret(db);
      const fake = createHmac('sha256', await secret)
        .update(`cofre/v1/fake-salt|${email}`)
        .digest();
      return { kdf: DEFAULT_KDF, salt: toB64(fake.subarray(0, 16)) };
    },

    async register(input: RegisterInput, ip: string) {
      // The policy first (who may join), so a refused sign-up costs no Argon2id run and writes
      // nothing; it never looks at whether the email has an account.
      await signups.precheck(db, input.email, input.invitation);
      const authHash = await hashAuthKey(fromB64(input.authKey));
      return db.transaction(async (tx) => {
        await signups.admit(tx, input.email, input.invitation, input.userId);
        const inserted = await tx
          .insert(users)
          .values({
            id: input.userId,
            email: input.email,
            kdfM: input.kdf.m,
            kdfT: input.kdf.t,
            kdfP: input.kdf.p,
            salt: fromB64(input.salt),
            authHash,
            wrappedAccountKey: fromB64(input.wrappedAccountKey),
          })
          .onConflictDoNothing()
          .returning({ id: users.id });
        if (inserted.length === 0) {
          throw new AppError('CONFLICT', 'An account with this email or id already exists.');
        }
        // On a server that requires two-step sign-in, the first session only sets one up.
        const session = await signIn(
          tx,
          policy,
          { userId: input.userId, device: input.device, ip, restricted: twoFactor.required },
          { kind: 'account.registered' },
        );
        return {
          userId: input.userId,
          token: session.token,
          expiresAt: session.expiresAt,
          ...(twoFactor.required ? { secondFactorSetupRequired: true } : {}),
        };
      });
    },

    /**
     * A sign-in with the master password. The answer is a session, or — for an account with
     * two-step sign-in, from a browser it does not remember — a ticket for the second step
     * (account.completeLogin), with nothing of the account's keys yet.
     *
     *   account lock (10 failures)   counted under   gets through with
     *   not locked                   the email       the password (+ second step if on)
     *   locked, remembered browser   its token       the password (token forgotten after 5 wrong)
     *   locked, code given with it   the code path   the password and a valid code (5 tries)
     */
    async login(input: LoginInput, caller: { ip: string; origin: string | undefined }) {
      const ip = caller.ip;
      const remembered = input.rememberToken
        ? await twoFactor.remembered(input.rememberToken, input.email)
        : null;
      const attempt = remembered
        ? await reserveAttempt(db, { emailHash: null, ip })
        : input.secondFactor
          ? await reserveAttempt(db, { emailHash: factorKey(input.email), ip }, FACTOR_TRIES)
          : await reserveAttempt(db, { emailHash: emailKey(input.email), ip });
      const [user] = await db.select().from(users).where(eq(users.email, input.email));
      const ok = await verifyAuthKey(fromB64(input.authKey), user?.authHash ?? (await decoyHash()));
      if (!user || !ok) {
        await recordAudit(db, {
          kind: 'login.failed',
          userId: user?.id ?? null,
          ip,
          deviceId: input.device.id,
        });
        if (remembered) await twoFactor.rememberedFailed(remembered.id);
        throw badCredentials();
      }
      const factors = await twoFactor.factorsOf(user.id);
      let method: string | null = null;
      if (factors.enabled) {
        if (remembered?.secondFactor) method = 'remembered';
        else if (input.secondFactor) {
          method = await twoFactor.verify(user.id, input.secondFactor, caller);
          if (!method) {
            // The same answer as a wrong password: a guesser learns nothing of which was wrong.
            await recordAudit(db, {
              kind: 'second-factor.failed',
              userId: user.id,
              ip,
              deviceId: input.device.id,
            });
            throw badCredentials();
          }
        } else {
          await attempt.release();
          await recordAudit(db, {
            kind: 'login.second-step',
            userId: user.id,
            ip,
            deviceId: input.device.id,
          });
          const ticket = await twoFactor.openTicket(user.id, input.device);
          return { secondFactor: { ...ticket, methods: factors.methods } };
        }
      } else if (twoFactor.required && !remembered) {
        await attempt.release();
        throw secondFactorRequired();
      }
      await attempt.succeeded();
      await clearAccountFailures(db, user.email);
      return finishSignIn(user, input.device, ip, {
        method,
        remember: input.remember ?? false,
        rememberedId: remembered?.id ?? null,
        rememberedWithFactor: !!remembered?.secondFactor,
        factorsOn: factors.enabled,
      });
    },

    /** The second step of a sign-in that got a ticket from login. */
    async completeLogin(
      input: CompleteLoginInput,
      caller: { ip: string; origin: string | undefined },
    ) {
      const ticket = await twoFactor.takeTicketTry(input.ticket);
      if (!ticket)
        throw new AppError(
          'UNAUTHORIZED',
          'This sign-in waited too long or was tried too often: sign in again.',
          undefined,
          'second-factor-expired',
        );
      const [user] = await db.select().from(users).where(eq(users.id, ticket.userId));
      if (!user) throw badCredentials();
      // Codes are guessed like passwords: they count against the account the same way.
      const attempt = await reserveAttempt(db, { emailHash: emailKey(user.email), ip: caller.ip });
      const method = await twoFactor.verify(user.id, input.factor, caller);
      if (!method) {
        await recordAudit(db, {
          kind: 'second-factor.failed',
          userId: user.id,
          ip: caller.ip,
          deviceId: ticket.deviceId,
        });
        throw new AppError(
          'UNAUTHORIZED',
          'That code or key was not accepted (each code works once).',
          undefined,
          'second-factor-wrong',
        );
      }
      await attempt.succeeded();
      await clearAccountFailures(db, user.email);
      await twoFactor.closeTicket(db, ticket.id);
      const device = { id: ticket.deviceId, name: ticket.deviceName };
      const answer = await finishSignIn(user, device, caller.ip, {
        method,
        remember: input.remember,
        rememberedId: null,
        rememberedWithFactor: false,
        factorsOn: true,
      });
      return { answer, device };
    },

    /** The WebAuthn challenge of a ticket's second step. */
    async secondFactorOptions(ticket: string, caller: { ip: string; origin: string | undefined }) {
      const userId = await twoFactor.ticketUser(ticket);
      if (!userId)
        throw new AppError(
          'UNAUTHORIZED',
          'This sign-in waited too long or was tried too often: sign in again.',
          undefined,
          'second-factor-expired',
        );
      return passkeyOptions(userId, caller);
    },

    async me(userId: string) {
      const [user] = await db.select().from(users).where(eq(users.id, userId));
      if (!user) throw badCredentials();
      return { userId: user.id, email: user.email, createdAt: user.createdAt.toISOString() };
    },

    /**
     * What a signed-in device needs to unlock with the password offline (wrapped, never plain),
     * and the keys earlier rotations retired, each wrapped by its successor.
     */
    async keys(userId: string) {
      const [user] = await db.select().from(users).where(eq(users.id, userId));
      if (!user) throw badCredentials();
      const retired = await db
        .select({ generation: retiredAccountKeys.generation, wrapped: retiredAccountKeys.wrapped })
        .from(retiredAccountKeys)
        .where(eq(retiredAccountKeys.userId, userId))
        .orderBy(asc(retiredAccountKeys.generation));
      return {
        kdf: kdfOf(user),
        salt: toB64(user.salt),
        wrappedAccountKey: toB64(user.wrappedAccountKey),
        generation: user.keyGeneration,
        retired: retired.map((r) => ({ generation: r.generation, wrapped: toB64(r.wrapped) })),
      };
    },

    /** Re-checks the current authKey, swaps the credentials and revokes every other session. */
    async changePassword(input: ChangePasswordInput, who: Who, ip: string) {
      const user = await recheckPassword(input.authKey, who, ip);
      const credentials = await newCredentials(input);
      await db.transaction(async (tx) => {
        await tx.update(users).set(credentials).where(eq(users.id, user.id));
        await tx
          .delete(sessions)
          .where(sql`${sessions.userId} = ${user.id} and ${sessions.id} <> ${who.sessionId}`);
        await recordAudit(tx, {
          kind: 'password.changed',
          userId: user.id,
          ip,
          deviceId: who.deviceId,
        });
      });
      return {};
    },

    /**
     * Replaces the account key with a new generation: the new key wrapped by the password, the
     * retired one kept wrapped by the new one. Passkeys' PRF wraps hold the retired key, so they
     * are cleared (each passkey can be set up again), recovery kits are deleted (they rebuild the
     * retired key), and every other session is revoked, so other devices fetch the new key when
     * they sign in again.
     */
    async rotateKey(input: RotateKeyInput, who: Who, ip: string) {
      await recheckPassword(input.authKey, who, ip);
      const authHash = await hashAuthKey(fromB64(input.newAuthKey));
      await db.transaction(async (tx) => {
        const [user] = await tx
          .select({ generation: users.keyGeneration, seq: users.seq })
          .from(users)
          .where(eq(users.id, who.userId))
          .for('update');
        if (!user) throw badCredentials();
        if (input.generation !== user.generation + 1)
          throw new AppError(
            'CONFLICT',
            `The account key is at generation ${user.generation}: rotate from there.`,
          );
        if (user.seq > input.head)
          throw new AppError(
            'CONFLICT',
            'The vault changed since this device last synced: sync first.',
          );
        await tx.insert(retiredAccountKeys).values({
          userId: who.userId,
          generation: user.generation,
          wrapped: fromB64(input.retiredKey),
        });
        await tx
          .update(users)
          .set({
            keyGeneration: input.generation,
            wrappedAccountKey: fromB64(input.newWrappedAccountKey),
            salt: fromB64(input.newSalt),
            authHash,
          })
          .where(eq(users.id, who.userId));
        await tx
          .update(passkeys)
          .set({ prfSalt: null, prfWrappedAccountKey: null })
          .where(eq(passkeys.userId, who.userId));
        // Recovery kits rebuild the retired key: rotating is how kits are revoked.
        await tx.delete(recoveryKits).where(eq(recoveryKits.userId, who.userId));
        await tx
          .delete(sessions)
          .where(and(eq(sessions.userId, who.userId), sql`${sessions.id} <> ${who.sessionId}`));
        await recordAudit(tx, {
          kind: 'account-key.rotated',
          userId: who.userId,
          ip,
          deviceId: who.deviceId,
          detail: { generation: input.generation },
        });
      });
      return {};
    },
    recheckPassword,
  };

  /** Opens the session of a sign-in that passed every step, and answers it. */
  async function finishSignIn(
    user: typeof users.$inferSelect,
    device: { id: string; name: string },
    ip: string,
    how: {
      method: string | null;
      remember: boolean;
      rememberedId: string | null;
      rememberedWithFactor: boolean;
      factorsOn: boolean;
    },
  ) {
    const { session, rememberToken } = await db.transaction(async (tx) => {
      const session = await signIn(
        tx,
        policy,
        { userId: user.id, device, ip },
        {
          kind: 'login.succeeded',
          ...(how.method ? { detail: { secondFactor: how.method } } : {}),
        },
      );
      if (how.rememberedId) await twoFactor.rememberedUsed(tx, how.rememberedId);
      // A browser already remembered keeps its token; a new one is given when asked for. It
      // skips the second step later only if this sign-in passed one.
      const rememberToken =
        how.remember && !how.rememberedId
          ? await twoFactor.remember(tx, user.id, device, how.factorsOn && !!how.method)
          : undefined;
      return { session, rememberToken };
    });
    return {
      userId: user.id,
      token: session.token,
      expiresAt: session.expiresAt,
      newDevice: session.newDevice,
      kdf: kdfOf(user),
      salt: toB64(user.salt),
      wrappedAccountKey: toB64(user.wrappedAccountKey),
      generation: user.keyGeneration,
      ...(rememberToken ? { rememberToken } : {}),
    };
  }

  /** The authKey of a signed-in user checked again (throttled and audited like a login). */
  async function recheckPassword(authKey: string, who: Who, ip: string) {
    const [user] = await db.select().from(users).where(eq(users.id, who.userId));
    if (!user) throw badCredentials();
    const attempt = await reserveAttempt(db, { emailHash: emailKey(user.email), ip });
    if (!(await verifyAuthKey(fromB64(authKey), user.authHash))) {
      await recordAudit(db, { kind: 'login.failed', userId: user.id, ip, deviceId: who.deviceId });
      throw badCredentials();
    }
    await attempt.succeeded();
    return user;
  }
}

/**
 * The columns a new master password replaces (its authKey hash, KDF, salt and the account key
 * wrapped under it): a password change, or a recovery.
 */
export async function newCredentials(input: Omit<ChangePasswordInput, 'authKey'>) {
  return {
    authHash: await hashAuthKey(fromB64(input.newAuthKey)),
    kdfM: input.newKdf.m,
    kdfT: input.newKdf.t,
    kdfP: input.newKdf.p,
    salt: fromB64(input.newSalt),
    wrappedAccountKey: fromB64(input.newWrappedAccountKey),
  };
}

interface Who {
  userId: string;
  sessionId: string;
  deviceId: string;
}

export type Accounts = ReturnType<typeof createAccounts>;
