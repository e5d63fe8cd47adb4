// Handlers for the account side of the message API: onboarding, unlock, lock, PIN, passkeys,
// sessions, settings and the master password change.
import { browser } from 'wxt/browser';
import { z } from 'zod';
import { serverKeyMismatch } from '../../shared/account/account-error.ts';
import { sealRemoval } from '../../shared/account/device-removal.ts';
import { registerWithPassword, type Session } from '../../shared/account/password-login.ts';
import {
  importAccountKey,
  unwrapAccountKeyWithPrf,
  wrapAccountKeyWithPrf,
} from '../../shared/crypto/account-key.ts';
import { fromBase64url, randomBytes, toBase64url } from '../../shared/crypto/bytes.ts';
import { derivePrfKey } from '../../shared/crypto/derive-keys.ts';
import { assertKdfAllowed } from '../../shared/crypto/kdf-policy.ts';
import type { RequestOf, Responses } from '../messages.ts';
import { pickUpRotatedKey, serverKeysSchema } from './key-handlers.ts';
import {
  makePin,
  sealToken,
  UnlockError,
  unlockWithPassword,
  unlockWithPin,
  unlockWithPrf,
} from './keys.ts';
import { createServerApi } from './server-api.ts';
import {
  type Account,
  clearSession,
  loadAccount,
  loadSession,
  loadSettings,
  saveAccount,
  saveSettings,
} from './storage.ts';
import {
  broadcast,
  currentVault,
  eraseThisDevice,
  getState,
  lock,
  requireVault,
  touch,
  unlockWith,
} from './worker-state.ts';

const signupPolicySchema = z.object({
  mode: z.enum(['open', 'invite', 'closed']),
  domains: z.array(z.string().max(253)).max(1000).nullable(),
});

type Handler<T extends keyof Responses> = (req: RequestOf<T>) => Promise<Responses[T]>;

/**
 * What a new device is called until its owner names it: the browser with its major version, the
 * OS, and the day it signed in ("Chromium 156 on Linux, 2 Dec"), so two are told apart.
 */
export const deviceName = () => {
  const ua = (
    navigator as {
      userAgentData?: { platform?: string; brands?: Array<{ brand: string; version: string }> };
    }
  ).userAgentData;
  const brand =
    ua?.brands?.find(
      (b) => /Chrom|Edge|Opera|Brave|Vivaldi/.test(b.brand) && b.brand !== 'Chromium',
    ) ?? ua?.brands?.find((b) => b.brand === 'Chromium');
  const browserName = brand ? `${brand.brand.replace(/^Google /, '')} ${brand.version}` : 'Chrome';
  const day = new Date().toLocaleDateString('en', { day: 'numeric', month: 'short' });
  return `${browserName}${ua?.platform ? ` on ${ua.platform}` : ''}, ${day}`.slice(0, 100);
};

async function requireAccount(): Promise<Account> {
  const account = await loadAccount();
  if (!account) throw Object.assign(new Error('Set up Cofre first.'), { code: 'NO_ACCOUNT' });
  return account;
}

async function rawAccountKey(): Promise<Uint8Array> {
  await requireVault();
  const session = await loadSession();
  if (!session) throw Object.assign(new Error('The vault is locked.'), { code: 'LOCKED' });
  return fromBase64url(session.accountKey);
}

/**
 * Stores a freshly signed-in account on this device and unlocks it. Everything in `session` was
 * verified by opening the account key (or, after a passkey sign-in, `passwordVerified` is false:
 * the password wrap came unopened). A new device holds no copy a retired key sealed, so it keeps
 * no retired key: every record it takes from the server must be sealed by the current one.
 */
export async function adopt(
  serverUrl: string,
  deviceId: string,
  session: Session,
  opts: { passkeys?: Account['passkeys']; passwordVerified?: boolean } = {},
) {
  const key = await importAccountKey(session.accountKey);
  const account: Account = {
    serverUrl,
    userId: session.userId,
    email: session.email,
    deviceId,
    deviceName: deviceName(),
    kdf: session.kdf,
    salt: session.salt,
    wrappedAccountKey: session.wrappedAccountKey,
    passwordVerified: opts.passwordVerified ?? true,
    keyGeneration: session.generation,
    retiredKeys: [],
    rekeyedGeneration: session.generation,
    sealedToken: await sealToken(key, deviceId, session.token),
    pin: null,
    passkeys: opts.passkeys ?? [],
  };
  await saveAccount(account);
  await unlockWith(account, session.accountKey);
  return getState();
}

export const accountApi = (serverUrl: string) => {
  const api = createServerApi(serverUrl, null).client;
  return {
    prelogin: (i: { email: string }) => api.account.prelogin.query(i),
    register: (i: Parameters<typeof api.account.register.mutate>[0]) =>
      api.account.register.mutate(i),
    login: (i: Parameters<typeof api.account.login.mutate>[0]) => api.account.login.mutate(i),
    completeLogin: (i: Parameters<typeof api.account.completeLogin.mutate>[0]) =>
      api.account.completeLogin.mutate(i),
  };
};

export const accountHandlers: { [K in keyof Responses]?: Handler<K> } = {
  getState: () => getState(),

  async checkServer({ url }) {
    try {
      const res = await fetch(`${url.replace(/\/+$/, '')}/readyz`, {
        signal: AbortSignal.timeout(5_000),
      });
      // A Cofre server answers exactly "ready" (or 503 "database unavailable"); anything else
      // that answers is another server at that address (a web page, a proxy's error page).
      const text = (await res.text().catch(() => '')).slice(0, 200).trim();
      if (res.ok && text === 'ready') return { ok: true };
      if (res.status === 503 && text === 'database unavailable')
        return { ok: false, reason: 'not-ready' as const };
      return { ok: false, reason: 'not-cofre' as const };
    } catch {
      return { ok: false, reason: 'unreachable' as const };
    }
  },

  async signupPolicy({ serverUrl }) {
    try {
      const policy = await createServerApi(serverUrl, null).client.account.signupPolicy.query({});
      return signupPolicySchema.parse(policy);
    } catch {
      return null;
    }
  },

  async register({ serverUrl, email, password, invitation }) {
    const device = { id: crypto.randomUUID(), name: deviceName() };
    const session = await registerWithPassword(accountApi(serverUrl), {
      email,
      password,
      device,
      ...(invitation ? { invitation } : {}),
    });
    return adopt(serverUrl, device.id, session);
  },

  async passkeyLoginOptions({ serverUrl, email }) {
    const api = createServerApi(serverUrl, null).client;
    return (await api.passkeys.loginOptions.mutate(email ? { email } : {})) as Record<
      string,
      unknown
    >;
  },

  /**
   * A new device signed in with a passkey: the PRF wrap must open for the account and the
   * generation the server states (so an older key's wrap does not pass for the current one). The
   * password wrap comes along unopened, for offline password unlocks: it pins nothing until the
   * first one opens it.
   */
  async passkeyLogin({ serverUrl, response, prfOutput }) {
    const api = createServerApi(serverUrl, null).client;
    const device = { id: crypto.randomUUID(), name: deviceName() };
    const res = await api.passkeys.login.mutate({ response: response as never, device });
    if (!res.prfWrappedAccountKey || !res.prfSalt)
      throw new UnlockError(
        'PASSKEY_FAILED',
        'This passkey cannot unlock the vault (no PRF): sign in with your password.',
      );
    const credentialId = String(response.id);
    const authed = createServerApi(serverUrl, res.token).client;
    const [me, rawKeys] = await Promise.all([
      authed.account.me.query({}),
      authed.account.keys.query({}),
    ]);
    const keys = serverKeysSchema.parse(rawKeys);
    assertKdfAllowed(keys.kdf);
    let raw: Uint8Array;
    try {
      raw = await unwrapAccountKeyWithPrf(
        fromBase64url(res.prfWrappedAccountKey),
        await derivePrfKey(fromBase64url(prfOutput)),
        { userId: res.userId, credentialId, generation: keys.generation },
      );
    } catch (cause) {
      throw serverKeyMismatch(cause);
    }
    return adopt(
      serverUrl,
      device.id,
      {
        userId: res.userId,
        email: me.email,
        token: res.token,
        accountKey: raw,
        kdf: keys.kdf,
        salt: keys.salt,
        wrappedAccountKey: keys.wrappedAccountKey,
        generation: keys.generation,
      },
      {
        passwordVerified: false,
        passkeys: [
          {
            credentialId,
            prfSalt: res.prfSalt,
            wrapped: res.prfWrappedAccountKey,
            name: 'Passkey',
          },
        ],
      },
    );
  },

  async unlockPassword({ password }) {
    let account = await requireAccount();
    const raw = await unlockWithPassword(account, password);
    // The wrap opened here: from now on its parameters and salt are this device's pins.
    if (!account.passwordVerified) {
      account = { ...account, passwordVerified: true };
      await saveAccount(account);
    }
    await unlockWith(account, raw);
    // In the background: the unlock does not wait for the network (offline, it changes nothing).
    void pickUpRotatedKey(account, password, raw).catch(() => {});
    return getState();
  },

  async unlockPin({ pin }) {
    const account = await requireAccount();
    try {
      await unlockWith(account, await unlockWithPin(requireAccount, pin));
    } finally {
      broadcast();
    }
    return getState();
  },

  async unlockPasskey({ credentialId, prfOutput }) {
    const account = await requireAccount();
    await unlockWith(account, await unlockWithPrf(account, credentialId, fromBase64url(prfOutput)));
    return getState();
  },

  async lock() {
    await lock();
    return getState();
  },

  async signOut() {
    const account = await loadAccount();
    if (account) {
      const v = await requireVault().catch(() => null);
      await v?.api.client.account.logout.mutate({}).catch(() => {});
      await eraseThisDevice(account);
    }
    await clearSession();
    return getState();
  },

  async renameDevice({ name }) {
    const account = await requireAccount();
    await saveAccount({ ...account, deviceName: name });
    const v = await currentVault();
    // Offline, the server learns the name at the next rename; the vault uses it at once.
    await v?.api.client.sessions.renameDevice.mutate({ name }).catch(() => {});
    return getState();
  },

  async dismissRemoved() {
    await browser.storage.local.remove('removed');
    return getState();
  },

  async saveSettings({ settings }) {
    await saveSettings({ ...(await loadSettings()), ...settings });
    // The new lock settings take effect now (a new deadline, the restart copy kept or dropped).
    await touch({ force: true });
    broadcast();
    return getState();
  },

  async setPin({ pin }) {
    const account = await requireAccount();
    await saveAccount({ ...account, pin: await makePin(account, pin, await rawAccountKey()) });
    return getState();
  },

  async removePin() {
    await saveAccount({ ...(await requireAccount()), pin: null });
    return getState();
  },

  async passkeyRegistrationOptions() {
    const v = await requireVault();
    const options = (await v.api.client.passkeys.registrationOptions.mutate({})) as Record<
      string,
      unknown
    >;
    return { options, prfSalt: toBase64url(randomBytes(32)) };
  },

  async registerPasskey({ name, response, prfOutput, prfSalt }) {
    const v = await requireVault();
    const account = await requireAccount();
    const credentialId = String(response.id);
    const wrapped = toBase64url(
      await wrapAccountKeyWithPrf(
        await rawAccountKey(),
        await derivePrfKey(fromBase64url(prfOutput)),
        { userId: account.userId, credentialId, generation: account.keyGeneration },
      ),
    );
    await v.api.client.passkeys.register.mutate({
      response: response as never,
      name,
      prfSalt,
      prfWrappedAccountKey: wrapped,
    });
    await saveAccount({
      ...account,
      passkeys: [...account.passkeys, { credentialId, prfSalt, wrapped, name }],
    });
    return getState();
  },

  async listPasskeys() {
    const v = await requireVault();
    const account = await requireAccount();
    // Security keys added for two-step sign-in are listed (and removed) in its own settings.
    const list = (await v.api.client.passkeys.list.query({})).filter((p) => !p.secondFactor);
    return list.map((p) => ({
      id: p.id,
      name: p.name,
      createdAt: String(p.createdAt),
      hasPrf: p.hasPrf,
      here: account.passkeys.some((k) => k.credentialId === p.id),
    }));
  },

  async removePasskey({ id }) {
    const v = await requireVault();
    await v.api.client.passkeys.remove.mutate({ id });
    const account = await requireAccount();
    await saveAccount({
      ...account,
      passkeys: account.passkeys.filter((p) => p.credentialId !== id),
    });
    return getState();
  },

  async listSessions() {
    const v = await requireVault();
    const list = await v.api.client.sessions.list.query({});
    return list.map((s) => ({
      id: s.id,
      deviceName: s.deviceName,
      deviceId: s.deviceId,
      createdAt: String(s.createdAt),
      lastSeenAt: String(s.lastSeenAt),
      current: s.current,
    }));
  },

  /**
   * Ends another device's session and orders it to erase its vault: the order is sealed by the
   * account key, so the server can pass it on but not forge one.
   */
  async revokeSession({ id }) {
    const v = await requireVault();
    const account = await requireAccount();
    const target = (await v.api.client.sessions.list.query({})).find((s) => s.id === id);
    if (!target)
      throw Object.assign(new Error('That device is already signed out.'), { code: 'NOT_FOUND' });
    if (target.current)
      throw Object.assign(new Error('Use “Sign out” to remove this device.'), {
        code: 'BAD_REQUEST',
      });
    const proof = await sealRemoval(v.accountKey, account.userId, {
      device: target.deviceId,
      at: new Date().toISOString(),
      by: account.deviceName,
    });
    await v.api.client.sessions.revoke.mutate({ id, removalProof: toBase64url(proof) });
    return {};
  },
};
