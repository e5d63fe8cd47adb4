// The one error family of shared/crypto. Messages name what failed, never a key or plaintext.
export type CryptoErrorCode =
  /** KDF parameters below the floor (m < 64 MiB or t < 3) or not Argon2id. */
  | 'KDF_TOO_WEAK'
  /** KDF parameters beyond the ceiling (m > 1 GiB, t > 16, too much work): a denial of service. */
  | 'KDF_TOO_COSTLY'
  /** KDF parameters below those of this device's last successful unlock. */
  | 'KDF_DOWNGRADE'
  /** An envelope whose version byte is not in the allowlist. */
  | 'UNSUPPORTED_VERSION'
  /** An envelope whose algorithm byte is not in the allowlist. */
  | 'UNSUPPORTED_ALGORITHM'
  /** Bytes too short or shaped wrong to be an envelope or a key. */
  | 'MALFORMED'
  /** Authentication failed: wrong key, tampered bytes or wrong associated data. */
  | 'DECRYPT_FAILED';

export class CryptoError extends Error {
  constructor(
    readonly code: CryptoErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CryptoError';
  }
}
