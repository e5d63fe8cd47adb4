// Accounts: prelogin, register, login, password change, account key rotation. The server only ever sees authKey (a
// KDF output), stores Argon2id of it, and keeps the account key wrapped by the client.
import { createHmac, randomBytes } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type {
  ChangePasswordInput,
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
import { type SessionPolicy, signIn } from './sessions.ts';
import type { Signups } from './signups.ts';
import { emailKey, reserveAttempt } from './throttle.ts';

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

export function createAccounts(db: Db, policy: SessionPolicy, signups: Signups) {
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
        const session = await signIn(
          tx,
          policy,
          { userId: input.userId, device: input.device, ip },
          { kind: 'account.registered' },
        );
        return { userId: input.userId, token: session.token, expiresAt: session.expiresAt };
      });
    },

    async login(input: LoginInput, ip: string) {
      const attempt = await reserveAttempt(db, { emailHash: emailKey(input.email), ip });
      const [user] = await db.select().from(users).where(eq(users.email, input.email));
      const ok = await verifyAuthKey(fromB64(input.authKey), user?.authHash ?? (await decoyHash()));
      if (!user || !ok) {
        await recordAudit(db, {
          kind: 'login.failed',
          userId: user?.id ?? null,
          ip,
          deviceId: input.device.id,
        });
        throw badCredentials();
      }
      await attempt.succeeded();
      const session = await db.transaction((tx) =>
        signIn(
          tx,
          policy,
          { userId: user.id, device: input.device, ip },
          { kind: 'login.succeeded' },
        ),
      );
      return {
        userId: user.id,
        token: session.token,
        expiresAt: session.expiresAt,
        newDevice: session.newDevice,
        kdf: kdfOf(user),
        salt: toB64(user.salt),
        wrappedAccountKey: toB64(user.wrappedAccountKey),
        generation: user.keyGeneration,
      };
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
