// What the sync engine refuses from a server, each with a literal code the UI can explain.
export type SyncErrorCode =
  /** A record's ciphertext did not open for its id and version: swapped, replayed or altered. */
  | 'TAMPERED_RECORD'
  /** A version lower than one this device has already seen for that id. */
  | 'VERSION_ROLLBACK'
  /** A response that does not have the protocol's shape. */
  | 'INVALID_RESPONSE'
  /** A record that decrypted but is not a valid item. */
  | 'INVALID_ITEM';

export class SyncError extends Error {
  constructor(
    readonly code: SyncErrorCode,
    message: string,
    readonly recordId?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SyncError';
  }
}
