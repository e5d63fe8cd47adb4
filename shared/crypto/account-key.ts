// The account key: 32 random bytes made once per account, kept only wrapped — by the password's
// wrapKey (bound to the account, its email, the key's generation and the KDF parameters), by a
// passkey's PRF key (bound to the credential and the generation), by the PIN key.
import {
  accountKeyAd,
  localAd,
  type PasswordWrapPlace,
  prfAd,
  retiredKeyAd,
} from './associated-data.ts';
import { randomBytes } from './bytes.ts';
import { importAesKey, open, seal } from './envelope.ts';
import { CryptoError } from './errors.ts';

export const newAccountKey = (): Uint8Array => randomBytes(32);

async function unwrap(key: CryptoKey, wrapped: Uint8Array, ad: string): Promise<Uint8Array> {
  const raw = await open(key, wrapped, ad);
  if (raw.byteLength !== 32) throw new CryptoError('MALFORMED', 'An account key is 32 bytes.');
  return raw;
}

export const wrapAccountKeyWithPassword = (
  accountKey: Uint8Array,
  wrapKey: CryptoKey,
  place: PasswordWrapPlace,
) => seal(wrapKey, accountKey, accountKeyAd(place));

export const unwrapAccountKeyWithPassword = (
  wrapped: Uint8Array,
  wrapKey: CryptoKey,
  place: PasswordWrapPlace,
) => unwrap(wrapKey, wrapped, accountKeyAd(place));

/** A retired account key (generation `generation`) wrapped by the key that replaced it. */
export const wrapRetiredKey = (
  retired: Uint8Array,
  successor: CryptoKey,
  userId: string,
  generation: number,
) => seal(successor, retired, retiredKeyAd(userId, generation));

export const unwrapRetiredKey = (
  wrapped: Uint8Array,
  successor: CryptoKey,
  userId: string,
  generation: number,
) => unwrap(successor, wrapped, retiredKeyAd(userId, generation));

export interface PrfWrapPlace {
  userId: string;
  credentialId: string;
  generation: number;
}

export const wrapAccountKeyWithPrf = (accountKey: Uint8Array, prfKey: CryptoKey, p: PrfWrapPlace) =>
  seal(prfKey, accountKey, prfAd(p.userId, p.credentialId, p.generation));

export const unwrapAccountKeyWithPrf = (wrapped: Uint8Array, prfKey: CryptoKey, p: PrfWrapPlace) =>
  unwrap(prfKey, wrapped, prfAd(p.userId, p.credentialId, p.generation));

export const wrapAccountKeyWithPin = (
  accountKey: Uint8Array,
  pinKey: CryptoKey,
  deviceId: string,
) => seal(pinKey, accountKey, localAd(deviceId, 'pin'));

export const unwrapAccountKeyWithPin = (wrapped: Uint8Array, pinKey: CryptoKey, deviceId: string) =>
  unwrap(pinKey, wrapped, localAd(deviceId, 'pin'));

/** The account key as a usable (non-extractable) AES key. */
export const importAccountKey = (raw: Uint8Array) => importAesKey(raw);
