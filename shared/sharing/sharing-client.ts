// The sharing core a device runs (SHARING.md): its identity, its pinned contacts, the shared
// vaults it belongs to — each verified from its chain of grants and synced by an engine of its
// own — and every action on them. Pure logic behind ports: the server API, a local store per
// vault, the personal vault's engine (where pins and rescued edits live).
import { normaliseEmail } from '../crypto/associated-data.ts';
import { fromBase64url, own, randomBytes, toBase64url, utf8 } from '../crypto/bytes.ts';
import { importAesKey, open as openEnvelope } from '../crypto/envelope.ts';
import type { Contact, RecordBody, VaultPin } from '../model/item.ts';
import type {
  GrantInput,
  ReceivedInvitation,
  Role,
  SentInvitation,
  VaultState,
  VaultSummary,
} from '../protocol/sharing.ts';
import type { PullInput, PullOutput, PushInput, PushOutput } from '../protocol/sync.ts';
import {
  createSyncEngine,
  pushTogether,
  type SyncEngine,
  type SyncReport,
} from '../sync/engine.ts';
import type { LocalStore } from '../sync/ports.ts';
import {
  type Member,
  makeGrant,
  makeInvitation,
  openInvitation,
  type VerifiedVault,
  vaultScope,
  verifyVault,
  wrapRetiredVaultKey,
} from './grants.ts';
import {
  createIdentity,
  type Identity,
  type IdentityStatement,
  identityAd,
  openIdentity,
  resealIdentity,
  safetyNumber,
  verifyIdentity,
} from './identity.ts';
import { SharingError } from './sharing-error.ts';
import type { Signed } from './signed.ts';

/** The server, as the sharing core calls it (extension/worker/sharing-api.ts adapts tRPC). */
export interface SharingApi {
  publishIdentity(input: { identity: Signed; sealedPrivate: string }): Promise<unknown>;
  ownIdentity(): Promise<{ identity: Signed; sealedPrivate: string } | null>;
  identityOf(userId: string): Promise<{ identity: Signed }>;
  createVault(input: { vaultId: string; owner: GrantInput }): Promise<unknown>;
  listVaults(): Promise<VaultSummary[]>;
  vaultState(vaultId: string): Promise<VaultState>;
  grant(input: { vaultId: string } & GrantInput): Promise<unknown>;
  removeMember(input: { vaultId: string; userId: string }): Promise<unknown>;
  rotate(input: {
    vaultId: string;
    generation: number;
    grants: GrantInput[];
    retiredKey: string;
  }): Promise<unknown>;
  deleteVault(vaultId: string): Promise<unknown>;
  sentInvitations(vaultId: string): Promise<SentInvitation[]>;
  invite(input: {
    vaultId: string;
    email: string;
    role: 'manager' | 'editor' | 'viewer';
    invitation: Signed;
  }): Promise<{ id: string; signupCode?: string; signupCodeExpiresAt?: string }>;
  receivedInvitations(): Promise<ReceivedInvitation[]>;
  respond(input: { id: string; accept: boolean }): Promise<unknown>;
  cancelInvitation(id: string): Promise<unknown>;
  push(input: PushInput): Promise<PushOutput>;
  pull(input: PullInput): Promise<PullOutput>;
}

export interface SharingOptions {
  api: SharingApi;
  userId: string;
  email: string;
  deviceId: string;
  /** The current account key, and the ones rotations retired (newest first). */
  accountKey: CryptoKey;
  retiredAccountKeys?: readonly CryptoKey[];
  /** The personal vault's engine: pins live in it, and edits a shared vault refused go to it. */
  personal: SyncEngine;
  /**
   * The personal vault's contact and vault-pin bodies (others may come too, and are skipped), if
   * the caller keeps them decrypted (the worker's index); else they are read from the engine,
   * which decrypts every record.
   */
  personalBodies?: () => Promise<Iterable<RecordBody>>;
  /** Told after this core saved records of the personal vault (pins, kept edits, moves). */
  onPersonalChange?: (ids: string[]) => Promise<void> | void;
  /**
   * The local store of a shared vault (one per vault; `erase` when access is lost), and the
   * vault's last grants as served, so it opens (verified again) offline.
   */
  stores: {
    open(vaultId: string): LocalStore;
    erase(vaultId: string): Promise<void>;
    saveState(vaultId: string, state: VaultState): Promise<void>;
    loadState(vaultId: string): Promise<VaultState | null>;
    /** Every vault this device holds a local copy of. */
    known(): Promise<string[]>;
  };
  /**
   * Told when a vault's engine is made (first open, or a new generation: other keys, maybe
   * another role) and when a vault's local copy is erased, so a caller can keep an index of it.
   */
  onOpened?: (vault: OpenedVault) => void;
  onLost?: (vaultId: string) => void;
  now?: () => string;
  /** How the engines of shared vaults page and time out (tests use the defaults). */
  pageSize?: number;
}

/** An edit a shared vault refused for good, kept as an item of the personal vault. */
export interface RescuedEdit {
  vaultId: string;
  /** The shared item it was an edit of. */
  from: string;
  /** The new personal item that holds it. */
  to: string;
  name: string;
}

/** A vault's engine as made, with what a local index of it needs. */
export interface OpenedVault {
  vaultId: string;
  role: Role;
  generation: number;
  /** The vault keys, current first (the engine's). */
  keys: CryptoKey[];
  engine: SyncEngine;
}

export interface SharedVault {
  vaultId: string;
  name: string | null;
  role: Role;
  generation: number;
  owner: string;
  members: Member[];
  engine: SyncEngine;
}

export interface SharingSyncReport {
  personal: SyncReport | null;
  vaults: Record<string, SyncReport>;
  /** Edits kept in the personal vault because a shared vault refused them. */
  rescued: RescuedEdit[];
  /** Vaults this account lost (removed, or the vault deleted): their local copies are gone. */
  lost: string[];
  /** Vaults that failed their checks, with why: nothing of theirs is believed or written. */
  refused: Record<string, { code: string; message: string }>;
}

/** A deterministic uuid (v8 layout) for a record that every device must find under one id. */
export async function derivedId(label: string): Promise<string> {
  const h = new Uint8Array(await crypto.subtle.digest('SHA-256', own(utf8(label))));
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = [...h.subarray(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
export const contactIdOf = (userId: string) => derivedId(`cofre/v1/contact|${userId}`);
export const vaultPinIdOf = (vaultId: string) => derivedId(`cofre/v1/vault-pin|${vaultId}`);
export const vaultSettingsIdOf = (vaultId: string) =>
  derivedId(`cofre/v1/vault-settings|${vaultId}`);

const opensWith = (key: CryptoKey, sealed: Uint8Array, ad: string) =>
  openEnvelope(key, sealed, ad).then(
    () => true,
    () => false,
  );

const errorCode = (err: unknown): string | undefined =>
  (err as { data?: { code?: string } })?.data?.code ?? (err as { code?: string })?.code;

export const MAY_WRITE: readonly Role[] = ['owner', 'manager', 'editor'];
export const MAY_MANAGE: readonly Role[] = ['owner', 'manager'];

export function createSharingClient(opts: SharingOptions) {
  const { api, userId, deviceId, personal } = opts;
  const email = normaliseEmail(opts.email);
  const now = opts.now ?? (() => new Date().toISOString());
  let identity: Identity | null = null;
  /** Engines by vault, with the generation their keys are for. */
  const open = new Map<string, { verified: VerifiedVault; engine: SyncEngine }>();

  // ---- identity ----

  /**
   * This account's identity: opened from the server's copy, or made and published now. One call
   * at a time; if another device published first, its identity is the one.
   */
  let making: Promise<Identity> | null = null;
  function me(): Promise<Identity> {
    if (identity) return Promise.resolve(identity);
    making ??= (async () => {
      const keys = [opts.accountKey, ...(opts.retiredAccountKeys ?? [])];
      const fetchOwn = async () => {
        const mine = await api.ownIdentity();
        if (!mine) return null;
        const sealed = fromBase64url(mine.sealedPrivate);
        const opened = await openIdentity(mine.identity, sealed, { userId, keys });
        if (opened.statement.email !== email)
          throw new SharingError('WRONG_KEY', 'The identity served names another email.');
        // Sealed by a key an account-key rotation retired: sealed again by the current one.
        if (keys.length > 1 && !(await opensWith(opts.accountKey, sealed, identityAd(userId)))) {
          const again = await resealIdentity(
            opened,
            userId,
            opts.accountKey,
            sealed,
            keys.slice(1),
          );
          await api.publishIdentity({ identity: mine.identity, sealedPrivate: toBase64url(again) });
        }
        return opened;
      };
      let found = await fetchOwn();
      if (!found) {
        const made = await createIdentity({
          userId,
          email,
          accountKey: opts.accountKey,
          now: now(),
        });
        try {
          await api.publishIdentity({
            identity: made.identity.signed,
            sealedPrivate: toBase64url(made.sealedPrivate),
          });
          found = made.identity;
        } catch (err) {
          if (errorCode(err) !== 'CONFLICT') throw err;
          found = await fetchOwn();
          if (!found) throw err;
        }
      }
      identity = found;
      return found;
    })().finally(() => {
      making = null;
    });
    return making;
  }

  // ---- pins (contact and vault-pin records of the personal vault) ----

  async function bookkeeping() {
    const contacts = new Map<string, Contact>();
    const vaultPins = new Map<string, VaultPin>();
    const bodies = opts.personalBodies
      ? await opts.personalBodies()
      : (await personal.read()).values();
    for (const body of bodies) {
      if (body.type === 'contact') contacts.set(body.userId, body);
      else if (body.type === 'vault-pin') vaultPins.set(body.vaultId, body);
    }
    return { contacts, vaultPins };
  }

  const pinsOf = (contacts: Map<string, Contact>) =>
    new Map([...contacts].map(([id, c]) => [id, c.signPub]));

  /** Pins an identity (trust on first use), or checks it against the pin: a change is refused. */
  async function pinIdentity(
    s: IdentityStatement,
    contacts: Map<string, Contact>,
    verified = false,
  ) {
    const pinned = contacts.get(s.userId);
    if (pinned && (pinned.signPub !== s.signPub || pinned.encPub !== s.encPub))
      throw new SharingError(
        'KEY_CHANGED',
        `The key of ${pinned.email} is not the one this account pinned: nothing is shared with them until the new key is verified.`,
        { userId: s.userId, email: pinned.email },
      );
    if (pinned && (!verified || pinned.verifiedAt)) return pinned;
    const at = now();
    const body: Contact = {
      type: 'contact',
      userId: s.userId,
      email: s.email,
      signPub: s.signPub,
      encPub: s.encPub,
      verifiedAt: verified ? at : (pinned?.verifiedAt ?? null),
      createdAt: pinned?.createdAt ?? at,
      updatedAt: at,
    };
    const id = await contactIdOf(s.userId);
    await personal.save(id, body);
    await opts.onPersonalChange?.([id]);
    contacts.set(s.userId, body);
    return body;
  }

  /** Another account's identity from the server, checked against its own signature and the pins. */
  async function identityOf(
    other: string,
    contacts: Map<string, Contact>,
    expect: { email?: string; signPub?: string } = {},
  ) {
    const { identity: signed } = await api.identityOf(other);
    const s = await verifyIdentity(signed, { userId: other, email: expect.email });
    if (expect.signPub !== undefined && s.signPub !== expect.signPub)
      throw new SharingError(
        'KEY_CHANGED',
        'The identity served is not the key the vault’s grants name.',
        { userId: other, email: contacts.get(other)?.email ?? s.email },
      );
    const pinned = contacts.get(other);
    if (pinned && (pinned.signPub !== s.signPub || pinned.encPub !== s.encPub))
      throw new SharingError(
        'KEY_CHANGED',
        `The key of ${pinned.email} is not the one this account pinned: nothing is shared with them until the new key is verified.`,
        { userId: other, email: pinned.email },
      );
    return s;
  }

  // ---- vaults ----

  function engineFor(v: VerifiedVault, keys: CryptoKey[]) {
    return createSyncEngine({
      store: opts.stores.open(v.vaultId),
      transport: { push: (i) => api.push(i), pull: (i) => api.pull(i) },
      userId: vaultScope(v.vaultId),
      deviceId,
      vaultId: v.vaultId,
      accountKey: keys[0]!,
      retiredKeys: keys.slice(1),
      keyGeneration: v.generation,
      believeRetired: true,
      checkpoints: false,
      now,
      pageSize: opts.pageSize,
    });
  }

  /**
   * Verifies a vault's chain of grants against the pins and the highest generation seen, pins
   * what it learns, and returns its engine (made again when the generation moved).
   */
  const opening = new Map<string, Promise<unknown>>();
  /**
   * One open of a vault at a time, in order: two at once would make two engines over one store,
   * and sharing one open's answer would hand a caller the state from before its own change.
   */
  function openVault(vaultId: string): Promise<{ verified: VerifiedVault; engine: SyncEngine }> {
    const before = opening.get(vaultId) ?? Promise.resolve();
    const p = before.catch(() => {}).then(() => openVaultNow(vaultId));
    const tail = p.catch(() => {});
    opening.set(vaultId, tail);
    void tail.then(() => {
      if (opening.get(vaultId) === tail) opening.delete(vaultId);
    });
    return p;
  }

  async function openVaultNow(
    vaultId: string,
  ): Promise<{ verified: VerifiedVault; engine: SyncEngine }> {
    const self = await me();
    let state: VaultState;
    let fresh = true;
    try {
      state = await api.vaultState(vaultId);
    } catch (err) {
      // No answer (offline, server down): the grants last served, checked again as if new.
      const saved = errorCode(err) === undefined ? await opts.stores.loadState(vaultId) : null;
      if (!saved) throw err;
      state = saved;
      fresh = false;
    }
    const { contacts, vaultPins } = await bookkeeping();
    const pin = vaultPins.get(vaultId);
    const verified = await verifyVault(state, {
      me: self,
      pins: pinsOf(contacts),
      minGeneration: pin?.generation,
    });
    if (pin && pin.owner !== verified.owner)
      throw new SharingError('WRONG_GRANT', 'The vault is served with another owner.');
    // Pin the current members this account did not know yet (trust on first use). Earlier
    // members the chain names are checked against the pins but not fetched: the server shows
    // an identity only to those who share a vault with it now.
    for (const m of verified.members.values())
      if (m.userId !== userId && !contacts.has(m.userId))
        await pinIdentity(await identityOf(m.userId, contacts, { signPub: m.signPub }), contacts);
    if (!pin || pin.generation < verified.generation) {
      const at = now();
      const id = await vaultPinIdOf(vaultId);
      await personal.save(id, {
        type: 'vault-pin',
        vaultId,
        owner: verified.owner,
        generation: verified.generation,
        createdAt: pin?.createdAt ?? at,
        updatedAt: at,
      });
      await opts.onPersonalChange?.([id]);
    }
    if (fresh) await opts.stores.saveState(vaultId, state);
    const known = open.get(vaultId);
    if (known && known.verified.generation === verified.generation) {
      known.verified = verified;
      return known;
    }
    const keys = await Promise.all(verified.keys.map((k) => importAesKey(k.raw)));
    const entry = { verified, engine: engineFor(verified, keys) };
    open.set(vaultId, entry);
    opts.onOpened?.({
      vaultId,
      role: verified.role,
      generation: verified.generation,
      keys,
      engine: entry.engine,
    });
    return entry;
  }

  async function describe(vaultId: string): Promise<SharedVault> {
    const { verified, engine } = await openVault(vaultId);
    const settings = await engine.get(await vaultSettingsIdOf(vaultId));
    return {
      vaultId,
      name: settings?.type === 'vault-settings' ? settings.name : null,
      role: verified.role,
      generation: verified.generation,
      owner: verified.owner,
      members: [...verified.members.values()],
      engine,
    };
  }

  /** Members' current identities (for sealing a new key to them), each checked against the pins. */
  async function membersWithKeys(v: VerifiedVault) {
    const { contacts } = await bookkeeping();
    const out: Array<Member & { encPub: string }> = [];
    for (const m of v.members.values()) {
      const s =
        m.userId === userId
          ? (await me()).statement
          : await identityOf(m.userId, contacts, { signPub: m.signPub });
      out.push({ ...m, encPub: s.encPub });
    }
    return out;
  }

  /** A new generation: every member re-granted (with `roles` changed), sealed to `nextKey`. */
  async function newGeneration(
    vaultId: string,
    nextKey: Uint8Array,
    roles: Record<string, Role> = {},
  ) {
    const { verified } = await openVault(vaultId);
    if (!MAY_MANAGE.includes(verified.role))
      throw new SharingError('FORBIDDEN', 'Only the owner or a manager can do this.');
    const self = await me();
    const generation = verified.generation + 1;
    const grants: GrantInput[] = [];
    for (const m of await membersWithKeys(verified))
      grants.push(
        await makeGrant({
          signer: self,
          vaultId,
          member: m,
          role: roles[m.userId] ?? m.role,
          generation,
          vaultKey: nextKey,
          now: now(),
        }),
      );
    const current = verified.keys[0]!.raw;
    await api.rotate({
      vaultId,
      generation,
      grants,
      retiredKey: await wrapRetiredVaultKey(nextKey, current, vaultId, verified.generation),
    });
    return openVault(vaultId);
  }

  /** Keeps a vault's refused pending edits as new personal items, then drops them there. */
  async function rescue(vaultId: string, engine: SyncEngine): Promise<RescuedEdit[]> {
    const out: RescuedEdit[] = [];
    const edits = await engine.pendingEdits();
    const kept: Array<{ id: string; body: RecordBody }> = [];
    for (const e of edits) {
      // A delete or a vault setting refused loses nothing: the shared copy stays as it was.
      if (!e.body || e.body.type === 'vault-settings') continue;
      const to = crypto.randomUUID();
      kept.push({ id: to, body: e.body });
      out.push({ vaultId, from: e.id, to, name: 'name' in e.body ? e.body.name : '' });
    }
    if (kept.length) {
      await personal.saveMany(kept);
      await opts.onPersonalChange?.(kept.map((k) => k.id));
    }
    await engine.discardPending(edits.map((e) => e.id));
    return out;
  }

  async function lose(vaultId: string, report: SharingSyncReport) {
    const known = open.get(vaultId);
    if (known) report.rescued.push(...(await rescue(vaultId, known.engine)));
    open.delete(vaultId);
    await opts.stores.erase(vaultId);
    opts.onLost?.(vaultId);
    report.lost.push(vaultId);
  }

  /** Re-encrypts a vault's records still sealed by an older generation (crash-safe batches). */
  async function reencrypt(engine: SyncEngine, onBatch?: (done: number, total: number) => void) {
    const stale = await engine.staleKeyIds();
    await engine.rekey(stale, 250, (done) => onBatch?.(done, stale.length));
    return stale.length;
  }

  /** The invitations the server shows this account, checked: signed by their inviter, for this email. */
  async function checkedInvitations() {
    const { contacts } = await bookkeeping();
    const invitations: Array<{
      id: string;
      vaultId: string;
      role: 'manager' | 'editor' | 'viewer';
      inviter: { userId: string; email: string };
      inviterIdentity: IdentityStatement;
      status: string;
    }> = [];
    const refused: Array<{ id: string; code: string; message: string }> = [];
    for (const r of await api.receivedInvitations()) {
      try {
        const by = readInvitationBy(r);
        const inviter = await verifyIdentity(r.inviter, { userId: by });
        const pinned = contacts.get(by);
        if (pinned && pinned.signPub !== inviter.signPub)
          throw new SharingError('KEY_CHANGED', `The key of ${pinned.email} changed.`, {
            userId: by,
            email: pinned.email,
          });
        const inv = await openInvitation(r.invitation, {
          inviterSignPub: inviter.signPub,
          inviter: by,
          email,
          id: r.id,
          vaultId: r.vaultId,
        });
        invitations.push({
          id: r.id,
          vaultId: r.vaultId,
          role: inv.role,
          inviter: { userId: by, email: inviter.email },
          inviterIdentity: inviter,
          status: r.status,
        });
      } catch (err) {
        if (!(err instanceof SharingError)) throw err;
        refused.push({ id: r.id, code: err.code, message: err.message });
      }
    }
    return { invitations, refused, contacts };
  }

  return {
    userId,
    me,
    openVault,

    /** The identity's public statement and the safety number with another account. */
    async safetyNumberWith(other: string, expectEmail?: string) {
      const self = await me();
      const { contacts } = await bookkeeping();
      const s = await identityOf(other, contacts, { email: expectEmail });
      return { identity: s, safetyNumber: await safetyNumber(self.statement.signPub, s.signPub) };
    },

    /**
     * The safety number of the key the server serves for a contact now, checked only against
     * its own signature: for comparing a CHANGED key with its owner before `acceptNewKey`.
     */
    async newSafetyNumberWith(other: string) {
      const self = await me();
      const { identity: signed } = await api.identityOf(other);
      const s = await verifyIdentity(signed, { userId: other });
      return { identity: s, safetyNumber: await safetyNumber(self.statement.signPub, s.signPub) };
    },

    /** Marks a contact verified after the two people compared `number`; a mismatch pins nothing. */
    async verifyContact(other: string, number: string) {
      const self = await me();
      const { contacts } = await bookkeeping();
      const s = await identityOf(other, contacts);
      if ((await safetyNumber(self.statement.signPub, s.signPub)) !== number)
        throw new SharingError(
          'SAFETY_NUMBER_MISMATCH',
          'The safety number is not the one of the key served.',
        );
      return pinIdentity(s, contacts, true);
    },

    async contacts(): Promise<Contact[]> {
      return [...(await bookkeeping()).contacts.values()];
    },

    /**
     * Accepts a changed key of a pinned contact after the people compared the new safety number:
     * the pin is replaced and marked verified.
     */
    async acceptNewKey(other: string, number: string) {
      const self = await me();
      const { identity: signed } = await api.identityOf(other);
      const s = await verifyIdentity(signed, { userId: other });
      if ((await safetyNumber(self.statement.signPub, s.signPub)) !== number)
        throw new SharingError(
          'SAFETY_NUMBER_MISMATCH',
          'The safety number is not the one of the key served.',
        );
      const { contacts } = await bookkeeping();
      contacts.delete(other);
      return pinIdentity(s, contacts, true);
    },

    async createVault(name: string): Promise<SharedVault> {
      const self = await me();
      const vaultId = crypto.randomUUID();
      const key = randomBytes(32);
      const owner = await makeGrant({
        signer: self,
        vaultId,
        member: { userId, signPub: self.statement.signPub, encPub: self.statement.encPub },
        role: 'owner',
        generation: 1,
        vaultKey: key,
        now: now(),
      });
      await api.createVault({ vaultId, owner });
      const { engine } = await openVault(vaultId);
      await engine.save(await vaultSettingsIdOf(vaultId), {
        type: 'vault-settings',
        name,
        createdAt: now(),
        updatedAt: now(),
      });
      await engine.sync();
      return describe(vaultId);
    },

    async renameVault(vaultId: string, name: string) {
      const { verified, engine } = await openVault(vaultId);
      if (!MAY_MANAGE.includes(verified.role))
        throw new SharingError('FORBIDDEN', 'Only the owner or a manager can rename the vault.');
      const id = await vaultSettingsIdOf(vaultId);
      const old = (await engine.read()).get(id);
      await engine.save(id, {
        type: 'vault-settings',
        name,
        createdAt: old?.createdAt ?? now(),
        updatedAt: now(),
      });
    },

    /** Every vault this account belongs to, verified; vaults that fail their check are named. */
    async vaults(): Promise<{ vaults: SharedVault[]; refused: SharingSyncReport['refused'] }> {
      const out: SharedVault[] = [];
      const refused: SharingSyncReport['refused'] = {};
      for (const s of await api.listVaults()) {
        try {
          out.push(await describe(s.vaultId));
        } catch (err) {
          if (!(err instanceof SharingError)) throw err;
          refused[s.vaultId] = { code: err.code, message: err.message };
        }
      }
      return { vaults: out, refused };
    },

    describe,

    /**
     * Syncs the personal vault and every shared one. A vault that refuses an edit for good (a
     * role lost) has its edits kept in the personal vault; a vault no longer listed is lost:
     * its pending edits are kept the same way and its local copy erased.
     */
    async syncAll(): Promise<SharingSyncReport> {
      const personalReport = await personal.sync();
      const report = await this.syncShared();
      report.personal = personalReport;
      return report;
    },

    /** Syncs every shared vault (the personal vault's sync is the caller's). */
    async syncShared(): Promise<SharingSyncReport> {
      const report: SharingSyncReport = {
        personal: null,
        vaults: {},
        rescued: [],
        lost: [],
        refused: {},
      };
      const listed = await api.listVaults();
      const ids = new Set(listed.map((v) => v.vaultId));
      const held = new Set([...open.keys(), ...(await opts.stores.known())]);
      for (const vaultId of held) if (!ids.has(vaultId)) await lose(vaultId, report);
      for (const { vaultId } of listed) {
        let entry: { verified: VerifiedVault; engine: SyncEngine };
        try {
          entry = await openVault(vaultId);
        } catch (err) {
          if (err instanceof SharingError) {
            report.refused[vaultId] = { code: err.code, message: err.message };
            continue;
          }
          if (errorCode(err) === 'NOT_FOUND' || errorCode(err) === 'FORBIDDEN') {
            await lose(vaultId, report);
            continue;
          }
          throw err;
        }
        try {
          report.vaults[vaultId] = await entry.engine.sync();
        } catch (err) {
          if (errorCode(err) !== 'FORBIDDEN') throw err;
          // The role was lowered or the membership ended since this device last looked.
          report.rescued.push(...(await rescue(vaultId, entry.engine)));
          try {
            await openVault(vaultId);
            report.vaults[vaultId] = await entry.engine.sync();
          } catch (again) {
            if (errorCode(again) !== 'FORBIDDEN' && errorCode(again) !== 'NOT_FOUND') throw again;
            await lose(vaultId, report);
          }
        }
        // A rotation this device (or another manager's) left unfinished: finish re-encrypting.
        if (MAY_MANAGE.includes(entry.verified.role) && (await reencrypt(entry.engine)) > 0)
          report.vaults[vaultId] = await entry.engine.sync();
      }
      if (report.rescued.length) await personal.sync();
      return report;
    },

    /**
     * Opens every vault this device holds a copy of (verified from the server's grants, or
     * offline from the last ones served), so they are readable before any sync. Vaults that
     * fail their checks are returned with why.
     */
    async openKnown(): Promise<SharingSyncReport['refused']> {
      const refused: SharingSyncReport['refused'] = {};
      for (const vaultId of await opts.stores.known())
        await openVault(vaultId).catch((err) => {
          if (err instanceof SharingError)
            refused[vaultId] = { code: err.code, message: err.message };
        });
      return refused;
    },

    /** A vault already open on this device (no request), or null. */
    entry(vaultId: string) {
      return open.get(vaultId) ?? null;
    },

    /** The vaults this device holds open, with their roles (for a list without a request). */
    opened() {
      return [...open.values()].map((e) => ({
        vaultId: e.verified.vaultId,
        role: e.verified.role,
        generation: e.verified.generation,
      }));
    },

    // ---- invitations ----

    async invite(vaultId: string, to: string, role: 'manager' | 'editor' | 'viewer') {
      const self = await me();
      const { verified } = await openVault(vaultId);
      if (!MAY_MANAGE.includes(verified.role))
        throw new SharingError('FORBIDDEN', 'Only the owner or a manager can invite.');
      const id = crypto.randomUUID();
      const address = normaliseEmail(to);
      const invitation = await makeInvitation({
        signer: self,
        id,
        vaultId,
        email: address,
        role,
        now: now(),
      });
      return api.invite({ vaultId, email: address, role, invitation });
    },

    /** Invitations to this account, each checked: signed by its inviter, for this email. */
    async receivedInvitations() {
      const { invitations, refused } = await checkedInvitations();
      return { invitations: invitations.map(({ inviterIdentity: _, ...i }) => i), refused };
    },

    /** Accepts (pinning the inviter) or declines an invitation that passed its checks. */
    async respond(id: string, accept: boolean) {
      // The manager who confirms needs this account's identity: published before accepting.
      await me();
      const { invitations, contacts } = await checkedInvitations();
      const inv = invitations.find((i) => i.id === id);
      if (!inv) throw new SharingError('WRONG_INVITATION', 'No such invitation passed its checks.');
      if (accept) await pinIdentity(inv.inviterIdentity, contacts);
      await api.respond({ id, accept });
    },

    /**
     * A vault's invitations, and for each one accepted the invitee's identity and the safety
     * number to compare before confirming. An identity that does not fit the invitation (another
     * email, a key that differs from the pin) is marked, and cannot be confirmed.
     */
    async invitationsOf(vaultId: string) {
      const self = await me();
      const { verified } = await openVault(vaultId);
      const { contacts } = await bookkeeping();
      const out = [];
      for (const s of await api.sentInvitations(vaultId)) {
        const inviter = verified.members.get(readInvitationBy(s)) ?? null;
        let problem: { code: string; message: string } | null = null;
        let number: string | null = null;
        try {
          if (!inviter)
            throw new SharingError('CHAIN_GAP', 'The invitation was made by no member.');
          await openInvitation(s.invitation, {
            inviterSignPub: inviter.signPub,
            inviter: inviter.userId,
            email: s.email,
            id: s.id,
            vaultId,
          });
          if (s.status === 'accepted' && s.acceptedBy) {
            const them = await identityOf(s.acceptedBy, contacts, { email: s.email });
            number = await safetyNumber(self.statement.signPub, them.signPub);
          }
        } catch (err) {
          if (!(err instanceof SharingError)) throw err;
          problem = { code: err.code, message: err.message };
        }
        out.push({ ...s, safetyNumber: number, problem });
      }
      return out;
    },

    /**
     * Confirms an invitee after the two people compared the safety number: the identity must be
     * the invitation's email, match the pin (if any) and give `number`; then the grant is signed
     * and the vault key sealed to them.
     */
    async confirmMember(vaultId: string, invitationId: string, number: string) {
      const self = await me();
      const { verified } = await openVault(vaultId);
      if (!MAY_MANAGE.includes(verified.role))
        throw new SharingError('FORBIDDEN', 'Only the owner or a manager can confirm a member.');
      const s = (await api.sentInvitations(vaultId)).find((i) => i.id === invitationId);
      if (s?.status !== 'accepted' || !s.acceptedBy)
        throw new SharingError(
          'WRONG_INVITATION',
          'This invitation is not waiting for a confirmation.',
        );
      const inviter = verified.members.get(readInvitationBy(s));
      if (!inviter) throw new SharingError('CHAIN_GAP', 'The invitation was made by no member.');
      await openInvitation(s.invitation, {
        inviterSignPub: inviter.signPub,
        inviter: inviter.userId,
        email: s.email,
        id: s.id,
        vaultId,
      });
      const { contacts } = await bookkeeping();
      const them = await identityOf(s.acceptedBy, contacts, { email: s.email });
      if ((await safetyNumber(self.statement.signPub, them.signPub)) !== number)
        throw new SharingError(
          'SAFETY_NUMBER_MISMATCH',
          'The safety number is not the one of the key served.',
        );
      await pinIdentity(them, contacts, true);
      const grant = await makeGrant({
        signer: self,
        vaultId,
        member: { userId: them.userId, signPub: them.signPub, encPub: them.encPub },
        role: s.role,
        generation: verified.generation,
        vaultKey: verified.keys[0]!.raw,
        now: now(),
      });
      await api.grant({ vaultId, ...grant });
      await openVault(vaultId);
    },

    cancelInvitation: (id: string) => api.cancelInvitation(id),

    // ---- members ----

    /** A new role for a member: a new generation with the same key (nothing to re-encrypt). */
    async changeRole(vaultId: string, member: string, role: Role) {
      const { verified } = await openVault(vaultId);
      if (role === 'owner' || member === verified.owner)
        throw new SharingError('FORBIDDEN', 'A vault has one owner, whose role does not change.');
      await newGeneration(vaultId, verified.keys[0]!.raw, { [member]: role });
    },

    /**
     * Removes a member (their access ends on the server at once), rotates the vault key and
     * re-encrypts the vault's records in batches that survive a crash. Returns the items the
     * member could see, so their passwords can be changed.
     */
    async removeMember(
      vaultId: string,
      member: string,
      onBatch?: (done: number, total: number) => void,
    ) {
      const { engine } = await openVault(vaultId);
      const couldSee = [...(await engine.read())]
        .filter(([, b]) => b.type !== 'vault-settings')
        .map(([id, b]) => ({ id, name: 'name' in b ? b.name : '', type: b.type }));
      await api.removeMember({ vaultId, userId: member });
      return { couldSee, ...(await this.rotate(vaultId, onBatch)) };
    },

    /** A new vault key for the remaining members; the records re-encrypted under it. */
    async rotate(vaultId: string, onBatch?: (done: number, total: number) => void) {
      const { verified, engine } = await newGeneration(vaultId, randomBytes(32));
      const reencrypted = await reencrypt(engine, onBatch);
      await engine.sync();
      return { generation: verified.generation, reencrypted };
    },

    /** Leaves a vault: access ends, pending edits are kept in the personal vault, the copy goes. */
    async leave(vaultId: string) {
      const report: SharingSyncReport = {
        personal: null,
        vaults: {},
        rescued: [],
        lost: [],
        refused: {},
      };
      await api.removeMember({ vaultId, userId });
      await lose(vaultId, report);
      if (report.rescued.length) await personal.sync();
      return report.rescued;
    },

    async deleteVault(vaultId: string) {
      await api.deleteVault(vaultId);
      open.delete(vaultId);
      await opts.stores.erase(vaultId);
      opts.onLost?.(vaultId);
    },

    // ---- items ----

    /**
     * Moves items between the personal vault and a shared one (`to` null: back to personal), or
     * between two shared vaults, in ONE push: a new record where they go, a sealed tombstone
     * where they were. Offline, both halves wait in the outboxes and go out with the next sync.
     */
    async move(ids: string[], from: string | null, to: string | null) {
      const source = from ? (await openVault(from)).engine : personal;
      const targetEntry = to ? await openVault(to) : null;
      const target = targetEntry ? targetEntry.engine : personal;
      if (targetEntry && !MAY_WRITE.includes(targetEntry.verified.role))
        throw new SharingError('FORBIDDEN', 'Your role in this vault does not allow adding items.');
      if (from && !MAY_WRITE.includes(open.get(from)!.verified.role))
        throw new SharingError(
          'FORBIDDEN',
          'Your role in this vault does not allow removing items.',
        );
      const bodies = await source.read();
      const moves = ids.map((id) => {
        const body = bodies.get(id);
        if (!body) throw new SharingError('NOT_A_MEMBER', `No item ${id} to move.`);
        // A folder is the vault's own: an item arrives in no folder of the other vault.
        const moved = 'folderId' in body ? { ...body, folderId: null } : body;
        return { id, to: crypto.randomUUID(), body: moved };
      });
      await target.saveMany(moves.map((m) => ({ id: m.to, body: m.body })));
      for (const m of moves) await source.save(m.id, null);
      if (target === personal || source === personal)
        await opts.onPersonalChange?.(moves.map((m) => (target === personal ? m.to : m.id)));
      try {
        await pushTogether([
          { engine: target, ids: moves.map((m) => m.to) },
          { engine: source, ids: moves.map((m) => m.id) },
        ]);
      } catch (err) {
        // Offline or refused: the outboxes hold both halves; the next sync sends (or rescues) them.
        if (errorCode(err) === 'FORBIDDEN') throw err;
      }
      return moves.map((m) => ({ from: m.id, to: m.to }));
    },
  };
}

/** Who an invitation says made it (checked against their signature right after). */
function readInvitationBy(r: { invitation: Signed }): string {
  try {
    const json = JSON.parse(new TextDecoder().decode(fromBase64url(r.invitation.body)));
    if (typeof json?.by === 'string') return json.by;
  } catch {}
  throw new SharingError('MALFORMED', 'The invitation is not well formed.');
}

export type SharingClient = ReturnType<typeof createSharingClient>;
