// A record's ciphertext: [wrapped item key envelope (62 B)][body envelope]. Each write gets a
// fresh 32-byte item key, wrapped by the account key; both parts are bound by associated data
// to the user, the record id and the version this write will have.
import { itemAd, itemKeyAd, tombstoneAd } from './associated-data.ts';
import { concatBytes, randomBytes } from './bytes.ts';
import { ENVELOPE_OVERHEAD, importAesKey, open, seal } from './envelope.ts';
import { CryptoError } from './errors.ts';

const WRAPPED_ITEM_KEY = ENVELOPE_OVERHEAD + 32;

export interface RecordPlace {
  userId: string;
  recordId: string;
  version: number;
}

export async function encryptRecord(accountKey: CryptoKey, place: RecordPlace, body: Uint8Array) {
  const itemKeyRaw = randomBytes(32);
  const wrapped = await seal(
    accountKey,
    itemKeyRaw,
    itemKeyAd(place.userId, place.recordId, place.version),
  );
  const sealed = await seal(
    await importAesKey(itemKeyRaw),
    body,
    itemAd(place.userId, place.recordId, place.version),
  );
  return concatBytes(wrapped, sealed);
}

/**
 * Opens a record with the account key, or with any of the keys a rotation retired (`keys`:
 * newest first) for records not yet re-encrypted.
 */
export async function decryptRecord(
  keys: CryptoKey | readonly CryptoKey[],
  place: RecordPlace,
  ct: Uint8Array,
) {
  const itemKeyRaw = await openItemKey(keys, place, ct);
  if (itemKeyRaw.byteLength !== 32) throw new CryptoError('MALFORMED', 'An item key is 32 bytes.');
  return open(
    await importAesKey(itemKeyRaw),
    ct.subarray(WRAPPED_ITEM_KEY),
    itemAd(place.userId, place.recordId, place.version),
  );
}

/** The record's item key, unwrapped by the first of `keys` that opens it. */
async function openItemKey(
  keys: CryptoKey | readonly CryptoKey[],
  place: RecordPlace,
  ct: Uint8Array,
): Promise<Uint8Array> {
  if (ct.byteLength < WRAPPED_ITEM_KEY + ENVELOPE_OVERHEAD) {
    throw new CryptoError('MALFORMED', 'Record ciphertext is too short.');
  }
  const ring = Array.isArray(keys) ? keys : [keys as CryptoKey];
  const ad = itemKeyAd(place.userId, place.recordId, place.version);
  for (const [i, key] of ring.entries()) {
    try {
      return await open(key, ct.subarray(0, WRAPPED_ITEM_KEY), ad);
    } catch (err) {
      if (!(err instanceof CryptoError) || err.code !== 'DECRYPT_FAILED' || i === ring.length - 1)
        throw err;
    }
  }
  throw new CryptoError('DECRYPT_FAILED', 'No account key opens this record.');
}

/**
 * A deleted record's seal: `frame` (its revision, no content) sealed by the account key for
 * this user, id and version, so only a holder of the key can delete, and only this record.
 */
export const sealTombstone = (accountKey: CryptoKey, place: RecordPlace, frame: Uint8Array) =>
  seal(accountKey, frame, tombstoneAd(place.userId, place.recordId, place.version));

/** Opens a tombstone's seal with the first of `keys` (newest first) that opens it. */
export async function openTombstone(
  keys: CryptoKey | readonly CryptoKey[],
  place: RecordPlace,
  ct: Uint8Array,
): Promise<Uint8Array> {
  const ring = Array.isArray(keys) ? keys : [keys as CryptoKey];
  const ad = tombstoneAd(place.userId, place.recordId, place.version);
  for (const [i, key] of ring.entries()) {
    try {
      return await open(key, ct, ad);
    } catch (err) {
      if (!(err instanceof CryptoError) || err.code !== 'DECRYPT_FAILED' || i === ring.length - 1)
        throw err;
    }
  }
  throw new CryptoError('DECRYPT_FAILED', 'No account key opens this tombstone.');
}

/** Whether `key` itself (not a retired key) wrapped this record's item key. */
export async function isSealedBy(key: CryptoKey, place: RecordPlace, ct: Uint8Array) {
  try {
    await openItemKey(key, place, ct);
    return true;
  } catch (err) {
    if (err instanceof CryptoError) return false;
    throw err;
  }
}
