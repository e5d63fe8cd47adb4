// Grants and their chain (SHARING.md §3): who is a member of a shared vault, with which role,
// and the vault key. A client believes a membership only if every grant of the current
// generation leads back, signature by signature, to the owner's first self-signed grant through
// members whose role allowed it, with keys that match its pins. The server has no member's
// signing key and no vault key, so it can neither add a member nor hand out a key of its own.
//
// Rules, per generation g (1 … current G):
// - g = 1 starts with the owner's grant: role owner, signed by its own member.
// - a grant at g is signed by a member valid at g (an addition) or at g - 1 and not removed (a
//   new generation — a rotation, or a role change — re-grants every member); the signer is an
//   owner or a manager; no one makes a second owner or demotes the owner. Grants of one
//   generation are never replaced, so the chain has no cycles.
// - a member keeps one signing key across generations (a new key is a new person).
// - at G, every grant must chain (a gap is an attack); a grant marked removed is not a member.
import { fromBase64url, toBase64url } from '../crypto/bytes.ts';
import { importAesKey, open, seal } from '../crypto/envelope.ts';
import {
  type GrantStatement,
  grantStatementSchema,
  type InvitationStatement,
  invitationStatementSchema,
  type Role,
  type VaultState,
} from '../protocol/sharing.ts';
import { openFrom, sealTo } from './hpke.ts';
import type { Identity } from './identity.ts';
import { SharingError } from './sharing-error.ts';
import { hashOf, openStatement, readStatement, type Signed, signStatement } from './signed.ts';

export const vaultKeyInfo = (vaultId: string, member: string, generation: number) =>
  `cofre/v1/vault-key|${vaultId}|${member}|${generation}`;
export const retiredVaultKeyAd = (vaultId: string, generation: number) =>
  `cofre/v1/vault-retired|${vaultId}|${generation}`;
/** The scope a shared vault's records are bound to in their associated data. */
export const vaultScope = (vaultId: string) => `vault:${vaultId}`;

const MANAGERS: readonly Role[] = ['owner', 'manager'];

/** A grant of `role` at `generation` to `member`, with the vault key sealed to their encPub. */
export async function makeGrant(p: {
  signer: Identity;
  vaultId: string;
  member: { userId: string; signPub: string; encPub: string };
  role: Role;
  generation: number;
  vaultKey: Uint8Array;
  now?: string;
}): Promise<{ grant: Signed; sealedKey: string }> {
  const sealed = await sealTo(
    fromBase64url(p.member.encPub),
    p.vaultKey,
    vaultKeyInfo(p.vaultId, p.member.userId, p.generation),
  );
  const statement: GrantStatement = {
    v: 1,
    kind: 'grant',
    vaultId: p.vaultId,
    member: p.member.userId,
    memberSignPub: p.member.signPub,
    role: p.role,
    generation: p.generation,
    keyHash: await hashOf(sealed),
    grantedBy: p.signer.statement.userId,
    at: p.now ?? new Date().toISOString(),
  };
  return {
    grant: await signStatement(p.signer.signKey, statement),
    sealedKey: toBase64url(sealed),
  };
}

export async function makeInvitation(p: {
  signer: Identity;
  id: string;
  vaultId: string;
  email: string;
  role: 'manager' | 'editor' | 'viewer';
  now?: string;
}): Promise<Signed> {
  const statement: InvitationStatement = {
    v: 1,
    kind: 'invitation',
    id: p.id,
    vaultId: p.vaultId,
    email: p.email,
    role: p.role,
    by: p.signer.statement.userId,
    at: p.now ?? new Date().toISOString(),
  };
  return signStatement(p.signer.signKey, statement);
}

/** An invitation that verifies under the inviter's key and names this account's email. */
export async function openInvitation(
  signed: Signed,
  p: { inviterSignPub: string; inviter: string; email: string; id: string; vaultId: string },
): Promise<InvitationStatement> {
  const inv = await openStatement(
    signed,
    fromBase64url(p.inviterSignPub),
    invitationStatementSchema,
    'invitation',
  );
  if (inv.by !== p.inviter || inv.id !== p.id || inv.vaultId !== p.vaultId)
    throw new SharingError('WRONG_INVITATION', 'The invitation names another vault or inviter.');
  if (inv.email !== p.email)
    throw new SharingError('WRONG_INVITATION', 'The invitation was made for another email.');
  return inv;
}

export const wrapRetiredVaultKey = async (
  next: Uint8Array,
  retired: Uint8Array,
  vaultId: string,
  generation: number,
) =>
  toBase64url(
    await seal(await importAesKey(next), retired, retiredVaultKeyAd(vaultId, generation)),
  );

export interface Member {
  userId: string;
  role: Role;
  signPub: string;
  /** The generation of the grant that makes them a member now. */
  generation: number;
}

export interface VerifiedVault {
  vaultId: string;
  generation: number;
  owner: string;
  /** The current members (not removed), by user id. */
  members: Map<string, Member>;
  role: Role;
  /** The vault key of each generation this device can open, newest first. */
  keys: Array<{ generation: number; raw: Uint8Array }>;
  /** Everyone whose signing key the chain relies on: to pin, or to check against the pins. */
  keysSeen: Map<string, string>;
}

/** What this device pinned: the signing key it believes for each user id. */
export type Pins = ReadonlyMap<string, string>;

/** Checks a vault's whole chain of grants and opens this account's vault keys. */
export async function verifyVault(
  state: VaultState,
  p: { me: Identity; pins: Pins; minGeneration?: number },
): Promise<VerifiedVault> {
  const myId = p.me.statement.userId;
  const G = state.generation;
  if (p.minGeneration !== undefined && G < p.minGeneration)
    throw new SharingError(
      'STALE_GENERATION',
      `The vault is served at key generation ${G}; this device already saw ${p.minGeneration}.`,
    );
  type Entry = { g: GrantStatement; signed: Signed; sealedKey: string | null; removed: boolean };
  const byGeneration = new Map<number, Entry[]>();
  for (const w of state.grants) {
    const g = readStatement(w.grant, grantStatementSchema, 'grant');
    if (g.vaultId !== state.vaultId || g.generation > G)
      throw new SharingError('WRONG_GRANT', 'A grant names another vault or a later generation.');
    const list = byGeneration.get(g.generation) ?? [];
    if (list.some((e) => e.g.member === g.member))
      throw new SharingError('WRONG_GRANT', 'A member has two grants in one generation.');
    list.push({ g, signed: w.grant, sealedKey: w.sealedKey, removed: w.removed });
    byGeneration.set(g.generation, list);
  }
  const keysSeen = new Map<string, string>();
  const learn = (userId: string, signPub: string) => {
    const known = keysSeen.get(userId) ?? p.pins.get(userId);
    if (known !== undefined && known !== signPub)
      throw new SharingError(
        'KEY_CHANGED',
        `The signing key of member ${userId} is not the one this device pinned.`,
      );
    keysSeen.set(userId, signPub);
  };

  let owner: string | undefined;
  let previous = new Map<string, Entry>();
  let current = new Map<string, Entry>();
  for (let gen = 1; gen <= G; gen++) {
    const list = byGeneration.get(gen) ?? [];
    const valid = new Map<string, Entry>();
    if (gen === 1) {
      const roots = list.filter((e) => e.g.role === 'owner');
      const root = roots[0];
      if (roots.length !== 1 || !root || root.g.grantedBy !== root.g.member)
        throw new SharingError('CHAIN_GAP', 'The vault has no single self-signed owner grant.');
      await openStatement(
        root.signed,
        fromBase64url(root.g.memberSignPub),
        grantStatementSchema,
        'grant',
      );
      owner = root.g.member;
      learn(owner, root.g.memberSignPub);
      valid.set(owner, root);
    }
    let pending = list.filter((e) => !valid.has(e.g.member));
    for (let progress = true; progress && pending.length; ) {
      progress = false;
      const left: Entry[] = [];
      for (const e of pending) {
        const signer = valid.get(e.g.grantedBy) ?? previous.get(e.g.grantedBy);
        if (!signer) {
          left.push(e);
          continue;
        }
        await openStatement(
          e.signed,
          fromBase64url(signer.g.memberSignPub),
          grantStatementSchema,
          'grant',
        );
        if (!MANAGERS.includes(signer.g.role))
          throw new SharingError('ROLE_TOO_LOW', `A grant was signed by a ${signer.g.role}.`);
        if (
          e.g.role === 'owner' &&
          !(e.g.member === owner && previous.get(owner)?.g.role === 'owner')
        )
          throw new SharingError('ROLE_TOO_LOW', 'A grant makes a second owner.');
        if (e.g.member === owner && e.g.role !== 'owner')
          throw new SharingError('ROLE_TOO_LOW', 'A grant demotes the owner.');
        learn(e.g.member, e.g.memberSignPub);
        valid.set(e.g.member, e);
        progress = true;
      }
      pending = left;
    }
    if (pending.length && gen === G)
      throw new SharingError(
        'CHAIN_GAP',
        'A grant of the current generation is signed by no member of the vault.',
      );
    // A member removed at this generation signs nothing of the next one.
    previous = new Map([...valid].filter(([, e]) => !e.removed));
    current = valid;
  }

  const members = new Map<string, Member>();
  for (const [userId, e] of current)
    if (!e.removed)
      members.set(userId, { userId, role: e.g.role, signPub: e.g.memberSignPub, generation: G });
  const mine = current.get(myId);
  if (!mine || mine.removed)
    throw new SharingError('NOT_A_MEMBER', 'This account is not a member of the vault.');
  if (mine.g.memberSignPub !== p.me.statement.signPub)
    throw new SharingError(
      'KEY_CHANGED',
      'The vault holds a grant for another key of this account.',
    );

  // The current key from this member's own grant; older ones through the retired-key chain.
  const raw = await openSealedKey(p.me, state.vaultId, mine, G);
  const keys = [{ generation: G, raw }];
  const retired = new Map(state.retiredKeys.map((r) => [r.generation, r.wrapped]));
  for (let gen = G - 1; gen >= 1; gen--) {
    const wrapped = retired.get(gen);
    if (!wrapped) break;
    const next = await importAesKey(keys.at(-1)!.raw);
    const older = await open(
      next,
      fromBase64url(wrapped),
      retiredVaultKeyAd(state.vaultId, gen),
    ).catch(() => null);
    if (!older)
      throw new SharingError('WRONG_KEY', `The retired key of generation ${gen} does not open.`);
    keys.push({ generation: gen, raw: older });
  }
  return {
    vaultId: state.vaultId,
    generation: G,
    owner: owner!,
    members,
    role: mine.g.role,
    keys,
    keysSeen,
  };
}

async function openSealedKey(
  me: Identity,
  vaultId: string,
  e: { g: GrantStatement; sealedKey: string | null },
  generation: number,
): Promise<Uint8Array> {
  if (!e.sealedKey) throw new SharingError('WRONG_KEY', 'The vault key was not served.');
  const sealed = fromBase64url(e.sealedKey);
  if ((await hashOf(sealed)) !== e.g.keyHash)
    throw new SharingError('WRONG_KEY', 'The vault key served is not the one the grant names.');
  const raw = await openFrom(
    me.encKey,
    sealed,
    vaultKeyInfo(vaultId, me.statement.userId, generation),
  ).catch(() => null);
  if (raw?.byteLength !== 32)
    throw new SharingError('WRONG_KEY', 'The vault key served was not sealed to this account.');
  return raw;
}
