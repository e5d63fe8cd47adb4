// Handlers that change the keys of an account: the master password (same account key, new
// wrap, optionally stronger Argon2id) and the account key itself (a rotation: a new key under a
// new salt, every record re-encrypted by the vault session). Also how a device takes up a key
// another device rotated: at its next sign-in, or its next password unlock while its session
// still holds. Nothing the server sends is saved before it has been opened and checked.
import { browser } from 'wxt/browser';
import { z } from 'zod';
import { serverKeyMismatch } from '../../shared/account/account-error.ts';
import {
  checkSuccessor,
  prepareRotation,
  type RetiredKey,
  retiredKeySchema,
} from '../../shared/account/account-keyring.ts';
import { statedKdfSchema } from '../../shared/account/password-login.ts';
import {
  importAccountKey,
  unwrapAccountKeyWithPassword,
  wrapAccountKeyWithPassword,
} from '../../shared/crypto/account-key.ts';
import { fromBase64url, randomBytes, toBase64url } from '../../shared/crypto/bytes.ts';
import { deriveMasterKey, derivePasswordKeys } from '../../shared/crypto/derive-keys.ts';
import { CryptoError } from '../../shared/crypto/errors.ts';
import { DEFAULT_KDF, KDF_STRENGTHS } from '../../shared/crypto/kdf-policy.ts';
import type { Kdf } from '../../shared/protocol/common.ts';
import type { RequestOf, Responses } from '../messages.ts';
import { checkPassword, openLocal, passwordPlace, sealLocal, sealToken } from './keys.ts';
import { serverCode } from './server-api.ts';
import { type Account, loadAccount, saveAccount } from './storage.ts';
import { getState, requireVault, unlockWith } from './worker-state.ts';

type Handler<T extends keyof Responses> = (req: RequestOf<T>) => Promise<Responses[T]>;

/** account.keys as the server states it, before anything in it is believed. */
export const serverKeysSchema = z.object({
  kdf: statedKdfSchema,
  salt: z.string().min(1).max(200),
  wrappedAccountKey: z.string().min(1).max(1400),
  generation: z.number().int().min(1).max(1_000_000),
  retired: z.array(retiredKeySchema).max(10_000),
});
export type ServerKeys = z.infer<typeof serverKeysSchema>;

/** The password wrap, and the key it holds, once opened. */
export interface VerifiedWrap {
  raw: Uint8Array;
  kdf: Kdf;
  salt: string;
  wrappedAccountKey: string;
  generation: number;
}

const keyError = (code: string, message: string) => Object.assign(new Error(message), { code });

async function requireAccount(): Promise<Account> {
  const account = await loadAccount();
  if (!account) throw keyError('NO_ACCOUNT', 'Set up Cofre first.');
  return account;
}

/**
 * The account as it stands once this device holds `next`, the key another device rotated to:
 * checked to lead down the retired chain to the key this device holds (or it is another
 * account's key, or a lie). PIN and passkey wraps held the old key, so they go; the token and
 * local secrets are sealed again. The retired chain is kept: it opens this device's old copies.
 */
export async function takeRotatedKey(
  account: Account,
  currentRaw: Uint8Array,
  next: VerifiedWrap,
  retired: readonly RetiredKey[],
  token: string,
): Promise<Account> {
  await checkSuccessor({
    userId: account.userId,
    currentRaw,
    currentGeneration: account.keyGeneration,
    newRaw: next.raw,
    newGeneration: next.generation,
    retired,
  });
  const newKey = await importAccountKey(next.raw);
  await resealNeverList(account, await importAccountKey(currentRaw), newKey);
  return {
    ...account,
    kdf: next.kdf,
    salt: next.salt,
    wrappedAccountKey: next.wrappedAccountKey,
    passwordVerified: true,
    keyGeneration: next.generation,
    retiredKeys: retired.filter((r) => r.generation < next.generation),
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
 * The server's password wrap opened with the password: the parameters are checked against the
 * floor, the ceiling and this device's pin before anything is derived, and the wrap must name
 * this account, its email and the generation the server states. A wrap that does not open
 * after the password was proven right here is the server's fault, and is said so.
 */
export async function openServerWrap(account: Account, keys: ServerKeys, password: string) {
  const master = await deriveMasterKey(
    password,
    fromBase64url(keys.salt),
    keys.kdf,
    account.passwordVerified ? account.kdf : null,
  );
  const { wrapKey } = await derivePasswordKeys(master);
  try {
    const raw = await unwrapAccountKeyWithPassword(fromBase64url(keys.wrappedAccountKey), wrapKey, {
      ...passwordPlace(account),
      generation: keys.generation,
      kdf: keys.kdf,
    });
    return { raw, ...keys } satisfies VerifiedWrap;
  } catch (cause) {
    if (cause instanceof CryptoError || cause instanceof TypeError) throw serverKeyMismatch(cause);
    throw cause;
  }
}

/**
 * After a password unlock with the server reachable: if another device rotated the account key
 * while this device's session held, take the new key now. Offline, nothing changes; a server
 * whose answer does not check out changes nothing either, and is reported.
 */
export async function pickUpRotatedKey(account: Account, password: string, currentRaw: Uint8Array) {
  const v = await requireVault().catch(() => null);
  if (!v) return;
  let raw: unknown;
  try {
    raw = await v.api.client.account.keys.query({});
  } catch {
    return;
  }
  const parsed = serverKeysSchema.safeParse(raw);
  if (!parsed.success) return v.warn('The server sent unusable account keys: ignored.');
  const keys = parsed.data;
  if (keys.generation <= account.keyGeneration) return;
  try {
    const next = await openServerWrap(account, keys, password);
    const updated = await takeRotatedKey(account, currentRaw, next, keys.retired, v.api.token);
    await saveAccount(updated);
    await unlockWith(updated, next.raw);
  } catch (error) {
    v.warn(error instanceof Error ? error.message : 'The server’s new account key was refused.');
  }
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
      await wrapAccountKeyWithPassword(raw, newKeys.wrapKey, { ...passwordPlace(account), kdf }),
    );
    await v.api.client.account.changePassword.mutate({
      authKey: toBase64url(authKey),
      newAuthKey: toBase64url(newKeys.authKey),
      newKdf: kdf,
      newSalt: toBase64url(salt),
      newWrappedAccountKey: wrapped,
    });
    await saveAccount({
      ...account,
      kdf,
      salt: toBase64url(salt),
      wrappedAccountKey: wrapped,
      passwordVerified: true,
    });
    return getState();
  },

  /**
   * A new account key under a new salt: the server takes it (with the retired one wrapped by it)
   * once this device has synced everything, and signs out every other device; this device
   * seals its secrets with it and the vault session then re-encrypts every record in batches,
   * with progress, resuming after a crash or a restart.
   */
  async rotateAccountKey({ password }) {
    const v = await requireVault();
    const account = await requireAccount();
    const { accountKey: raw, authKey } = await checkPassword(account, password);
    const { nextRaw, salt, request } = await prepareRotation({
      userId: account.userId,
      email: account.email,
      password,
      currentRaw: raw,
      generation: account.keyGeneration,
      kdf: account.kdf,
    });
    // The server refuses while anything was written since this device's last pull: sync, try
    // again (another device may be writing; three tries).
    for (let attempt = 1; ; attempt++) {
      await v.sync();
      try {
        await v.api.client.account.rotateKey.mutate({
          ...request,
          authKey: toBase64url(authKey),
          head: await v.cursor(),
        });
        break;
      } catch (error) {
        if (serverCode(error) !== 'CONFLICT' || attempt >= 3) throw error;
      }
    }
    const next = await importAccountKey(nextRaw);
    await resealNeverList(account, await importAccountKey(raw), next);
    const updated: Account = {
      ...account,
      salt,
      wrappedAccountKey: request.newWrappedAccountKey,
      passwordVerified: true,
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
