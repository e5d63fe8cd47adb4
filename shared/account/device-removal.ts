// A device removed from the account by another of its devices: the order is sealed by the
// account key, so only a device of the account can give it and the server can only pass it on.
// The removed device erases its vault only when the order opens with its account key and names
// it (device ids are new at every sign-in, so an old order cannot remove a later sign-in); a
// server that merely refuses the session gets "sign in again", never an erasure.
import { fromUtf8, utf8 } from '../crypto/bytes.ts';
import { open, seal } from '../crypto/envelope.ts';

export const removalAd = (userId: string, deviceId: string) =>
  `cofre/v1/device-removed|${userId}|${deviceId}`;

export interface RemovalOrder {
  /** The removed device. */
  device: string;
  /** When the order was given (ISO time). */
  at: string;
  /** The name of the device that gave it, as its owner knows it. */
  by: string;
}

export const sealRemoval = (key: CryptoKey, userId: string, order: RemovalOrder) =>
  seal(key, utf8(JSON.stringify(order)), removalAd(userId, order.device));

/**
 * The order, if `proof` opens with one of `keys` for this user and device; null otherwise (a
 * forgery, another device's order, a key this device never had).
 */
export async function openRemoval(
  keys: CryptoKey[],
  userId: string,
  deviceId: string,
  proof: Uint8Array,
): Promise<RemovalOrder | null> {
  for (const key of keys) {
    try {
      const order = JSON.parse(fromUtf8(await open(key, proof, removalAd(userId, deviceId))));
      if (
        order?.device === deviceId &&
        typeof order.at === 'string' &&
        typeof order.by === 'string'
      )
        return { device: order.device, at: order.at, by: order.by.slice(0, 200) };
    } catch {
      // not sealed by this key: try the next
    }
  }
  return null;
}
