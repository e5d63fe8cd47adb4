// Why a sharing statement or answer is refused. Each code names one attack or one refusal, so a
// test can say which defence held and the UI can say what happened.
export type SharingErrorCode =
  /** Not a well-formed statement. */
  | 'MALFORMED'
  /** A signature that does not verify: a statement the server (or anyone) made up or altered. */
  | 'BAD_SIGNATURE'
  /** A pinned contact's key is not the key served now: nothing is shared until re-verified. */
  | 'KEY_CHANGED'
  /** The safety number the person compared is not the one of the key served. */
  | 'SAFETY_NUMBER_MISMATCH'
  /** A grant made by a member whose role does not allow it. */
  | 'ROLE_TOO_LOW'
  /** A grant whose signer is not a member: the chain back to the owner is broken. */
  | 'CHAIN_GAP'
  /** A grant for another vault, another member, or a generation older than the current one. */
  | 'WRONG_GRANT'
  /** The vault is served at a generation older than one this device already saw. */
  | 'STALE_GENERATION'
  /** The vault key served does not open, or is not the one the grant names. */
  | 'WRONG_KEY'
  /** An invitation that names another email, vault or inviter than the one it claims. */
  | 'WRONG_INVITATION'
  /** This account is not (or no longer) a member. */
  | 'NOT_A_MEMBER'
  /** The role of this account does not allow the action. */
  | 'FORBIDDEN';

export class SharingError extends Error {
  constructor(
    readonly code: SharingErrorCode,
    message: string,
    /** The account the error is about (whose key changed), when there is one. */
    readonly about?: { userId: string; email: string },
  ) {
    super(message);
    this.name = 'SharingError';
  }
}
