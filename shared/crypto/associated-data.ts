// Associated data binds each ciphertext to its place (DESIGN §2): a ciphertext copied to
// another record, another field role or another version fails to open.
import type { Kdf } from '../protocol/common.ts';

export const itemAd = (userId: string, recordId: string, version: number) =>
  `cofre/v1/item|${userId}|${recordId}|${version}`;

export const itemKeyAd = (userId: string, recordId: string, version: number) =>
  `cofre/v1/item-key|${userId}|${recordId}|${version}`;

/** The KDF parameters are part of it, so a server that lies about them breaks the unwrap. */
export const accountKeyAd = (userId: string, kdf: Kdf) =>
  `cofre/v1/account-key|${userId}|${kdf.alg},m=${kdf.m},t=${kdf.t},p=${kdf.p}`;

/** An account key a rotation retired, wrapped by its successor; `generation` is the retired one's. */
export const retiredKeyAd = (userId: string, generation: number) =>
  `cofre/v1/retired-key|${userId}|${generation}`;

export const prfAd = (userId: string, credentialId: string) =>
  `cofre/v1/prf|${userId}|${credentialId}`;

export const localAd = (deviceId: string, purpose: string) =>
  `cofre/v1/local|${deviceId}|${purpose}`;
