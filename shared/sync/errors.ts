// What the sync engine refuses from a server, each with a literal code the UI can explain.
export type SyncErrorCode =
  /** A local copy failed to decrypt: this device's own store is damaged. */
  | 'TAMPERED_RECORD'
  /** A response that does not have the protocol's shape, or says what was not asked. */
  | 'INVALID_RESPONSE'
  /** A record that decrypted but is not a valid item. */
  | 'INVALID_ITEM'
  /** The server did not answer in time; the sync ends, the next one starts afresh. */
  | 'TIMEOUT'
  /** A pull whose pages do not move forward: the sync ends instead of looping. */
  | 'NO_PROGRESS'
  /** So many records failed verification in one sync that it stopped (they were set aside). */
  | 'TOO_MANY_REFUSED';

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
