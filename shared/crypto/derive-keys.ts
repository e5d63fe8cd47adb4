// Password → masterKey (Argon2id) → authKey (sent to the server) and wrapKey (never leaves).
import { argon2id } from 'hash-wasm';
import type { Kdf } from '../protocol/common.ts';
import { own, utf8 } from './bytes.ts';
import { importAesKey } from './envelope.ts';
import { assertKdfAllowed } from './kdf-policy.ts';

/** HKDF-SHA256; Cofre's subkeys use an empty salt and a purpose string as info. */
export async function hkdf(
  ikm: Uint8Array,
  info: string | Uint8Array,
  length = 32,
  salt: Uint8Array = new Uint8Array(0),
): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', own(ikm), 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: own(salt),
      info: own(typeof info === 'string' ? utf8(info) : info),
    },
    key,
    length * 8,
  );
  return new Uint8Array(bits);
}

/** Argon2id of the NFKC-normalised password; refuses parameters off the policy or below the pin. */
export async function deriveMasterKey(
  password: string,
  salt: Uint8Array,
  kdf: Kdf,
  pinned?: Kdf | null,
): Promise<Uint8Array> {
  assertKdfAllowed(kdf, pinned);
  return argon2idOf(password, salt, kdf);
}

/** Argon2id of the NFKC-normalised password with no policy check (known-answer tests only). */
export const argon2idOf = (password: string, salt: Uint8Array, kdf: Kdf) =>
  argon2id({
    password: utf8(password.normalize('NFKC')),
    salt,
    iterations: kdf.t,
    memorySize: kdf.m,
    parallelism: kdf.p,
    hashLength: 32,
    outputType: 'binary',
  });

export interface PasswordKeys {
  /** Sent to the server at login; the server stores Argon2id of it. */
  authKey: Uint8Array;
  /** Wraps the account key; never leaves the device. */
  wrapKey: CryptoKey;
}

export async function derivePasswordKeys(masterKey: Uint8Array): Promise<PasswordKeys> {
  const { authKey, wrapRaw } = await derivePasswordKeyBytes(masterKey);
  return { authKey, wrapKey: await importAesKey(wrapRaw) };
}

/** The same two keys as bytes: a sign-in waiting for its second step keeps the wrap key's. */
export async function derivePasswordKeyBytes(masterKey: Uint8Array) {
  const [authKey, wrapRaw] = await Promise.all([
    hkdf(masterKey, 'cofre/v1/auth'),
    hkdf(masterKey, 'cofre/v1/wrap'),
  ]);
  return { authKey, wrapRaw };
}

/** The key a passkey's PRF output (32 bytes) gives for wrapping the account key. */
export async function derivePrfKey(prfOutput: Uint8Array): Promise<CryptoKey> {
  return importAesKey(await hkdf(prfOutput, 'cofre/v1/prf'));
}

/** The PIN's key: Argon2id of the PIN with a salt kept on this device only. */
export async function derivePinKey(pin: string, salt: Uint8Array): Promise<CryptoKey> {
  return importAesKey(await deriveMasterKey(pin, salt, PIN_KDF));
}

const PIN_KDF: Kdf = { alg: 'argon2id', m: 65_536, t: 3, p: 4 };
