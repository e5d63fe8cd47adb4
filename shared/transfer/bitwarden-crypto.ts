// Bitwarden's password-protected export: a key from the export password (PBKDF2-SHA256, or
// Argon2id over SHA-256 of the salt), stretched by HKDF-Expand into an AES-256-CBC key and an
// HMAC-SHA256 key; each value an EncString "2.iv|ciphertext|mac" with mac = HMAC(iv || ct).

import { argon2id } from 'hash-wasm';
import { fromBase64, utf8 } from '../crypto/bytes.ts';
import { msg, said } from '../i18n-msg.ts';
import { ImportError } from './import-result.ts';

export interface BitwardenKdf {
  kdfType: number;
  kdfIterations: number;
  kdfMemory?: number | null;
  kdfParallelism?: number | null;
}

const buf = (b: Uint8Array) => b as Uint8Array<ArrayBuffer>;

async function hmac(key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey(
    'raw',
    buf(key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, buf(data)));
}

/** HKDF-Expand for one 32-byte block: HMAC(prk, info || 0x01). */
const expand = (prk: Uint8Array, info: string) => hmac(prk, new Uint8Array([...utf8(info), 1]));

export async function deriveExportKeys(password: string, salt: string, kdf: BitwardenKdf) {
  let master: Uint8Array;
  if (kdf.kdfType === 0) {
    if (kdf.kdfIterations < 5_000)
      throw new ImportError('MALFORMED', msg('The export’s KDF is too weak.'));
    const base = await crypto.subtle.importKey('raw', buf(utf8(password)), 'PBKDF2', false, [
      'deriveBits',
    ]);
    master = new Uint8Array(
      await crypto.subtle.deriveBits(
        { name: 'PBKDF2', hash: 'SHA-256', salt: buf(utf8(salt)), iterations: kdf.kdfIterations },
        base,
        256,
      ),
    );
  } else if (kdf.kdfType === 1) {
    const memoryMiB = kdf.kdfMemory ?? 64;
    if (memoryMiB < 16 || memoryMiB > 1024 || kdf.kdfIterations < 2 || kdf.kdfIterations > 20)
      throw new ImportError('MALFORMED', msg('The export’s Argon2id settings are out of range.'));
    master = await argon2id({
      password: utf8(password),
      salt: new Uint8Array(await crypto.subtle.digest('SHA-256', buf(utf8(salt)))),
      iterations: kdf.kdfIterations,
      memorySize: memoryMiB * 1024,
      parallelism: kdf.kdfParallelism ?? 4,
      hashLength: 32,
      outputType: 'binary',
    });
  } else {
    throw new ImportError(
      'MALFORMED',
      said('Unknown Bitwarden KDF type {type}.', { type: kdf.kdfType }),
    );
  }
  return { encKey: await expand(master, 'enc'), macKey: await expand(master, 'mac') };
}

/** Opens an EncString of type 2; a wrong key fails the MAC check (WRONG_PASSWORD). */
export async function decryptEncString(
  value: string,
  keys: { encKey: Uint8Array; macKey: Uint8Array },
): Promise<string> {
  const m = /^2\.([^|]+)\|([^|]+)\|([^|]+)$/.exec(value);
  if (!m) throw new ImportError('MALFORMED', msg('An encrypted value is not a type-2 EncString.'));
  const [iv, ct, mac] = [fromBase64(m[1]!), fromBase64(m[2]!), fromBase64(m[3]!)];
  const expected = await hmac(keys.macKey, new Uint8Array([...iv, ...ct]));
  if (expected.length !== mac.length || expected.some((b, i) => b !== mac[i]))
    throw new ImportError('WRONG_PASSWORD', msg('Wrong password for this export.'));
  const key = await crypto.subtle.importKey('raw', buf(keys.encKey), 'AES-CBC', false, ['decrypt']);
  const plain = await crypto.subtle.decrypt({ name: 'AES-CBC', iv: buf(iv) }, key, buf(ct));
  return new TextDecoder().decode(plain);
}
