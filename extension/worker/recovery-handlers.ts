// Recovery kits (message API): make one (the master password is checked again; the shares go to
// the page only, for the printable sheet), list them, and regain an account on a fresh device.
import { AccountError } from '../../shared/account/account-error.ts';
import { openRetiredKeys } from '../../shared/account/account-keyring.ts';
import { recoverWithKit } from '../../shared/account/recover-account.ts';
import { createKit } from '../../shared/account/recovery-kit.ts';
import { toBase64url } from '../../shared/crypto/bytes.ts';
import type { RequestOf, Responses } from '../messages.ts';
import { adopt, deviceName } from './account-handlers.ts';
import { serverKeysSchema } from './key-handlers.ts';
import { checkPassword } from './keys.ts';
import { createServerApi, serverCode } from './server-api.ts';
import { loadAccount } from './storage.ts';
import { requireVault } from './worker-state.ts';

type Handler<T extends keyof Responses> = (req: RequestOf<T>) => Promise<Responses[T]>;

export const recoveryHandlers: { [K in keyof Responses]?: Handler<K> } = {
  async createRecoveryKit({ password, threshold, shares }) {
    if (threshold > shares)
      throw Object.assign(new Error('A kit cannot need more shares than it has.'), {
        code: 'BAD_REQUEST',
      });
    const v = await requireVault();
    const account = await loadAccount();
    if (!account) throw Object.assign(new Error('Set up Cofre first.'), { code: 'NO_ACCOUNT' });
    const { accountKey, authKey } = await checkPassword(account, password);
    const kit = await createKit(accountKey, account.userId, threshold, shares);
    await v.api.client.recovery.create.mutate({
      authKey: toBase64url(authKey),
      id: kit.kitId,
      threshold,
      shares,
      recoveryAuthKey: toBase64url(kit.authKey),
    });
    return {
      kitId: kit.kitId,
      threshold,
      shares: kit.shares,
      email: account.email,
      serverUrl: account.serverUrl,
      createdAt: new Date().toISOString(),
    };
  },

  async listRecoveryKits() {
    const v = await requireVault();
    return v.api.client.recovery.list.query({});
  },

  /** A fresh device regains the vault with k shares and sets a new master password. */
  async recoverAccount({ serverUrl, email, shares, password }) {
    const api = createServerApi(serverUrl, null).client;
    const device = { id: crypto.randomUUID(), name: deviceName() };
    const recovery = {
      check: (i: Parameters<typeof api.recovery.check.mutate>[0]) => api.recovery.check.mutate(i),
      recover: (i: Parameters<typeof api.recovery.recover.mutate>[0]) =>
        api.recovery.recover.mutate(i),
    };
    const session = await recoverWithKit(recovery, {
      email,
      shares,
      newPassword: password,
      device,
    }).catch((err: unknown) => {
      if (serverCode(err) === 'UNAUTHORIZED')
        throw Object.assign(
          new Error(
            'The server did not accept this kit: check the email, or the kit was revoked (the account key was rotated since).',
          ),
          { code: 'RECOVERY_REFUSED' },
        );
      throw err;
    });
    // The generation the server named must be the kit key's: its retired chain opens from it.
    const keys = serverKeysSchema.parse(
      await createServerApi(serverUrl, session.token).client.account.keys.query({}),
    );
    if (keys.generation !== session.generation)
      throw new AccountError(
        'KEY_ROLLBACK',
        'The server named two generations for one key: refused.',
      );
    await openRetiredKeys(session.userId, session.accountKey, keys.generation, keys.retired).catch(
      (cause) => {
        throw new AccountError('OTHER_ACCOUNT', 'The server’s keys do not fit this kit: refused.', {
          cause,
        });
      },
    );
    return adopt(serverUrl, device.id, session);
  },
};
