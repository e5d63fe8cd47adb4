// Handlers that change the keys of an account: the master password (same account key, new
// wrap, optionally stronger Argon2id) and the account key itself (a rotation: a new key, every
// record re-encrypted by the vault session). Also how a device takes up a key another device
// rotated: at its next sign-in, or its next password unlock while its session still holds.

import { browser } from 'wxt/browser';
import { openRetiredKeys, prepareRotation } from '../../shared/account/account-keyring.ts';
import {
  importAccountKey,
  unwrapAccountKeyWithPassword,
  wrapAccountKeyWithPassword,
} from '../../shared/crypto/account-key.ts';
import { fromBase64url, randomBytes, toBase64url } from '../../shared/crypto/bytes.ts';
import { deriveMasterKey, derivePasswordKeys } from '../../shared/crypto/derive-keys.ts';
import { DEFAULT_KDF, KDF_STRENGTHS } from '../../shared/crypto/kdf-policy.ts';
import type { Kdf } from '../../shared/protocol/common.ts';
import type { RequestOf, Responses } from '../messages.ts';
import { checkPassword, openLocal, sealLocal, sealToken } from './keys.ts';
import { type Account, loadAccount, saveAccount } from './storage.ts';
import { getState, requireVault, unlockWith } from './worker-state.ts';

type Handler<T extends keyof Responses> = (req: RequestOf<T>) => Promise<Responses[T]>;

export interface ServerKeys {
  kdf: Kdf;
  salt: string;
  wrappedAccountKey: string;
  generation: number;
  retired: Array<{ generation: number; wrapped: string }>;
}

const keyError = (code: string, message: string) => Object.assign(new Error(message), { code });

async function requireAccount(): Promise<Account> {
  const account = await loadAccount();
  if (!account) throw keyError('NO_ACCOUNT', 'Set up Cofre first.');
  return account;
}

/**
 * The account as it stands after another device rotated its key: `newRaw` (from the server's
 * wrap, opened with the password) must lead down the retired chain to `currentRaw`, the key
 * this device holds, or it is another account's key, or a server's lie. PIN and passkey wraps
 * held the old key, so they go; the token and local secrets are sealed again.
 */
export async function takeRotatedKey(
  account: Account,
  currentRaw: Uint8Array,
  newRaw: Uint8Array,
  keys: ServerKeys,
  token: string,
): Promise<Account> {
  if (keys.generation <= account.keyGeneration)
    throw keyError('OTHER_ACCOUNT', 'The server offered an account key older than this device’s.');
  const retired = await openRetiredKeys(account.userId, newRaw, keys.generation, keys.retired);
  const mine = retired[keys.generation - account.keyGeneration - 1];
  if (!mine || toBase64url(mine) !== toBase64url(currentRaw))
    throw keyError('OTHER_ACCOUNT', 'That is a different account: sign out first to switch.');
  const newKey = await importAccountKey(newRaw);
  await resealNeverList(account, await importAccountKey(currentRaw), newKey);
  return {
    ...account,
    kdf: keys.kdf,
    salt: keys.salt,
    wrappedAccountKey: keys.wrappedAccountKey,
    keyGeneration: keys.generation,
    retiredKeys: keys.retired,
    sealedToken: await sealToken(newKey, account.deviceId, token),
    pin: null,
    passkeys: [],
  };
}

/** The "never offer to save here" list is sealed with the account key: seal it again. */
async function resealNeverList(account: Account, oldKey: CryptoKey, newKey: CryptoKey) {
  const { neverSave } = await browser.storage.local.get('neverSave');
  if (typeof neverSave !== 'string') return;
  try {
    const list = await openLocal(oldKey, account.deviceId, 'never-save', neverSave);
    await browser.storage.local.set({
      neverSave: await sealLocal(newKey, account.deviceId, 'never-save', list),
    });
  } catch {
    await browser.storage.local.remove('neverSave');
  }
}

/**
 * After a password unlock with the server reachable: if another device rotated the account key
 * while this device's session held, take the new key now. Best effort: offline, nothing changes.
 */
export async function pickUpRotatedKey(account: Account, password: string, currentRaw: Uint8Array) {
  const v = await requireVault().catch(() => null);
  if (!v) return;
  let keys: ServerKeys;
  try {
    keys = await v.api.client.account.keys.query({});
  } catch {
    return;
  }
  if (keys.generation <= account.keyGeneration) return;
  const master = await deriveMasterKey(password, fromBase64url(keys.salt), keys.kdf, account.kdf);
  const { wrapKey } = await derivePasswordKeys(master);
  const newRaw = await unwrapAccountKeyWithPassword(
    fromBase64url(keys.wrappedAccountKey),
    wrapKey,
    account.userId,
    keys.kdf,
  );
  const token = v.api.token;
  const updated = await takeRotatedKey(account, currentRaw, newRaw, keys, token);
  await saveAccount(updated);
  await unlockWith(updated, newRaw);
}

export const keyHandlers: { [K in keyof Responses]?: Handler<K> } = {
  /** Re-wraps the same account key under the new password; every other session is revoked. */
  async changePassword({ current, next, strength }) {
    const v = await requireVault();
    const account = await requireAccount();
    const { accountKey: raw, authKey } = await checkPassword(account, current);
    const kdf: Kdf = strength
      ? KDF_STRENGTHS[strength]
      : account.kdf.m >= DEFAULT_KDF.m && account.kdf.t >= DEFAULT_KDF.t
        ? account.kdf
        : DEFAULT_KDF;
    if (kdf.m < account.kdf.m || kdf.t < account.kdf.t)
      throw keyError(
        'KDF_DOWNGRADE',
        'Pick at least the current strength: other devices refuse weaker settings than before.',
      );
    const salt = randomBytes(16);
    const newKeys = await derivePasswordKeys(await deriveMasterKey(next, salt, kdf));
    const wrapped = toBase64url(
      await wrapAccountKeyWithPassword(raw, newKeys.wrapKey, account.userId, kdf),
    );
    await v.api.client.account.changePassword.mutate({
      authKey: toBase64url(authKey),
      newAuthKey: toBase64url(newKeys.authKey),
      newKdf: kdf,
      newSalt: toBase64url(salt),
      newWrappedAccountKey: wrapped,
    });
    await saveAccount({ ...account, kdf, salt: toBase64url(salt), wrappedAccountKey: wrapped });
    return getState();
  },

  /**
   * A new account key: the server takes it (with the retired one wrapped by it) and signs out
   * every other device; this device seals its secrets with it and the vault session then
   * re-encrypts every record in batches, with progress, resuming after a crash or a restart.
   */
  async rotateAccountKey({ password }) {
    const v = await requireVault();
    const account = await requireAccount();
    const { accountKey: raw, authKey, wrapKey } = await checkPassword(account, password);
    const { nextRaw, request } = await prepareRotation({
      userId: account.userId,
      currentRaw: raw,
      generation: account.keyGeneration,
      wrapKey,
      kdf: account.kdf,
    });
    await v.api.client.account.rotateKey.mutate({ ...request, authKey: toBase64url(authKey) });
    const next = await importAccountKey(nextRaw);
    await resealNeverList(account, await importAccountKey(raw), next);
    const updated: Account = {
      ...account,
      wrappedAccountKey: request.newWrappedAccountKey,
      keyGeneration: request.generation,
      retiredKeys: [
        ...account.retiredKeys,
        { generation: account.keyGeneration, wrapped: request.retiredKey },
      ],
      sealedToken: await sealToken(next, account.deviceId, v.api.token),
      pin: null,
      passkeys: [],
    };
    await saveAccount(updated);
    await unlockWith(updated, nextRaw);
    return getState();
  },
};
