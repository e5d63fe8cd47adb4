// What a sign-in, an unlock or a key change refuses from a server, each with a literal code the
// UI can explain. Nothing a server sends is written to the device before it passes these checks.
import { msg } from '../i18n-msg.ts';

export type AccountErrorCode =
  /**
   * The server accepted the password (or the kit, or the passkey) but the account key it sent
   * does not open with it: a server fault or a forgery, never a wrong password.
   */
  | 'SERVER_KEY_MISMATCH'
  /** The server answered for another account than the one this device belongs to. */
  | 'OTHER_ACCOUNT'
  /** The server offered an account key older than one this device already uses. */
  | 'KEY_ROLLBACK'
  /** An answer without the protocol's shape. */
  | 'MALFORMED_ANSWER'
  /** The password was right; the server asks for the second step of two-step sign-in. */
  | 'SECOND_STEP';

export class AccountError extends Error {
  constructor(
    readonly code: AccountErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AccountError';
  }
}

export const serverKeyMismatch = (cause?: unknown) =>
  new AccountError(
    'SERVER_KEY_MISMATCH',
    msg(
      'The server accepted your password but sent an account key that does not open with it. Nothing was changed on this device. Try again later, or tell whoever runs the server.',
    ),
    { cause },
  );
