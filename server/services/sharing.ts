// Sharing on the server (SHARING.md): identities, shared vaults, grants, invitations. The server
// checks what it can — who may call, the role a write needs, that a statement names what the
// call says — but it cannot make a grant or an identity: clients verify signatures and pins.
// Every membership change takes the vault's row lock, as a vault push does, so a member removed
// or demoted writes nothing after the change commits. Every action is audited.

import { createHash } from 'node:crypto';
import { and, asc, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import { normaliseEmail } from '../../shared/crypto/associated-data.ts';
import {
  type GrantInput,
  type GrantStatement,
  grantStatementSchema,
  invitationStatementSchema,
  type Role,
} from '../../shared/protocol/sharing.ts';
import { identityStatementSchema } from '../../shared/sharing/identity.ts';
import { SharingError } from '../../shared/sharing/sharing-error.ts';
import { readStatement, type Signed } from '../../shared/sharing/signed.ts';
import type { Db, Tx } from '../db/client.ts';
import {
  identities,
  users,
  vaultGrants,
  vaultInvitations,
  vaultRetiredKeys,
  vaults,
} from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { userByEmail } from './acting-for.ts';
import { recordAudit } from './audit.ts';
import { fromB64, toB64 } from './bytes.ts';
import { VAULTS_CHANNEL_SUFFIX } from './change-hub.ts';
import { createSignupInvitation, type Signups } from './signups.ts';
import { CHANGES_CHANNEL } from './sync.ts';

export interface SharingLimits {
  membersPerVault: number;
  vaultsPerUser: number;
}

interface Who {
  userId: string;
  deviceId: string;
}

const signedOf = (body: Uint8Array, sig: Uint8Array): Signed => ({
  body: toB64(body),
  sig: toB64(sig),
});

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest().toString('base64url');

/** A statement's fields, read (not verified: the server holds no one's trust) or BAD_REQUEST. */
function read<T>(signed: Signed, schema: Parameters<typeof readStatement<T>>[1], what: string): T {
  try {
    return readStatement(signed, schema, what);
  } catch (err) {
    if (err instanceof SharingError) throw new AppError('BAD_REQUEST', err.message);
    throw err;
  }
}

const notFound = () => new AppError('NOT_FOUND', 'No such vault, or you are not a member of it.');

const MAY_MANAGE: readonly Role[] = ['owner', 'manager'];

/** A vault's members now: grants of its current generation, not removed. */
const currentMembers = (q: Db | Tx, vaultId: string) =>
  q
    .select({ userId: vaultGrants.userId, role: vaultGrants.role })
    .from(vaultGrants)
    .innerJoin(
      vaults,
      and(eq(vaults.id, vaultGrants.vaultId), eq(vaults.generation, vaultGrants.generation)),
    )
    .where(and(eq(vaultGrants.vaultId, vaultId), isNull(vaultGrants.removedAt)));

export function createSharing(db: Db, limits: SharingLimits, opts: { signups?: Signups } = {}) {
  /** The caller's role at the vault's current generation, under the vault's row lock. */
  async function lockVault(tx: Tx, vaultId: string, userId: string) {
    const [vault] = await tx
      .select({ generation: vaults.generation, ownerId: vaults.ownerId })
      .from(vaults)
      .where(eq(vaults.id, vaultId))
      .for('update');
    if (!vault) throw notFound();
    const members = await currentMembers(tx, vaultId);
    const role = members.find((m) => m.userId === userId)?.role;
    if (!role) throw notFound();
    return { ...vault, role, members };
  }

  /** Checks a grant's statement against what the call claims and the key it comes with. */
  function checkGrant(
    input: GrantInput,
    expect: { vaultId: string; generation: number; grantedBy: string },
  ): GrantStatement {
    const g = read(input.grant, grantStatementSchema, 'grant');
    if (g.vaultId !== expect.vaultId || g.generation !== expect.generation)
      throw new AppError('BAD_REQUEST', 'The grant names another vault or generation.');
    if (g.grantedBy !== expect.grantedBy)
      throw new AppError('BAD_REQUEST', 'A grant is signed by the member who makes the call.');
    if (g.keyHash !== sha256(fromB64(input.sealedKey)))
      throw new AppError('BAD_REQUEST', 'The grant does not name the key it comes with.');
    return g;
  }

  const grantRow = (vaultId: string, g: GrantStatement, input: GrantInput) => ({
    vaultId,
    generation: g.generation,
    userId: g.member,
    role: g.role,
    grant: fromB64(input.grant.body),
    signature: fromB64(input.grant.sig),
    sealedKey: fromB64(input.sealedKey),
  });

  const notifyUsers = async (tx: Tx, userIds: string[]) => {
    for (const id of new Set(userIds))
      await tx.execute(
        sql`select pg_notify(${CHANGES_CHANNEL}, ${`${id}:${VAULTS_CHANNEL_SUFFIX}`})`,
      );
  };

  const audit = (
    tx: Tx,
    who: Who,
    kind: Parameters<typeof recordAudit>[1]['kind'],
    detail: Record<string, string | number>,
    ip: string,
  ) => recordAudit(tx, { kind, userId: who.userId, deviceId: who.deviceId, ip, detail });

  return {
    async publishIdentity(
      input: { identity: Signed; sealedPrivate: string },
      who: Who,
      ip: string,
    ) {
      const statement = read(input.identity, identityStatementSchema, 'identity');
      const [user] = await db
        .select({ email: users.email })
        .from(users)
        .where(eq(users.id, who.userId));
      if (!user) throw new AppError('UNAUTHORIZED', 'Account not found.');
      if (statement.userId !== who.userId || statement.email !== normaliseEmail(user.email))
        throw new AppError('BAD_REQUEST', 'The identity names another account or email.');
      const row = {
        userId: who.userId,
        statement: fromB64(input.identity.body),
        signature: fromB64(input.identity.sig),
        sealedPrivate: fromB64(input.sealedPrivate),
      };
      await db.transaction(async (tx) => {
        const [existing] = await tx
          .select({ statement: identities.statement })
          .from(identities)
          .where(eq(identities.userId, who.userId))
          .for('update');
        if (existing) {
          // An identity is made once; later calls only re-seal its private halves (a rotation).
          if (toB64(existing.statement) !== input.identity.body)
            throw new AppError('CONFLICT', 'This account already has an identity.');
          await tx
            .update(identities)
            .set({ sealedPrivate: row.sealedPrivate })
            .where(eq(identities.userId, who.userId));
          return;
        }
        await tx.insert(identities).values(row);
        await audit(tx, who, 'identity.published', {}, ip);
      });
      return {};
    },

    async ownIdentity(userId: string) {
      const [row] = await db.select().from(identities).where(eq(identities.userId, userId));
      if (!row) return null;
      return {
        identity: signedOf(row.statement, row.signature),
        sealedPrivate: toB64(row.sealedPrivate),
      };
    },

    /**
     * Another account's identity, only to someone with a reason to see it: they share a vault,
     * the other accepted an invitation the caller can confirm, or invited the caller. Anyone
     * else gets NOT_FOUND, as for an account that does not exist.
     */
    async identityOf(caller: string, userId: string) {
      const shared = await db.execute(sql`
        select 1 from vault_grants a
          join vaults v on v.id = a.vault_id and a.generation = v.generation
          join vault_grants b on b.vault_id = a.vault_id and b.generation = v.generation
        where a.user_id = ${caller} and b.user_id = ${userId} and a.removed_at is null
        union all
        select 1 from vault_invitations i
          join vaults v on v.id = i.vault_id
          join vault_grants m on m.vault_id = i.vault_id and m.generation = v.generation
        where i.accepted_by = ${userId} and m.user_id = ${caller} and m.removed_at is null
          and m.role in ('owner', 'manager')
        union all
        select 1 from vault_invitations i join users u on u.email = i.email
        where i.invited_by = ${userId} and u.id = ${caller}
        limit 1`);
      const allowed =
        caller === userId || (shared as unknown as { rows: unknown[] }).rows.length > 0;
      const [row] = allowed
        ? await db.select().from(identities).where(eq(identities.userId, userId))
        : [];
      if (!row) throw new AppError('NOT_FOUND', 'No identity to show for this account.');
      return { identity: signedOf(row.statement, row.signature) };
    },

    async createVault(input: { vaultId: string; owner: GrantInput }, who: Who, ip: string) {
      const g = checkGrant(input.owner, {
        vaultId: input.vaultId,
        generation: 1,
        grantedBy: who.userId,
      });
      if (g.member !== who.userId || g.role !== 'owner')
        throw new AppError('BAD_REQUEST', 'A new vault starts with its owner’s own grant.');
      await db.transaction(async (tx) => {
        await tx.select({ id: users.id }).from(users).where(eq(users.id, who.userId)).for('update');
        const [owned] = await tx
          .select({ n: count() })
          .from(vaults)
          .where(eq(vaults.ownerId, who.userId));
        if ((owned?.n ?? 0) >= limits.vaultsPerUser)
          throw new AppError(
            'FORBIDDEN',
            `An account may own at most ${limits.vaultsPerUser} shared vaults.`,
          );
        const inserted = await tx
          .insert(vaults)
          .values({ id: input.vaultId, ownerId: who.userId })
          .onConflictDoNothing()
          .returning({ id: vaults.id });
        if (inserted.length === 0) throw new AppError('CONFLICT', 'A vault with this id exists.');
        await tx.insert(vaultGrants).values(grantRow(input.vaultId, g, input.owner));
        await audit(tx, who, 'vault.created', { vault: input.vaultId }, ip);
      });
      return {};
    },

    async listVaults(userId: string) {
      const rows = await db.execute(sql`
        select v.id as "vaultId", m.role, v.generation, v.seq,
          (select count(*) from vault_grants c where c.vault_id = v.id
            and c.generation = v.generation and c.removed_at is null)::int as members
        from vault_grants m join vaults v on v.id = m.vault_id and m.generation = v.generation
        where m.user_id = ${userId} and m.removed_at is null
        order by v.created_at`);
      return (
        rows as unknown as {
          rows: Array<{
            vaultId: string;
            role: Role;
            generation: number;
            seq: string | number;
            members: number;
          }>;
        }
      ).rows.map((r) => ({ ...r, seq: Number(r.seq) }));
    },

    /** Every generation's grants (the caller's own with their sealed keys) and the retired keys. */
    async vaultState(userId: string, vaultId: string) {
      const [vault] = await db
        .select({ generation: vaults.generation })
        .from(vaults)
        .where(eq(vaults.id, vaultId));
      if (!vault) throw notFound();
      const grants = await db
        .select()
        .from(vaultGrants)
        .where(eq(vaultGrants.vaultId, vaultId))
        .orderBy(asc(vaultGrants.generation), asc(vaultGrants.createdAt));
      if (
        !grants.some(
          (g) => g.userId === userId && g.generation === vault.generation && !g.removedAt,
        )
      )
        throw notFound();
      const retired = await db
        .select({ generation: vaultRetiredKeys.generation, wrapped: vaultRetiredKeys.wrapped })
        .from(vaultRetiredKeys)
        .where(eq(vaultRetiredKeys.vaultId, vaultId))
        .orderBy(asc(vaultRetiredKeys.generation));
      return {
        vaultId,
        generation: vault.generation,
        grants: grants.map((g) => ({
          grant: signedOf(g.grant, g.signature),
          sealedKey: g.userId === userId ? toB64(g.sealedKey) : null,
          removed: g.removedAt !== null,
        })),
        retiredKeys: retired.map((r) => ({ generation: r.generation, wrapped: toB64(r.wrapped) })),
      };
    },

    /** A new member, who accepted an invitation, at the current generation (below owner). */
    async grant(input: { vaultId: string } & GrantInput, who: Who, ip: string) {
      await db.transaction(async (tx) => {
        const vault = await lockVault(tx, input.vaultId, who.userId);
        if (!MAY_MANAGE.includes(vault.role))
          throw new AppError(
            'FORBIDDEN',
            'Only the owner or a manager can add members or change roles.',
          );
        const g = checkGrant(input, {
          vaultId: input.vaultId,
          generation: vault.generation,
          grantedBy: who.userId,
        });
        if (g.role === 'owner') throw new AppError('FORBIDDEN', 'A vault has one owner.');
        if (vault.members.some((m) => m.userId === g.member))
          throw new AppError(
            'CONFLICT',
            'Already a member: a new role comes with a new generation.',
          );
        const [invited] = await tx
          .select({ id: vaultInvitations.id })
          .from(vaultInvitations)
          .where(
            and(
              eq(vaultInvitations.vaultId, input.vaultId),
              eq(vaultInvitations.acceptedBy, g.member),
              eq(vaultInvitations.status, 'accepted'),
            ),
          );
        if (!invited)
          throw new AppError('FORBIDDEN', 'Only someone who accepted an invitation can be added.');
        if (vault.members.length >= limits.membersPerVault)
          throw new AppError(
            'FORBIDDEN',
            `A vault may have at most ${limits.membersPerVault} members.`,
          );
        await tx
          .update(vaultInvitations)
          .set({ status: 'confirmed', answeredAt: new Date() })
          .where(eq(vaultInvitations.id, invited.id));
        // Grants of a generation are never replaced (the chain stays without cycles).
        const inserted = await tx
          .insert(vaultGrants)
          .values(grantRow(input.vaultId, g, input))
          .onConflictDoNothing()
          .returning({ userId: vaultGrants.userId });
        if (inserted.length === 0)
          throw new AppError(
            'CONFLICT',
            'This member had a grant in this generation; wait for the next.',
          );
        await audit(
          tx,
          who,
          'vault.member.added',
          { vault: input.vaultId, member: g.member, role: g.role },
          ip,
        );
        await notifyUsers(tx, vault.members.map((m) => m.userId).concat(g.member));
      });
      return {};
    },

    /** Ends a member's access at once (a member may leave; the owner deletes instead). */
    async removeMember(input: { vaultId: string; userId: string }, who: Who, ip: string) {
      await db.transaction(async (tx) => {
        const vault = await lockVault(tx, input.vaultId, who.userId);
        const target = vault.members.find((m) => m.userId === input.userId);
        if (!target) throw notFound();
        if (target.role === 'owner')
          throw new AppError(
            'FORBIDDEN',
            'The owner cannot leave or be removed; delete the vault instead.',
          );
        if (input.userId !== who.userId && !MAY_MANAGE.includes(vault.role))
          throw new AppError('FORBIDDEN', 'Only the owner or a manager can remove members.');
        await tx
          .update(vaultGrants)
          .set({ removedAt: new Date() })
          .where(
            and(
              eq(vaultGrants.vaultId, input.vaultId),
              eq(vaultGrants.generation, vault.generation),
              eq(vaultGrants.userId, input.userId),
            ),
          );
        await audit(
          tx,
          who,
          input.userId === who.userId ? 'vault.left' : 'vault.member.removed',
          { vault: input.vaultId, member: input.userId },
          ip,
        );
        await notifyUsers(
          tx,
          vault.members.map((m) => m.userId),
        );
      });
      return {};
    },

    /**
     * The next generation: one grant per remaining member (a role may change), and the retired
     * key wrapped by the new one (the same key, for a role change alone). From this commit on,
     * the vault's members and roles are these grants.
     */
    async rotate(
      input: { vaultId: string; generation: number; grants: GrantInput[]; retiredKey: string },
      who: Who,
      ip: string,
    ) {
      await db.transaction(async (tx) => {
        const vault = await lockVault(tx, input.vaultId, who.userId);
        if (!MAY_MANAGE.includes(vault.role))
          throw new AppError('FORBIDDEN', 'Only the owner or a manager can rotate the vault key.');
        if (input.generation !== vault.generation + 1)
          throw new AppError('CONFLICT', `The vault is at generation ${vault.generation}.`);
        const grants = input.grants.map((i) =>
          checkGrant(i, {
            vaultId: input.vaultId,
            generation: input.generation,
            grantedBy: who.userId,
          }),
        );
        const roles = new Map(vault.members.map((m) => [m.userId, m.role]));
        const named = new Set(grants.map((g) => g.member));
        if (
          named.size !== grants.length ||
          named.size !== roles.size ||
          grants.some((g) => !roles.has(g.member))
        )
          throw new AppError('CONFLICT', 'A new generation re-grants every member.');
        // Roles may change here (the only way they change): never a second owner, never the owner.
        const changed = grants.filter((g) => roles.get(g.member) !== g.role);
        if (changed.some((g) => g.role === 'owner' || roles.get(g.member) === 'owner'))
          throw new AppError('FORBIDDEN', 'A vault has one owner, whose role does not change.');
        await tx
          .insert(vaultGrants)
          .values(grants.map((g, i) => grantRow(input.vaultId, g, input.grants[i]!)));
        await tx.insert(vaultRetiredKeys).values({
          vaultId: input.vaultId,
          generation: vault.generation,
          wrapped: fromB64(input.retiredKey),
        });
        await tx
          .update(vaults)
          .set({ generation: input.generation })
          .where(eq(vaults.id, input.vaultId));
        await audit(
          tx,
          who,
          'vault.key.rotated',
          { vault: input.vaultId, generation: input.generation },
          ip,
        );
        for (const g of changed)
          await audit(
            tx,
            who,
            'vault.role.changed',
            { vault: input.vaultId, member: g.member, role: g.role },
            ip,
          );
        await notifyUsers(tx, [...roles.keys()]);
      });
      return {};
    },

    async deleteVault(input: { vaultId: string }, who: Who, ip: string) {
      await db.transaction(async (tx) => {
        const vault = await lockVault(tx, input.vaultId, who.userId);
        if (vault.role !== 'owner')
          throw new AppError('FORBIDDEN', 'Only the owner can delete a vault.');
        await tx.delete(vaults).where(eq(vaults.id, input.vaultId));
        await audit(tx, who, 'vault.deleted', { vault: input.vaultId }, ip);
        await notifyUsers(
          tx,
          vault.members.map((m) => m.userId),
        );
      });
      return {};
    },

    /**
     * Stores a signed invitation for an email. The answer is the same whether or not an account
     * has that email: nothing here looks accounts up.
     */
    async invite(
      input: {
        vaultId: string;
        email: string;
        role: 'manager' | 'editor' | 'viewer';
        invitation: Signed;
      },
      who: Who,
      ip: string,
    ) {
      const inv = read(input.invitation, invitationStatementSchema, 'invitation');
      if (
        inv.vaultId !== input.vaultId ||
        inv.email !== input.email ||
        inv.role !== input.role ||
        inv.by !== who.userId
      )
        throw new AppError(
          'BAD_REQUEST',
          'The invitation names another vault, email, role or inviter.',
        );
      return db.transaction(async (tx) => {
        const vault = await lockVault(tx, input.vaultId, who.userId);
        if (!MAY_MANAGE.includes(vault.role))
          throw new AppError('FORBIDDEN', 'Only the owner or a manager can invite.');
        const [pending] = await tx
          .select({ n: count() })
          .from(vaultInvitations)
          .where(
            and(
              eq(vaultInvitations.vaultId, input.vaultId),
              inArray(vaultInvitations.status, ['pending', 'accepted']),
            ),
          );
        if (vault.members.length + (pending?.n ?? 0) >= limits.membersPerVault)
          throw new AppError(
            'FORBIDDEN',
            `A vault may have at most ${limits.membersPerVault} members.`,
          );
        const inserted = await tx
          .insert(vaultInvitations)
          .values({
            id: inv.id,
            vaultId: input.vaultId,
            email: input.email,
            role: input.role,
            invitedBy: who.userId,
            invitation: fromB64(input.invitation.body),
            signature: fromB64(input.invitation.sig),
          })
          .onConflictDoNothing()
          .returning({ id: vaultInvitations.id });
        if (inserted.length === 0)
          throw new AppError('CONFLICT', 'An invitation with this id exists.');
        // The invitee's devices (if the email has an account) hear of it at once; the inviter
        // learns nothing about whether it does.
        const invitee = await userByEmail(tx, input.email);
        await notifyUsers(tx, invitee ? [invitee] : []);
        await audit(
          tx,
          who,
          'vault.invited',
          { vault: input.vaultId, invitation: inv.id, role: input.role },
          ip,
        );
        // On a server that takes sign-ups by invitation, the invitation also opens a sign-up
        // for that email — made whether or not it has an account, so the answer tells nothing.
        const signup = (await opts.signups?.vaultInvitationsMakeCodes(tx))
          ? await createSignupInvitation(tx, {
              email: input.email,
              kind: 'vault',
              createdBy: who.userId,
            })
          : null;
        return {
          id: inv.id,
          ...(signup ? { signupCode: signup.code, signupCodeExpiresAt: signup.expiresAt } : {}),
        };
      });
    },

    /** Invitations to the caller's email that wait for an answer or for a confirmation. */
    async receivedInvitations(userId: string) {
      const rows = await db.execute(sql`
        select i.id, i.vault_id as "vaultId", i.invitation, i.signature, i.status,
               d.statement, d.signature as "identitySignature"
        from users u
          join vault_invitations i on i.email = u.email and i.status in ('pending', 'accepted')
          join identities d on d.user_id = i.invited_by
        where u.id = ${userId}
        order by i.created_at`);
      type Row = {
        id: string;
        vaultId: string;
        invitation: Uint8Array;
        signature: Uint8Array;
        status: 'pending' | 'accepted';
        statement: Uint8Array;
        identitySignature: Uint8Array;
      };
      return (rows as unknown as { rows: Row[] }).rows.map((r) => ({
        id: r.id,
        vaultId: r.vaultId,
        invitation: signedOf(bytesOf(r.invitation), bytesOf(r.signature)),
        inviter: signedOf(bytesOf(r.statement), bytesOf(r.identitySignature)),
        status: r.status,
      }));
    },

    async respond(input: { id: string; accept: boolean }, who: Who, ip: string) {
      await db.transaction(async (tx) => {
        const [row] = await tx
          .select({ vaultId: vaultInvitations.vaultId, status: vaultInvitations.status })
          .from(vaultInvitations)
          .innerJoin(users, eq(users.email, vaultInvitations.email))
          .where(and(eq(vaultInvitations.id, input.id), eq(users.id, who.userId)))
          .for('update', { of: vaultInvitations });
        if (row?.status !== 'pending')
          throw new AppError('NOT_FOUND', 'No such invitation waits for you.');
        await tx
          .update(vaultInvitations)
          .set({
            status: input.accept ? 'accepted' : 'declined',
            acceptedBy: input.accept ? who.userId : null,
            answeredAt: new Date(),
          })
          .where(eq(vaultInvitations.id, input.id));
        await audit(
          tx,
          who,
          input.accept ? 'vault.invitation.accepted' : 'vault.invitation.declined',
          { vault: row.vaultId, invitation: input.id },
          ip,
        );
        const managers = (await currentMembers(tx, row.vaultId)).filter((m) =>
          MAY_MANAGE.includes(m.role),
        );
        await notifyUsers(
          tx,
          managers.map((m) => m.userId),
        );
      });
      return {};
    },

    /** A vault's invitations, for its owner and managers. */
    async sentInvitations(userId: string, vaultId: string) {
      const me = (await currentMembers(db, vaultId)).find((m) => m.userId === userId);
      if (!me || !MAY_MANAGE.includes(me.role)) throw notFound();
      const rows = await db
        .select()
        .from(vaultInvitations)
        .where(eq(vaultInvitations.vaultId, vaultId))
        .orderBy(asc(vaultInvitations.createdAt));
      return rows.map((r) => ({
        id: r.id,
        vaultId: r.vaultId,
        email: r.email,
        role: r.role,
        invitation: signedOf(r.invitation, r.signature),
        status: r.status,
        acceptedBy: r.acceptedBy,
        createdAt: r.createdAt.toISOString(),
      }));
    },

    /** Withdraws an invitation not yet confirmed (the vault's owner or managers). */
    async cancelInvitation(input: { id: string }, who: Who, ip: string) {
      await db.transaction(async (tx) => {
        const [row] = await tx
          .select({ vaultId: vaultInvitations.vaultId })
          .from(vaultInvitations)
          .where(eq(vaultInvitations.id, input.id));
        if (!row) throw new AppError('NOT_FOUND', 'No such invitation.');
        const vault = await lockVault(tx, row.vaultId, who.userId);
        if (!MAY_MANAGE.includes(vault.role))
          throw new AppError(
            'FORBIDDEN',
            'Only the owner or a manager can withdraw an invitation.',
          );
        await tx.delete(vaultInvitations).where(eq(vaultInvitations.id, input.id));
        await audit(
          tx,
          who,
          'vault.invitation.cancelled',
          { vault: row.vaultId, invitation: input.id },
          ip,
        );
      });
      return {};
    },
  };
}

/** bytea from a raw query: a Buffer on pg, a Uint8Array on PGlite. */
const bytesOf = (v: Uint8Array) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);

export type Sharing = ReturnType<typeof createSharing>;
