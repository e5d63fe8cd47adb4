// Signing a device in with the master password: a new device (login) or this one again after its
// session ended (reauthenticate), each with two-step sign-in when the account has it on (the
// sign-in waiting for its second step: pending-sign-in.ts).
import { AccountError } from '../../shared/account/account-error.ts';
import {
  completeSecondStep,
  loginWithPassword,
  type PendingSecondStep,
  SecondStepNeeded,
  type Session,
} from '../../shared/account/password-login.ts';
import { importAccountKey } from '../../shared/crypto/account-key.ts';
import { fromBase64url, toBase64url } from '../../shared/crypto/bytes.ts';
import { msg } from '../../shared/i18n-msg.ts';
import type { RequestOf, Responses } from '../messages.ts';
import { accountApi, adopt, deviceName } from './account-handlers.ts';
import { serverReason } from './describe-error.ts';
import { serverKeysSchema, takeRotatedKey } from './key-handlers.ts';
import { openLocal, sealLocal, sealToken } from './keys.ts';
import { clearPending, loadPending, savePending } from './pending-sign-in.ts';
import { createServerApi } from './server-api.ts';
import { type Account, loadAccount, loadSession, saveAccount } from './storage.ts';
import { getState, requireVault, unlockWith } from './worker-state.ts';

type Handler<T extends keyof Responses> = (req: RequestOf<T>) => Promise<Responses[T]>;

const expired = () =>
  new AccountError('MALFORMED_ANSWER', msg('This sign-in waited too long: sign in again.'));

/** The remembered-browser token of this device, sealed with the account key (so: unlocked). */
async function rememberTokenOf(account: Account, raw: Uint8Array) {
  if (!account.sealedRememberToken) return null;
  return openLocal(
    await importAccountKey(raw),
    account.deviceId,
    'remember-token',
    account.sealedRememberToken,
  ).catch(() => null);
}

async function withRememberToken(account: Account, raw: Uint8Array, token: string | undefined) {
  if (!token) return account;
  return {
    ...account,
    sealedRememberToken: await sealLocal(
      await importAccountKey(raw),
      account.deviceId,
      'remember-token',
      token,
    ),
  };
}

/** A new device's sign-in that passed every step: the account is stored here and unlocked. */
async function adoptSignedIn(serverUrl: string, deviceId: string, session: Session) {
  await adopt(serverUrl, deviceId, session);
  if (session.rememberToken) {
    const account = await loadAccount();
    if (account)
      await saveAccount(
        await withRememberToken(account, session.accountKey, session.rememberToken),
      );
  }
  return getState();
}

/**
 * This device signed in again: the new session replaces the old, every local edit kept. A key
 * another device rotated to is taken up only if it leads down to the one held here.
 */
async function resumeSignedIn(session: Session) {
  const account = await loadAccount();
  const unlocked = await loadSession();
  if (!account || !unlocked) throw expired();
  const raw = fromBase64url(unlocked.accountKey);
  const verified = {
    raw: session.accountKey,
    kdf: session.kdf,
    salt: session.salt,
    wrappedAccountKey: session.wrappedAccountKey,
    generation: session.generation,
  };
  if (toBase64url(session.accountKey) !== toBase64url(raw)) {
    // Another device rotated the account key (and so signed this one out): take it up.
    const keys = serverKeysSchema.parse(
      await createServerApi(account.serverUrl, session.token).client.account.keys.query({}),
    );
    const rotated = await takeRotatedKey(account, raw, verified, keys.retired, session.token);
    const kept = await withRememberToken(rotated, session.accountKey, session.rememberToken);
    await saveAccount(kept);
    await unlockWith(kept, session.accountKey);
    return getState();
  }
  if (session.generation !== account.keyGeneration)
    throw new AccountError(
      'KEY_ROLLBACK',
      msg('The server named another generation for the account key this device holds: refused.'),
    );
  const updated = await withRememberToken(
    {
      ...account,
      kdf: session.kdf,
      salt: session.salt,
      wrappedAccountKey: session.wrappedAccountKey,
      passwordVerified: true,
      sealedToken: await sealToken(await importAccountKey(raw), account.deviceId, session.token),
    },
    raw,
    session.rememberToken,
  );
  await saveAccount(updated);
  await unlockWith(updated, raw);
  return getState();
}

export const signInHandlers: { [K in keyof Responses]?: Handler<K> } = {
  /**
   * A new device signs in. Every sign-in asks to be remembered: a remembered browser gets through
   * an account lockout with the right password (its token is kept sealed on this device).
   */
  async login({ serverUrl, email, password, secondFactor }) {
    const device = { id: crypto.randomUUID(), name: deviceName() };
    try {
      const session = await loginWithPassword(accountApi(serverUrl), {
        email,
        password,
        device,
        remember: true,
        ...(secondFactor ? { secondFactor } : {}),
      });
      return await adoptSignedIn(serverUrl, device.id, session);
    } catch (err) {
      if (!(err instanceof SecondStepNeeded)) throw err;
      await savePending('sign-in', serverUrl, device.id, err.step);
      return getState();
    }
  },

  /**
   * A new session for this device (after expiry or revocation), keeping every local edit. The
   * sign-in is held to this device's pins (account, KDF, generation).
   */
  async reauthenticate({ password, secondFactor }) {
    await requireVault();
    const account = await loadAccount();
    const unlocked = await loadSession();
    if (!account || !unlocked) throw expired();
    const raw = fromBase64url(unlocked.accountKey);
    const pins = {
      userId: account.userId,
      kdf: account.passwordVerified ? account.kdf : null,
      generation: account.keyGeneration,
    };
    try {
      const session = await loginWithPassword(accountApi(account.serverUrl), {
        email: account.email,
        password,
        device: { id: account.deviceId, name: account.deviceName },
        pins,
        remember: true,
        rememberToken: await rememberTokenOf(account, raw),
        ...(secondFactor ? { secondFactor } : {}),
      });
      return await resumeSignedIn(session);
    } catch (err) {
      if (!(err instanceof SecondStepNeeded)) throw err;
      await savePending('sign-in-again', account.serverUrl, account.deviceId, err.step);
      return getState();
    }
  },

  /** The second step: a code, a recovery code, or a security key's answer. */
  async completeSignIn({ factor, remember }) {
    const p = await loadPending();
    if (!p) throw expired();
    const step: PendingSecondStep = { ...p, wrapRaw: fromBase64url(p.wrapRaw) };
    let session: Session;
    try {
      session = await completeSecondStep(accountApi(p.serverUrl), step, factor as never, remember);
    } catch (err) {
      // A spent or expired ticket cannot be tried again: start over.
      if (serverReason(err) === 'second-factor-expired') await clearPending();
      throw err;
    }
    await clearPending();
    return p.purpose === 'sign-in'
      ? adoptSignedIn(p.serverUrl, p.deviceId, session)
      : resumeSignedIn(session);
  },

  async secondFactorOptions() {
    const p = await loadPending();
    if (!p) throw expired();
    return (await createServerApi(p.serverUrl, null).client.account.secondFactorOptions.mutate({
      ticket: p.ticket,
    })) as Record<string, unknown>;
  },

  async cancelSignIn() {
    await clearPending();
    return getState();
  },
};
