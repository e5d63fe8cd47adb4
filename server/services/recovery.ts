// Recovery kits on the server: it keeps, per kit, only an Argon2id hash of the key a recovery
// proves itself with. Recovering sets a new master password (same account key), ends every
// session and signs the recovering device in. Throttled like a login; a wrong kit, email or key
// gives the same UNAUTHORIZED answer.
import { and, desc, eq } from 'drizzle-orm';
import type {
  CheckKitInput,
  CreateKitInput,
  RecoverInput,
} from '../../shared/protocol/recovery.ts';
import type { Db } from '../db/client.ts';
import { recoveryKits, sessions, users } from '../db/schema.ts';
import { AppError, badCredentials } from '../errors.ts';
import { type Accounts, newCredentials } from './accounts.ts';
import { recordAudit } from './audit.ts';
import { decoyHash, hashAuthKey, verifyAuthKey } from './auth-hash.ts';
import { fromB64 } from './bytes.ts';
import { type SessionPolicy, signIn } from './sessions.ts';
import { emailKey, reserveAttempt } from './throttle.ts';

type Who = { userId: string; sessionId: string; deviceId: string };

export function createRecovery(db: Db, policy: SessionPolicy, accounts: Accounts) {
  return {
    async create(input: CreateKitInput, who: Who, ip: string) {
      await accounts.recheckPassword(input.authKey, who, ip);
      await db.insert(recoveryKits).values({
        id: input.id,
        userId: who.userId,
        authHash: await hashAuthKey(fromB64(input.recoveryAuthKey)),
        threshold: input.threshold,
        shares: input.shares,
      });
      await recordAudit(db, {
        kind: 'recovery-kit.created',
        userId: who.userId,
        ip,
        deviceId: who.deviceId,
        detail: { threshold: input.threshold, shares: input.shares },
      });
      return { id: input.id };
    },

    async list(userId: string) {
      const rows = await db
        .select()
        .from(recoveryKits)
        .where(eq(recoveryKits.userId, userId))
        .orderBy(desc(recoveryKits.createdAt));
      return rows.map((k) => ({
        id: k.id,
        threshold: k.threshold,
        shares: k.shares,
        createdAt: k.createdAt.toISOString(),
        lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
      }));
    },

    /** The kit proved (throttled, audited when it fails) and the account key's generation. */
    async check(input: CheckKitInput, ip: string, deviceId: string | null = null) {
      const attempt = await reserveAttempt(db, { emailHash: emailKey(input.email), ip });
      const [row] = await db
        .select({
          userId: users.id,
          authHash: recoveryKits.authHash,
          generation: users.keyGeneration,
        })
        .from(users)
        .innerJoin(recoveryKits, eq(recoveryKits.userId, users.id))
        .where(and(eq(users.email, input.email), eq(recoveryKits.id, input.kitId)));
      const ok = await verifyAuthKey(
        fromB64(input.recoveryAuthKey),
        row?.authHash ?? (await decoyHash()),
      );
      if (!row || !ok) {
        await recordAudit(db, {
          kind: 'recovery.failed',
          userId: row?.userId ?? null,
          ip,
          deviceId,
        });
        throw badCredentials();
      }
      await attempt.succeeded();
      return row;
    },

    async recover(input: RecoverInput, ip: string) {
      const row = await this.check(input, ip, input.device.id);
      const credentials = await newCredentials(input);
      const session = await db.transaction(async (tx) => {
        const [user] = await tx
          .select({ generation: users.keyGeneration })
          .from(users)
          .where(eq(users.id, row.userId))
          .for('update');
        if (user?.generation !== input.generation)
          throw new AppError('CONFLICT', 'The account key changed since the kit was checked.');
        await tx.update(users).set(credentials).where(eq(users.id, row.userId));
        await tx.delete(sessions).where(eq(sessions.userId, row.userId));
        await tx
          .update(recoveryKits)
          .set({ lastUsedAt: new Date() })
          .where(eq(recoveryKits.id, input.kitId));
        return signIn(
          tx,
          policy,
          { userId: row.userId, device: input.device, ip },
          { kind: 'account.recovered', detail: { kitId: input.kitId } },
        );
      });
      return {
        userId: row.userId,
        token: session.token,
        expiresAt: session.expiresAt,
        newDevice: session.newDevice,
      };
    },
  };
}

export type Recovery = ReturnType<typeof createRecovery>;
