// The sharing core's server port (shared/sharing/sharing-client.ts) over the tRPC client: one
// line per procedure, nothing else.
import type { SharingApi } from '../../shared/sharing/sharing-client.ts';
import type { ServerClient } from './server-api.ts';

export function sharingApiOf(client: ServerClient): SharingApi {
  return {
    publishIdentity: (input) => client.identity.publish.mutate(input),
    ownIdentity: () => client.identity.mine.query({}),
    identityOf: (userId) => client.identity.of.query({ userId }),
    createVault: (input) => client.vaults.create.mutate(input),
    listVaults: () => client.vaults.list.query({}),
    vaultState: (vaultId) => client.vaults.state.query({ vaultId }),
    grant: (input) => client.vaults.grant.mutate(input),
    removeMember: (input) => client.vaults.remove.mutate(input),
    rotate: (input) => client.vaults.rotate.mutate(input),
    deleteVault: (vaultId) => client.vaults.delete.mutate({ vaultId }),
    sentInvitations: (vaultId) => client.vaults.invitations.query({ vaultId }),
    invite: (input) => client.invitations.create.mutate(input),
    receivedInvitations: () => client.invitations.received.query({}),
    respond: (input) => client.invitations.respond.mutate(input),
    cancelInvitation: (id) => client.invitations.cancel.mutate({ id }),
    push: (input) => client.sync.push.mutate(input),
    pull: (input) => client.sync.pull.query(input),
  };
}
