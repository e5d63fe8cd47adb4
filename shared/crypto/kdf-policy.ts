// The KDF floor, ceiling and pinning (DESIGN §2), checked BEFORE anything derived from the
// password leaves the client: a server can talk a device neither into weak or weaker parameters
// (a cheaper authKey to crack) nor into absurd ones (minutes of work at every sign-in).
import type { Kdf } from '../protocol/common.ts';
import { CryptoError } from './errors.ts';

/** The weakest setting Cofre itself makes (the default strength): nothing below is believed. */
export const KDF_FLOOR = { m: 65_536, t: 3, p: 1 } as const;
/** 1 GiB, 16 passes, and at most 2 GiB·passes of work (the strongest setting is 1 GiB·pass). */
export const KDF_CEILING = { m: 1_048_576, t: 16, p: 16, work: 2_097_152 } as const;
export const DEFAULT_KDF: Kdf = { alg: 'argon2id', m: 65_536, t: 3, p: 4 };

/**
 * | kdf                                                  | pinned (last good unlock) | result         |
 * | ---------------------------------------------------- | ------------------------- | -------------- |
 * | not argon2id, m < 64 MiB, t < 3 or p < 1             | any                       | KDF_TOO_WEAK   |
 * | m > 1 GiB, t > 16, p > 16 or m·t > 2 GiB·passes      | any                       | KDF_TOO_COSTLY |
 * | m < pinned.m or t < pinned.t                         | set                       | KDF_DOWNGRADE  |
 * | otherwise                                            |                           | accepted       |
 */
export function assertKdfAllowed(kdf: Kdf, pinned?: Kdf | null): void {
  if (kdf.alg !== 'argon2id' || kdf.m < KDF_FLOOR.m || kdf.t < KDF_FLOOR.t || kdf.p < KDF_FLOOR.p) {
    throw new CryptoError('KDF_TOO_WEAK', 'The key derivation parameters are below the minimum.');
  }
  if (
    kdf.m > KDF_CEILING.m ||
    kdf.t > KDF_CEILING.t ||
    kdf.p > KDF_CEILING.p ||
    kdf.m * kdf.t > KDF_CEILING.work
  ) {
    throw new CryptoError(
      'KDF_TOO_COSTLY',
      'The key derivation parameters are beyond what Cofre ever uses.',
    );
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
