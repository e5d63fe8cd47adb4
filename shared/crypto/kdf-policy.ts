// The KDF floor and pinning (DESIGN §2), checked BEFORE anything derived from the password
// leaves the client: a server cannot talk a device into weak or weaker parameters.
import type { Kdf } from '../protocol/common.ts';
import { CryptoError } from './errors.ts';

export const KDF_FLOOR = { m: 19_456, t: 2, p: 1 } as const;
export const DEFAULT_KDF: Kdf = { alg: 'argon2id', m: 65_536, t: 3, p: 4 };

/**
 * | kdf                                   | pinned (last good unlock) | result        |
 * | ------------------------------------- | ------------------------- | ------------- |
 * | not argon2id, m < 19456 or t < 2      | any                       | KDF_TOO_WEAK  |
 * | m < pinned.m or t < pinned.t          | set                       | KDF_DOWNGRADE |
 * | otherwise                             |                           | accepted      |
 */
export function assertKdfAllowed(kdf: Kdf, pinned?: Kdf | null): void {
  if (kdf.alg !== 'argon2id' || kdf.m < KDF_FLOOR.m || kdf.t < KDF_FLOOR.t || kdf.p < KDF_FLOOR.p) {
    throw new CryptoError('KDF_TOO_WEAK', 'The key derivation parameters are below the minimum.');
  }
  if (pinned && (kdf.m < pinned.m || kdf.t < pinned.t)) {
    throw new CryptoError('KDF_DOWNGRADE', 'The key derivation parameters are weaker than before.');
  }
}

/** The strengths a person can pick when setting a new master password. */
export const KDF_STRENGTHS = {
  standard: DEFAULT_KDF,
  strong: { alg: 'argon2id', m: 131_072, t: 4, p: 4 },
  strongest: { alg: 'argon2id', m: 262_144, t: 4, p: 4 },
} as const satisfies Record<string, Kdf>;
