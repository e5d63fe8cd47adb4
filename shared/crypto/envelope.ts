// Envelope v1: [version 1][alg 1 = AES-256-GCM][nonce 12][ciphertext || tag 16]. The header is
// authenticated with the caller's associated data; versions and algorithms outside the
// allowlist are refused, with no fallback.
import { bufferSource, concatBytes, randomBytes, utf8 } from './bytes.ts';
import { CryptoError } from './errors.ts';

export const ENVELOPE_VERSION = 1;
export const ALG_AES_256_GCM = 1;
const HEADER = 2;
const NONCE = 12;
const TAG = 16;
export const ENVELOPE_OVERHEAD = HEADER + NONCE + TAG;

const aad = (header: Uint8Array, ad: string) => concatBytes(header, utf8(ad));

/** Raw AES-256-GCM with a 128-bit tag: ciphertext || tag. */
export async function gcmEncrypt(
  key: CryptoKey,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  additionalData: Uint8Array,
) {
  const ct = await crypto.subtle.encrypt(
    {
      name: 'AES-GCM',
      iv: bufferSource(nonce),
      additionalData: bufferSource(additionalData),
      tagLength: TAG * 8,
    },
    key,
    bufferSource(plaintext),
  );
  return new Uint8Array(ct);
}

/** Raw AES-256-GCM open of ciphertext || tag; any failure is DECRYPT_FAILED. */
export async function gcmDecrypt(
  key: CryptoKey,
  nonce: Uint8Array,
  sealed: Uint8Array,
  additionalData: Uint8Array,
) {
  try {
    const pt = await crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: bufferSource(nonce),
        additionalData: bufferSource(additionalData),
        tagLength: TAG * 8,
      },
      key,
      bufferSource(sealed),
    );
    return new Uint8Array(pt);
  } catch (cause) {
    throw new CryptoError('DECRYPT_FAILED', 'Ciphertext failed authentication.', { cause });
  }
}

export async function seal(key: CryptoKey, plaintext: Uint8Array, ad: string): Promise<Uint8Array> {
  const header = new Uint8Array([ENVELOPE_VERSION, ALG_AES_256_GCM]);
  const nonce = randomBytes(NONCE);
  return concatBytes(header, nonce, await gcmEncrypt(key, nonce, plaintext, aad(header, ad)));
}

export async function open(key: CryptoKey, envelope: Uint8Array, ad: string): Promise<Uint8Array> {
  if (envelope.byteLength < ENVELOPE_OVERHEAD)
    throw new CryptoError('MALFORMED', 'Envelope is too short.');
  if (envelope[0] !== ENVELOPE_VERSION) {
    throw new CryptoError(
      'UNSUPPORTED_VERSION',
      `Envelope version ${envelope[0]} is not supported.`,
    );
  }
  if (envelope[1] !== ALG_AES_256_GCM) {
    throw new CryptoError(
      'UNSUPPORTED_ALGORITHM',
      `Envelope algorithm ${envelope[1]} is not supported.`,
    );
  }
  return gcmDecrypt(
    key,
    envelope.subarray(HEADER, HEADER + NONCE),
    envelope.subarray(HEADER + NONCE),
    aad(envelope.subarray(0, HEADER), ad),
  );
}

/** Imports 32 raw bytes as a non-extractable AES-256-GCM key. */
export async function importAesKey(raw: Uint8Array): Promise<CryptoKey> {
  if (raw.byteLength !== 32) throw new CryptoError('MALFORMED', 'An AES-256 key is 32 bytes.');
  return crypto.subtle.importKey('raw', bufferSource(raw), 'AES-GCM', false, [
    'encrypt',
    'decrypt',
  ]);
}
