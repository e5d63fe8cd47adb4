// Unlock paths of this device, all local (they work with the server down): the master password
// against the locally kept wrapped key, a passkey's PRF output, or the PIN (5 wrong tries erase
// it). Each returns the raw account key or throws an UnlockError a user can read.
import {
  unwrapAccountKeyWithPassword,
  unwrapAccountKeyWithPin,
  unwrapAccountKeyWithPrf,
  wrapAccountKeyWithPin,
} from '../../shared/crypto/account-key.ts';
import { localAd } from '../../shared/crypto/associated-data.ts';
import {
  fromBase64url,
  fromUtf8,
  randomBytes,
  toBase64url,
  utf8,
} from '../../shared/crypto/bytes.ts';
import {
  deriveMasterKey,
  derivePasswordKeys,
  derivePinKey,
  derivePrfKey,
} from '../../shared/crypto/derive-keys.ts';
import { open, seal } from '../../shared/crypto/envelope.ts';
import { CryptoError } from '../../shared/crypto/errors.ts';
import { msg } from '../../shared/i18n-msg.ts';
import { type Account, PIN_MAX_TRIES, saveAccount } from './storage.ts';

export class UnlockError extends Error {
  constructor(
    readonly code:
      | 'WRONG_PASSWORD'
      | 'WRONG_PIN'
      | 'PIN_ERASED'
      | 'NO_PIN'
      | 'UNKNOWN_PASSKEY'
      | 'PASSKEY_FAILED',
    message: string,
  ) {
    super(message);
    this.name = 'UnlockError';
  }
}

export async function unlockWithPassword(account: Account, password: string): Promise<Uint8Array> {
  return (await checkPassword(account, password)).accountKey;
}

/**
 * The account key, and the authKey that proves the password to the server: one Argon2id run,
 * against the wrap kept on this device. The KDF parameters are checked against the floor and
 * the ceiling first (after a passkey sign-in they came from the server unopened).
 */
export async function checkPassword(account: Account, password: string) {
  const master = await deriveMasterKey(
    password,
    fromBase64url(account.salt),
    account.kdf,
    account.passwordVerified ? account.kdf : null,
  );
  const { wrapKey, authKey } = await derivePasswordKeys(master);
  try {
    const accountKey = await unwrapAccountKeyWithPassword(
      fromBase64url(account.wrappedAccountKey),
      wrapKey,
      passwordPlace(account),
    );
    return { accountKey, authKey, wrapKey };
  } catch (cause) {
    if (cause instanceof CryptoError && cause.code === 'DECRYPT_FAILED')
      throw new UnlockError(
        'WRONG_PASSWORD',
        account.passwordVerified
          ? msg('Wrong master password.')
          : msg(
              'Wrong master password — or the server gave this device a key that does not fit it (it came with the passkey sign-in and has not been opened here yet).',
            ),
      );
    throw cause;
  }
}

/** Where this device's password wrap belongs (its associated data). */
export const passwordPlace = (a: Account) => ({
  userId: a.userId,
  email: a.email,
  generation: a.keyGeneration,
  kdf: a.kdf,
});

let pinQueue: Promise<unknown> = Promise.resolve();

/**
 * The failure is counted on disk BEFORE the attempt, so killing the worker cannot reset it, and
 * attempts run one at a time, so parallel guesses cannot share one count.
 */
export function unlockWithPin(load: () => Promise<Account>, pin: string): Promise<Uint8Array> {
  const run = pinQueue.then(async () => tryPin(await load(), pin));
  pinQueue = run.catch(() => {});
  return run;
}

async function tryPin(account: Account, pin: string): Promise<Uint8Array> {
  if (!account.pin) throw new UnlockError('NO_PIN', 'No PIN is set on this device.');
  const pinState = { ...account.pin, failures: account.pin.failures + 1 };
  await saveAccount({ ...account, pin: pinState });
  try {
    const key = await derivePinKey(pin, fromBase64url(pinState.salt));
    const raw = await unwrapAccountKeyWithPin(
      fromBase64url(pinState.wrapped),
      key,
      account.deviceId,
    );
    await saveAccount({ ...account, pin: { ...pinState, failures: 0 } });
    return raw;
  } catch (cause) {
    if (!(cause instanceof CryptoError)) throw cause;
    if (pinState.failures >= PIN_MAX_TRIES) {
      await saveAccount({ ...account, pin: null });
      throw new UnlockError(
        'PIN_ERASED',
        msg('Wrong PIN 5 times: the PIN was erased. Unlock with your master password.'),
      );
    }
    const left = PIN_MAX_TRIES - pinState.failures;
    throw new UnlockError('WRONG_PIN', `Wrong PIN. ${left} ${left === 1 ? 'try' : 'tries'} left.`);
  }
}

export async function makePin(account: Account, pin: string, accountKeyRaw: Uint8Array) {
  const salt = randomBytes(16);
  const key = await derivePinKey(pin, salt);
  const wrapped = await wrapAccountKeyWithPin(accountKeyRaw, key, account.deviceId);
  return { salt: toBase64url(salt), wrapped: toBase64url(wrapped), failures: 0 };
}

export async function unlockWithPrf(account: Account, credentialId: string, prfOutput: Uint8Array) {
  const passkey = account.passkeys.find((p) => p.credentialId === credentialId);
  if (!passkey)
    throw new UnlockError('UNKNOWN_PASSKEY', 'This passkey is not set up on this device.');
  try {
    return await unwrapAccountKeyWithPrf(
      fromBase64url(passkey.wrapped),
      await derivePrfKey(prfOutput),
      { userId: account.userId, credentialId, generation: account.keyGeneration },
    );
  } catch (cause) {
    if (cause instanceof CryptoError)
      throw new UnlockError('PASSKEY_FAILED', 'The passkey did not unlock this vault.');
    throw cause;
  }
}

/** Seals a small local secret with the account key, bound to this device and its purpose. */
export const sealLocal = async (key: CryptoKey, deviceId: string, purpose: string, text: string) =>
  toBase64url(await seal(key, utf8(text), localAd(deviceId, purpose)));
export const openLocal = async (
  key: CryptoKey,
  deviceId: string,
  purpose: string,
  sealed: string,
) => fromUtf8(await open(key, fromBase64url(sealed), localAd(deviceId, purpose)));

export const sealToken = (key: CryptoKey, deviceId: string, token: string) =>
  sealLocal(key, deviceId, 'session-token', token);
export const openToken = (key: CryptoKey, deviceId: string, sealed: string) =>
  openLocal(key, deviceId, 'session-token', sealed);
