// Passkeys (WebAuthn via @simplewebauthn/server): registration and login ceremonies bound to the
// extension's id, one-use challenges in the database, counter checks, and the PRF-wrapped
// account key handed to a new device after a passkey login.
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  authenticationResponseSchema,
  passkeyLoginInput,
  passkeyRegisterInput,
} from '../../shared/protocol/passkeys.ts';
import type { Db } from '../db/client.ts';
import { passkeys, users, webauthnChallenges } from '../db/schema.ts';
import { AppError } from '../errors.ts';

/**
 * @simplewebauthn/server (with its X.509 and ASN.1 stack) is loaded on the first ceremony, not
 * at start: it is ~15 MiB of an idle server's RSS, and most servers see a ceremony rarely.
 */
const webauthn = () => import('@simplewebauthn/server');

import { recordAudit } from './audit.ts';
import { fromB64, toB64 } from './bytes.ts';
import { type SessionPolicy, signIn } from './sessions.ts';
import { reserveAttempt } from './throttle.ts';

const CHALLENGE_TTL_MS = 5 * 60_000;

type AssertionResponse = z.infer<typeof authenticationResponseSchema>;

export interface PasskeyPolicy {
  /** Allowed `chrome-extension://<id>` origins; the first is the default relying party. */
  origins: string[];
}

interface Caller {
  ip: string;
  origin: string | undefined;
}

const rejected = () => new AppError('UNAUTHORIZED', 'The passkey could not be verified.');

/** Reads the challenge out of clientDataJSON so it can be consumed before verification. */
function challengeOf(clientDataJSON: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'));
    // Challenges are base64url (ours are): anything else — a NUL, which Postgres text cannot
    // hold, or any other character — is not one of ours, and never reaches the query.
    if (
      typeof parsed?.challenge === 'string' &&
      parsed.challenge.length <= 128 &&
      /^[A-Za-z0-9_-]*$/.test(parsed.challenge)
    )
      return parsed.challenge;
  } catch {}
  throw rejected();
}

export function createPasskeys(db: Db, sessionPolicy: SessionPolicy, policy: PasskeyPolicy) {
  /** The relying party for this request: the calling extension if it is allowed. */
  const rpFor = (origin: string | undefined) => {
    const o = origin && policy.origins.includes(origin) ? origin : policy.origins[0]!;
    return { origin: o, id: o.replace('chrome-extension://', '') };
  };
  // Chromium hashes the full origin as the RP id of an extension page (MACHINE-NOTES.md).
  const expectedRPID = policy.origins.flatMap((o) => [o, o.replace('chrome-extension://', '')]);

  async function saveChallenge(
    challenge: string,
    purpose: 'register' | 'login' | 'second-factor',
    userId: string | null,
  ) {
    await db.insert(webauthnChallenges).values({
      challenge,
      purpose,
      userId,
      expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS),
    });
  }

  /** Deletes and returns a live challenge: each can be used once, on any instance. */
  async function consumeChallenge(
    challenge: string,
    purpose: 'register' | 'login' | 'second-factor',
  ) {
    const [row] = await db
      .delete(webauthnChallenges)
      .where(
        and(
          eq(webauthnChallenges.challenge, challenge),
          eq(webauthnChallenges.purpose, purpose),
          gt(webauthnChallenges.expiresAt, sql`now()`),
        ),
      )
      .returning();
    if (!row) throw rejected();
    return row;
  }

  /**
   * Verifies an assertion of `cred` for `challenge` and moves its counter forward with a
   * compare-and-swap (a cloned authenticator replaying an old counter loses). UV: required for
   * a passkey sign-in (it is both factors); a security key after the password need not.
   */
  async function checkAssertion(
    cred: typeof passkeys.$inferSelect,
    challenge: string,
    response: AssertionResponse,
    requireUserVerification: boolean,
  ): Promise<boolean> {
    const verification = await (await webauthn())
      .verifyAuthenticationResponse({
        // biome-ignore lint/suspicious/noExplicitAny: shape checked by zod; the library re-checks.
        response: response as any,
        expectedChallenge: challenge,
        expectedOrigin: policy.origins,
        expectedRPID,
        credential: {
          id: cred.id,
          publicKey: new Uint8Array(cred.publicKey),
          counter: cred.counter,
          transports: cred.transports as never,
        },
        requireUserVerification,
      })
      .catch(() => ({ verified: false as const, authenticationInfo: undefined }));
    if (!verification.verified || !verification.authenticationInfo) return false;
    const { newCounter } = verification.authenticationInfo;
    const updated = await db
      .update(passkeys)
      .set({ counter: newCounter, lastUsedAt: sql`now()` })
      .where(
        and(
          eq(passkeys.id, cred.id),
          newCounter === 0 ? eq(passkeys.counter, 0) : lt(passkeys.counter, newCounter),
        ),
      )
      .returning({ id: passkeys.id });
    return updated.length > 0;
  }

  return {
    async registrationOptions(userId: string, caller: Caller, secondFactor = false) {
      const [user] = await db.select().from(users).where(eq(users.id, userId));
      if (!user) throw rejected();
      const existing = await db.select().from(passkeys).where(eq(passkeys.userId, userId));
      const options = await (await webauthn()).generateRegistrationOptions({
        rpName: 'Cofre',
        rpID: rpFor(caller.origin).id,
        userName: user.email,
        userID: new Uint8Array(Buffer.from(userId.replaceAll('-', ''), 'hex')),
        attestationType: 'none',
        excludeCredentials: existing.map((p) => ({ id: p.id, transports: p.transports })),
        // A passkey signs in (and unlocks) alone: discoverable, verifying its user. A security
        // key as the second step after the password need be neither.
        authenticatorSelection: secondFactor
          ? { residentKey: 'discouraged', userVerification: 'preferred' }
          : { residentKey: 'required', userVerification: 'required' },
      });
      await saveChallenge(options.challenge, 'register', userId);
      return options;
    },

    async register(
      input: z.infer<typeof passkeyRegisterInput>,
      who: { userId: string; deviceId: string },
      caller: Caller,
    ) {
      const challenge = await consumeChallenge(
        challengeOf(input.response.response.clientDataJSON),
        'register',
      );
      if (challenge.userId !== who.userId) throw rejected();
      const verification = await (await webauthn())
        .verifyRegistrationResponse({
          // biome-ignore lint/suspicious/noExplicitAny: shape checked by zod; the library re-checks.
          response: input.response as any,
          expectedChallenge: challenge.challenge,
          expectedOrigin: policy.origins,
          expectedRPID,
          requireUserVerification: !input.secondFactor,
        })
        .catch(() => ({ verified: false as const }));
      if (!verification.verified) throw rejected();
      const info = verification.registrationInfo;
      const inserted = await db
        .insert(passkeys)
        .values({
          id: info.credential.id,
          userId: who.userId,
          name: input.name,
          publicKey: info.credential.publicKey,
          counter: info.credential.counter,
          transports: info.credential.transports ?? [],
          backedUp: info.credentialBackedUp,
          prfSalt: input.prfSalt ? fromB64(input.prfSalt) : null,
          prfWrappedAccountKey: input.prfWrappedAccountKey
            ? fromB64(input.prfWrappedAccountKey)
            : null,
        })
        .onConflictDoNothing()
        .returning({ id: passkeys.id });
      if (inserted.length === 0)
        throw new AppError('CONFLICT', 'This passkey is already registered.');
      await recordAudit(db, {
        kind: 'passkey.added',
        userId: who.userId,
        ip: caller.ip,
        deviceId: who.deviceId,
        detail: { credentialId: info.credential.id },
      });
      return { id: info.credential.id };
    },

    async list(userId: string) {
      const rows = await db
        .select()
        .from(passkeys)
        .where(eq(passkeys.userId, userId))
        .orderBy(passkeys.createdAt);
      return rows.map((p) => ({
        id: p.id,
        name: p.name,
        createdAt: p.createdAt.toISOString(),
        lastUsedAt: p.lastUsedAt?.toISOString() ?? null,
        hasPrf: p.prfWrappedAccountKey !== null,
        secondFactor: p.secondFactor,
      }));
    },

    async remove(id: string, who: { userId: string; deviceId: string }, ip: string) {
      // A second factor goes through twoFactor.removeKey, with the master password.
      const gone = await db
        .delete(passkeys)
        .where(
          and(
            eq(passkeys.id, id),
            eq(passkeys.userId, who.userId),
            eq(passkeys.secondFactor, false),
          ),
        )
        .returning({ id: passkeys.id });
      if (gone.length === 0) throw new AppError('NOT_FOUND', 'No such passkey.');
      await recordAudit(db, {
        kind: 'passkey.removed',
        userId: who.userId,
        ip,
        deviceId: who.deviceId,
        detail: { credentialId: id },
      });
      return {};
    },

    /**
     * With a known email, lists that account's credentials and, for each, the PRF salt to
     * evaluate (base64url, in `extensions.prf.evalByCredential`); otherwise a discoverable
     * ceremony.
     */
    async loginOptions(email: string | undefined, caller: Caller) {
      const creds = email
        ? await db
            .select({ id: passkeys.id, transports: passkeys.transports, prfSalt: passkeys.prfSalt })
            .from(passkeys)
            .innerJoin(users, eq(users.id, passkeys.userId))
            .where(eq(users.email, email))
        : [];
      const options = await (await webauthn()).generateAuthenticationOptions({
        rpID: rpFor(caller.origin).id,
        allowCredentials: creds.map((c) => ({ id: c.id, transports: c.transports })),
        userVerification: 'required',
      });
      await saveChallenge(options.challenge, 'login', null);
      const evalByCredential = Object.fromEntries(
        creds.flatMap((c) => (c.prfSalt ? [[c.id, { first: toB64(c.prfSalt) }]] : [])),
      );
      return Object.keys(evalByCredential).length > 0
        ? { ...options, extensions: { ...options.extensions, prf: { evalByCredential } } }
        : options;
    },

    async login(input: z.infer<typeof passkeyLoginInput>, caller: Caller) {
      const attempt = await reserveAttempt(db, { emailHash: null, ip: caller.ip });
      const fail = async (userId: string | null) => {
        await recordAudit(db, {
          kind: 'passkey.login.failed',
          userId,
          ip: caller.ip,
          deviceId: input.device.id,
        });
        return rejected();
      };
      const challenge = await consumeChallenge(
        challengeOf(input.response.response.clientDataJSON),
        'login',
      ).catch(() => null);
      const [cred] = await db.select().from(passkeys).where(eq(passkeys.id, input.response.id));
      if (!challenge || !cred) throw await fail(cred?.userId ?? null);
      if (!(await checkAssertion(cred, challenge.challenge, input.response, true)))
        throw await fail(cred.userId);
      await attempt.succeeded();
      const session = await db.transaction((tx) =>
        signIn(
          tx,
          sessionPolicy,
          { userId: cred.userId, device: input.device, ip: caller.ip },
          { kind: 'passkey.login.succeeded', detail: { credentialId: cred.id } },
        ),
      );
      return {
        userId: cred.userId,
        token: session.token,
        expiresAt: session.expiresAt,
        newDevice: session.newDevice,
        ...(cred.prfSalt && cred.prfWrappedAccountKey
          ? { prfSalt: toB64(cred.prfSalt), prfWrappedAccountKey: toB64(cred.prfWrappedAccountKey) }
          : {}),
      };
    },

    /** The challenge for the second step of a sign-in: any of the account's credentials. */
    async secondFactorOptions(userId: string, caller: Caller) {
      const creds = await db
        .select({ id: passkeys.id, transports: passkeys.transports })
        .from(passkeys)
        .where(eq(passkeys.userId, userId));
      const options = await (await webauthn()).generateAuthenticationOptions({
        rpID: rpFor(caller.origin).id,
        allowCredentials: creds.map((c) => ({ id: c.id, transports: c.transports })),
        userVerification: 'preferred',
      });
      await saveChallenge(options.challenge, 'second-factor', userId);
      return options;
    },

    /** True when `response` answers a second-step challenge made for `userId` with its key. */
    async verifySecondFactor(userId: string, response: AssertionResponse, _caller: Caller) {
      const challenge = await consumeChallenge(
        challengeOf(response.response.clientDataJSON),
        'second-factor',
      ).catch(() => null);
      if (!challenge || challenge.userId !== userId) return false;
      const [cred] = await db
        .select()
        .from(passkeys)
        .where(and(eq(passkeys.id, response.id), eq(passkeys.userId, userId)));
      if (!cred) return false;
      return checkAssertion(cred, challenge.challenge, response, false);
    },

    async deleteExpiredChallenges() {
      const gone = await db
        .delete(webauthnChallenges)
        .where(lt(webauthnChallenges.expiresAt, sql`now()`))
        .returning({ c: webauthnChallenges.challenge });
      return gone.length;
    },
  };
}

export type Passkeys = ReturnType<typeof createPasskeys>;
