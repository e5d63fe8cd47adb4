// Sharing (message API for the vault page, issue 17): shared vaults, members, invitations,
// safety numbers, moves. The rules and every check are in shared/sharing/sharing-client.ts;
// this file turns its answers into what pages show.
import { parseRecordBody } from '../../shared/model/item.ts';
import type { SharedVault } from '../../shared/sharing/sharing-client.ts';
import { SharingError } from '../../shared/sharing/sharing-error.ts';
import type { RequestOf, Responses, SharedVaultInfo } from '../messages.ts';
import type { VaultSession } from './vault-session.ts';
import { requireVault } from './worker-state.ts';

type Handler<T extends keyof Responses> = (req: RequestOf<T>) => Promise<Responses[T]>;

const MAY_WRITE = new Set(['owner', 'manager', 'editor']);

async function infoOf(v: VaultSession, vault: SharedVault): Promise<SharedVaultInfo> {
  const contacts = new Map((await v.sharing.contacts()).map((c) => [c.userId, c]));
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
    const { vaults, refused } = await v.sharing.vaults();
    const received = await v.sharing.receivedInvitations();
    const news = v.shared();
    return {
      identity: me ? { userId: me.statement.userId, email: me.statement.email } : null,
      vaults: await Promise.all(vaults.map((x) => infoOf(v, x))),
      refused: { ...news.refused, ...refused },
      invitations: received.invitations,
      refusedInvitations: received.refused,
      rescued: news.rescued,
      lost: news.lost,
    };
  },

  async createVault({ name }) {
    const v = await requireVault();
    return infoOf(v, await v.sharing.createVault(name));
  },

  async renameVault({ vaultId, name }) {
    const v = await requireVault();
    await v.sharing.renameVault(vaultId, name);
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
    return (await requireVault()).sharing.invite(vaultId, email, role);
  },

  async cancelInvitation({ id }) {
    await (await requireVault()).sharing.cancelInvitation(id);
    return {};
  },

  async respondInvitation({ id, accept }) {
    await (await requireVault()).sharing.respond(id, accept);
    return {};
  },

  async confirmMember({ vaultId, invitationId, safetyNumber }) {
    const v = await requireVault();
    await v.sharing.confirmMember(vaultId, invitationId, safetyNumber);
    syncSoon(v);
    return {};
  },

  async safetyNumber({ userId }) {
    const v = await requireVault();
    const { identity, safetyNumber } = await v.sharing.safetyNumberWith(userId);
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
    return (await requireVault()).sharing.removeMember(vaultId, userId);
  },

  async rotateVaultKey({ vaultId }) {
    return (await requireVault()).sharing.rotate(vaultId);
  },

  async moveItems({ ids, from, to }) {
    const v = await requireVault();
    const moved = await v.sharing.move(ids, from, to);
    syncSoon(v);
    return { moved };
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
