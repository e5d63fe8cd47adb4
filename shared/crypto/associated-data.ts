// Associated data binds each ciphertext to its place (DESIGN §2): a ciphertext copied to
// another record, another field role or another version fails to open.
import type { Kdf } from '../protocol/common.ts';

export const itemAd = (userId: string, recordId: string, version: number) =>
  `cofre/v1/item|${userId}|${recordId}|${version}`;

export const itemKeyAd = (userId: string, recordId: string, version: number) =>
  `cofre/v1/item-key|${userId}|${recordId}|${version}`;

/**
 * A deleted record's seal: its own purpose, so a live record's ciphertext served as deleted (or
 * a seal served as live) fails to open, and the user, id and version it deletes.
 */
export const tombstoneAd = (userId: string, recordId: string, version: number) =>
  `cofre/v1/tombstone|${userId}|${recordId}|${version}`;

/** Where a password wrap of the account key belongs: the account, and the key's generation. */
export interface PasswordWrapPlace {
  userId: string;
  /** Normalised (trimmed, lower case): another account's wrap does not open for this email. */
  email: string;
  /** The account key's generation: an older generation's wrap does not pass for a newer one. */
  generation: number;
  /** Part of it, so a server that lies about the KDF parameters breaks the unwrap. */
  kdf: Kdf;
}

export const accountKeyAd = (p: PasswordWrapPlace) =>
  `cofre/v1/account-key|${p.userId}|${normaliseEmail(p.email)}|g${p.generation}|${p.kdf.alg},m=${p.kdf.m},t=${p.kdf.t},p=${p.kdf.p}`;

/** An account key a rotation retired, wrapped by its successor; `generation` is the retired one's. */
export const retiredKeyAd = (userId: string, generation: number) =>
  `cofre/v1/retired-key|${userId}|${generation}`;

/** A passkey's PRF wrap of the account key of one generation. */
export const prfAd = (userId: string, credentialId: string, generation: number) =>
  `cofre/v1/prf|${userId}|${credentialId}|g${generation}`;

export const localAd = (deviceId: string, purpose: string) =>
  `cofre/v1/local|${deviceId}|${purpose}`;

/** As the server's email schema stores it. */
export const normaliseEmail = (email: string) => email.trim().toLowerCase();
