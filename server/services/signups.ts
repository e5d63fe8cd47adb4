import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.ts';
import { signupInvitations } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { accountCount } from './acting-for.ts';
import { sha256 } from './bytes.ts';
import { newCode, normaliseCode } from './codes.ts';
import { decideSignup, effectiveMode, refusalMessage, type SignupMode } from './decide-signup.ts';

export interface SignupPolicy {
  configured: SignupMode | undefined;
  domains: string[] | undefined;
}

export const INVITATION_DAYS = 7;
/** Serialises sign-ups that decide by the number of accounts (the first one claims the server). */
const FIRST_ACCOUNT_LOCK = 0x436f6601;
const hashCode = (code: string) => sha256(`cofre/v1/signup-invitation|${normaliseCode(code)}`);

export async function createSignupInvitation(
  db: Db | Tx,
  input: { email: string; kind: 'admin' | 'vault'; createdBy: string | null; days?: number },
) {
  const code = newCode(20);
  const expiresAt = new Date(Date.now() + (input.days ?? INVITATION_DAYS) * 86_400_000);
  const [row] = await db
    .insert(signupInvitations)
    .values({
      codeHash: hashCode(code),
      email: input.email,
      kind: input.kind,
      createdBy: input.createdBy,
      expiresAt,
    })
    .returning({ id: signupInvitations.id });
  return { id: row!.id, code, email: input.email, expiresAt: expiresAt.toISOString() };
}

const refused = (reason: Parameters<typeof refusalMessage>[0], domains: string[] | undefined) =>
  new AppError('FORBIDDEN', refusalMessage(reason, domains), undefined, `signup-${reason}`);

export function createSignups(policy: SignupPolicy) {
  /**
   * Refuses (FORBIDDEN, a sentence the person can act on) a sign-up the policy does not allow;
   * returns the invitation to use up, if any. In a transaction, call it again after taking the
   * lock so that two first sign-ups cannot both be first.
   */
  async function check(db: Db | Tx, email: string, code: string | undefined) {
    const [invitation] = code
      ? await db
          .select()
          .from(signupInvitations)
          .where(eq(signupInvitations.codeHash, hashCode(code)))
      : [];
    const decision = decideSignup({
      configured: policy.configured,
      accounts: policy.configured ? 1 : await accountCount(db),
      domains: policy.domains,
      email,
      code: code === undefined ? null : { invitation: invitation ?? null },
      now: new Date(),
    });
    if (!decision.allow) throw refused(decision.reason, policy.domains);
    return decision.consumesInvitation ? invitation!.id : null;
  }

  return {
    /** What the sign-up form should ask for. */
    async describe(db: Db) {
      const mode = effectiveMode(policy.configured, policy.configured ? 1 : await accountCount(db));
      return { mode, domains: policy.domains ?? null };
    },

    /** Before the expensive part of a sign-up: refuses early, with nothing written. */
    precheck: (db: Db, email: string, code: string | undefined) => check(db, email, code),

    /**
     * Inside the sign-up's transaction, before the account is written: the same decision, under
     * a lock when it depends on the number of accounts, and the invitation used up atomically
     * (two sign-ups with one code: one wins).
     */
    async admit(tx: Tx, email: string, code: string | undefined, userId: string) {
      if (!policy.configured)
        await tx.execute(sql`select pg_advisory_xact_lock(${FIRST_ACCOUNT_LOCK})`);
      const invitationId = await check(tx, email, code);
      if (!invitationId) return;
      const used = await tx
        .update(signupInvitations)
        .set({ usedAt: sql`now()`, usedBy: userId })
        .where(
          sql`${signupInvitations.id} = ${invitationId} and ${signupInvitations.usedAt} is null`,
        )
        .returning({ id: signupInvitations.id });
      if (used.length === 0) throw refused('bad-code', policy.domains);
    },

    /** Whether a member's vault invitation should come with a sign-up code. */
    async vaultInvitationsMakeCodes(db: Db | Tx) {
      const mode = effectiveMode(policy.configured, policy.configured ? 1 : await accountCount(db));
      return mode === 'invite';
    },
  };
}

export type Signups = ReturnType<typeof createSignups>;
