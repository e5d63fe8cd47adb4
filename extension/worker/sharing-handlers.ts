// Sharing (message API for the vault page, issue 17): shared vaults, members, invitations,
// safety numbers, moves. The rules and every check are in shared/sharing/sharing-client.ts;
// this file turns its answers into what pages show.

import { z } from 'zod';
import { parseRecordBody } from '../../shared/model/item.ts';
import type { SharedVault } from '../../shared/sharing/sharing-client.ts';
import { SharingError } from '../../shared/sharing/sharing-error.ts';
import type { RequestOf, Responses, SharedVaultInfo } from '../messages.ts';
import { parseItemKey, sharedKey } from '../vault/item-key.ts';
import { membersOf, vaultOf } from './item-handlers.ts';
import type { VaultSession } from './vault-session.ts';
import { requireVault } from './worker-state.ts';

/** The server's answer to an invitation: a sign-up code is letters, digits and dashes only. */
const inviteAnswer = z.object({
  id: z.uuid(),
  signupCode: z
    .string()
    .regex(/^[A-Z0-9-]{8,64}$/)
    .optional(),
  signupCodeExpiresAt: z.iso.datetime({ offset: true }).optional(),
  mailed: z.boolean().optional(),
});

type Handler<T extends keyof Responses> = (req: RequestOf<T>) => Promise<Responses[T]>;

const MAY_WRITE = new Set(['owner', 'manager', 'editor']);

type Contacts = Awaited<ReturnType<typeof contactsOf>>;
const contactsOf = async (v: VaultSession) =>
  new Map((await v.sharing.contacts()).map((c) => [c.userId, c]));

/** How a page shows a vault; `contacts` read once for many vaults (each read scans the pins). */
async function infoOf(
  v: VaultSession,
  vault: SharedVault,
  known?: Contacts,
): Promise<SharedVaultInfo> {
  const contacts = known ?? (await contactsOf(v));
  const me = await v.sharing.me();
  return {
    vaultId: vault.vaultId,
    name: vault.name,
    role: vault.role,
    generation: vault.generation,
    owner: vault.owner,
    members: vault.members.map((m) => ({
      userId: m.userId,
      role: m.role,
      email:
        m.userId === me.statement.userId
          ? me.statement.email
          : (contacts.get(m.userId)?.email ?? null),
      verified: m.userId === me.statement.userId || !!contacts.get(m.userId)?.verifiedAt,
    })),
    pending: await vault.engine.pendingCount(),
  };
}

/** Saves in a shared vault are local first; the sync after them runs in the background. */
const syncSoon = (v: VaultSession) => void v.sync().catch(() => {});

export const sharingHandlers: { [K in keyof Responses]?: Handler<K> } = {
  async sharingState() {
    const v = await requireVault();
    const me = await v.sharing.me().catch(() => null);
    const news = v.shared();
    const contacts = contactsOf(v);
    contacts.catch(() => {}); // awaited below; never an unhandled rejection if we throw first
    let online = true;
    let listed: {
      vaults: SharedVault[];
      refused: Record<string, { code: string; message: string }>;
    };
    let received: Awaited<ReturnType<typeof v.sharing.receivedInvitations>>;
    try {
      listed = await v.sharing.vaults();
      received = await v.sharing.receivedInvitations();
    } catch (err) {
      if (err instanceof SharingError) throw err;
      // Offline: the vaults this device holds, as last verified; no invitations to answer.
      online = false;
      await v.sharedOpened();
      listed = { vaults: [], refused: v.openRefused() };
      for (const e of v.sharedIndexes.vaults.values()) {
        const open = v.sharing.entry(e.vaultId);
        if (!open) continue;
        listed.vaults.push({
          vaultId: e.vaultId,
          name: v.sharedIndexes.nameOf(e.vaultId),
          role: open.verified.role,
          generation: open.verified.generation,
          owner: open.verified.owner,
          members: [...open.verified.members.values()],
          engine: open.engine,
        });
      }
      received = { invitations: [], refused: [] };
    }
    return {
      online,
      identity: me ? { userId: me.statement.userId, email: me.statement.email } : null,
      vaults: await Promise.all(listed.vaults.map(async (x) => infoOf(v, x, await contacts))),
      refused: { ...news.refused, ...listed.refused },
      invitations: received.invitations,
      refusedInvitations: received.refused,
      rescued: news.rescued,
      lost: news.lost,
    };
  },

  async vaultList() {
    const v = await requireVault();
    await v.sharedOpened();
    const vaults = [];
    const contacts = await contactsOf(v);
    for (const e of v.sharedIndexes.vaults.values())
      vaults.push({ ...vaultOf(v, e), ...(await membersOf(v, e.vaultId, contacts)) });
    vaults.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
    return { vaults, refused: { ...v.openRefused(), ...v.shared().refused } };
  },

  async createVault({ name }) {
    const v = await requireVault();
    const vault = await v.sharing.createVault(name);
    // Its settings record was written by the sharing core, past the index: read it in.
    await v.sharedIndexes.refresh(vault.vaultId);
    v.sharingChanged();
    return infoOf(v, vault);
  },

  async renameVault({ vaultId, name }) {
    const v = await requireVault();
    await v.sharing.renameVault(vaultId, name);
    await v.sharedIndexes.refresh(vaultId);
    syncSoon(v);
    return {};
  },

  async deleteVault({ vaultId }) {
    await (await requireVault()).sharing.deleteVault(vaultId);
    return {};
  },

  async leaveVault({ vaultId }) {
    return { rescued: await (await requireVault()).sharing.leave(vaultId) };
  },

  async vaultMembers({ vaultId }) {
    const v = await requireVault();
    const vault = await infoOf(v, await v.sharing.describe(vaultId));
    const manages = vault.role === 'owner' || vault.role === 'manager';
    const invitations = manages ? await v.sharing.invitationsOf(vaultId) : [];
    return {
      vault,
      invitations: invitations.map((i) => ({
        id: i.id,
        email: i.email,
        role: i.role,
        status: i.status,
        acceptedBy: i.acceptedBy,
        createdAt: i.createdAt,
        safetyNumber: i.safetyNumber,
        problem: i.problem,
      })),
    };
  },

  async inviteMember({ vaultId, email, role }) {
    const sent = inviteAnswer.safeParse(
      await (await requireVault()).sharing.invite(vaultId, email, role),
    );
    // The invitation is made either way; an unusable code is just not shown.
    if (!sent.success) return { id: '' };
    return sent.data;
  },

  async cancelInvitation({ id }) {
    const v = await requireVault();
    await v.sharing.cancelInvitation(id);
    v.sharingChanged();
    syncSoon(v);
    return {};
  },

  async respondInvitation({ id, accept }) {
    const v = await requireVault();
    await v.sharing.respond(id, accept);
    v.sharingChanged();
    syncSoon(v);
    return {};
  },

  async confirmMember({ vaultId, invitationId, safetyNumber }) {
    const v = await requireVault();
    await v.sharing.confirmMember(vaultId, invitationId, safetyNumber);
    v.sharingChanged();
    syncSoon(v);
    return {};
  },

  async safetyNumber({ userId, newKey }) {
    const v = await requireVault();
    const { identity, safetyNumber } = newKey
      ? await v.sharing.newSafetyNumberWith(userId)
      : await v.sharing.safetyNumberWith(userId);
    const pinned = (await v.sharing.contacts()).find((c) => c.userId === userId);
    return { userId, email: identity.email, safetyNumber, verified: !!pinned?.verifiedAt };
  },

  async verifyContact({ userId, safetyNumber, newKey }) {
    const v = await requireVault();
    if (newKey) await v.sharing.acceptNewKey(userId, safetyNumber);
    else await v.sharing.verifyContact(userId, safetyNumber);
    syncSoon(v);
    return {};
  },

  async changeRole({ vaultId, userId, role }) {
    await (await requireVault()).sharing.changeRole(vaultId, userId, role);
    return {};
  },

  async removeMember({ vaultId, userId }) {
    const v = await requireVault();
    const out = await v.sharing.removeMember(vaultId, userId);
    // Named as pages name items, so the list can be shown and filtered at once.
    return { ...out, couldSee: out.couldSee.map((i) => ({ ...i, id: sharedKey(vaultId, i.id) })) };
  },

  async rotateVaultKey({ vaultId }) {
    return (await requireVault()).sharing.rotate(vaultId);
  },

  async moveItems({ ids, from, to }) {
    const v = await requireVault();
    const records = ids.map((key) => {
      const { vaultId, id } = parseItemKey(key);
      if (vaultId !== from)
        throw new SharingError('FORBIDDEN', 'Those items are not all in the vault they leave.');
      return id;
    });
    await v.current();
    const moved = await v.sharing.move(records, from, to);
    if (from) await v.sharedIndexes.refresh(from, records);
    if (to)
      await v.sharedIndexes.refresh(
        to,
        moved.map((m) => m.to),
      );
    syncSoon(v);
    const keyOf = (vault: string | null, id: string) => (vault ? sharedKey(vault, id) : id);
    return {
      moved: moved.map((m) => ({ from: keyOf(from, m.from), to: keyOf(to, m.to) })),
    };
  },

  async listSharedItems({ vaultId }) {
    const v = await requireVault();
    const { engine } = await v.sharing.openVault(vaultId);
    const items = [...(await engine.read())]
      .filter(([, body]) => body.type !== 'vault-settings')
      .map(([id, body]) => ({ id, body }));
    return { items };
  },

  async saveSharedItem({ vaultId, id, body }) {
    const v = await requireVault();
    const { verified, engine } = await v.sharing.openVault(vaultId);
    if (!MAY_WRITE.has(verified.role))
      throw new SharingError('FORBIDDEN', 'Your role in this vault does not allow changes.');
    const parsed = parseRecordBody(body);
    if (
      parsed.type === 'vault-settings' ||
      parsed.type === 'contact' ||
      parsed.type === 'vault-pin'
    )
      throw new SharingError('FORBIDDEN', 'That is not an item.');
    const itemId = id ?? crypto.randomUUID();
    await engine.save(itemId, parsed);
    syncSoon(v);
    return { id: itemId };
  },

  async deleteSharedItem({ vaultId, id }) {
    const v = await requireVault();
    const { verified, engine } = await v.sharing.openVault(vaultId);
    if (!MAY_WRITE.has(verified.role))
      throw new SharingError('FORBIDDEN', 'Your role in this vault does not allow changes.');
    await engine.save(id, null);
    syncSoon(v);
    return {};
  },

  async dismissSharedNews() {
    (await requireVault()).dismissShared();
    return {};
  },
};
