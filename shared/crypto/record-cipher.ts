// A record's ciphertext: [wrapped item key envelope (62 B)][body envelope]. Each write gets a
// fresh 32-byte item key, wrapped by the account key; both parts are bound by associated data
// to the user, the record id and the version this write will have.
import { itemAd, itemKeyAd } from './associated-data.ts';
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

export async function decryptRecord(accountKey: CryptoKey, place: RecordPlace, ct: Uint8Array) {
  if (ct.byteLength < WRAPPED_ITEM_KEY + ENVELOPE_OVERHEAD) {
    throw new CryptoError('MALFORMED', 'Record ciphertext is too short.');
  }
  const itemKeyRaw = await open(
    accountKey,
    ct.subarray(0, WRAPPED_ITEM_KEY),
    itemKeyAd(place.userId, place.recordId, place.version),
  );
  if (itemKeyRaw.byteLength !== 32) throw new CryptoError('MALFORMED', 'An item key is 32 bytes.');
  return open(
    await importAesKey(itemKeyRaw),
    ct.subarray(WRAPPED_ITEM_KEY),
    itemAd(place.userId, place.recordId, place.version),
  );
}
