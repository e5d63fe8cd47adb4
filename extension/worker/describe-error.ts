// Turns any failure into a sentence a user can act on, with a code for the UI. Messages never
// carry secrets: they are written here, not copied from whatever threw.
import { AccountError } from '../../shared/account/account-error.ts';
import { CryptoError } from '../../shared/crypto/errors.ts';
import { msg, said } from '../../shared/i18n-msg.ts';
import { AnswerTooLargeError } from '../../shared/protocol/bounded-fetch.ts';
import { SharingError, type SharingErrorCode } from '../../shared/sharing/sharing-error.ts';
import { SyncError } from '../../shared/sync/errors.ts';
import type { ErrorBody } from '../messages.ts';
import { UnlockError } from './keys.ts';
import { isUnreachable, serverCode } from './server-api.ts';

const SERVER: Record<string, string> = {
  UNAUTHORIZED: msg('Wrong email or password.'),
  CONFLICT: msg('An account with this email already exists.'),
  TOO_MANY_REQUESTS: msg('Too many attempts: wait a few minutes and try again.'),
  SERVICE_UNAVAILABLE: msg('The server is unavailable for a moment: try again shortly.'),
  BAD_REQUEST: 'The server refused the request as invalid.',
  PAYLOAD_TOO_LARGE: 'That is too large for the server.',
  NOT_FOUND: 'The server does not know that anymore.',
};

/** Refusals the server gives a reason word for (`data.reason`), said in our own words. */
const REASONS: Record<string, string> = {
  'signup-closed': msg(
    'This server does not accept new accounts. Ask whoever runs it for an invitation code.',
  ),
  'signup-invite-only': msg(
    'This server accepts new accounts by invitation only: enter the invitation code you were given.',
  ),
  'signup-domain': msg('This server does not accept new accounts for this email address’s domain.'),
  'signup-bad-code': msg(
    'This invitation code does not work: it was used already, it expired, or it was made for another email address.',
  ),
  'account-disabled': msg('This account is disabled: ask whoever runs the server.'),
  'account-locked': msg(
    'Too many wrong passwords were tried for this account, so the server locked it for a while. If it is yours and has two-step sign-in, type a code from your authenticator app (or a recovery code) with your password to sign in now.',
  ),
  'ip-throttled': msg(
    'Too many failed sign-ins from this network: wait a few minutes and try again.',
  ),
  'second-factor-wrong': msg(
    'That code or key was not accepted. Each code works once: wait for the next one.',
  ),
  'second-factor-expired': msg(
    'This sign-in waited too long or was tried too often: sign in again.',
  ),
  'second-factor-setup-required': msg(
    'This server requires two-step sign-in, and this account has not set it up: set it up in Settings → Two-step sign-in on a device that is signed in.',
  ),
  'totp-wrong': msg(
    'That code does not match: check the time on your phone and type the code it shows now.',
  ),
  'totp-not-pending': msg(
    'Start setting the authenticator app up again: that one waited too long.',
  ),
};

/** The reason word of a server's refusal, if it gave one. */
export function serverReason(error: unknown): string | null {
  const reason = (error as { data?: { reason?: unknown } } | null)?.data?.reason;
  return typeof reason === 'string' ? reason : null;
}

const LATE = msg('The server did not answer in time; the next sync tries again.');

/**
 * An answer this device cut off itself (fetch's deadline, the size cap): the server answered,
 * wrongly or too slowly, so it is neither "offline" nor a refusal. Null for anything else.
 */
export function cutOffMessage(error: unknown): string | null {
  const cause = (error as { cause?: unknown })?.cause;
  if (cause instanceof AnswerTooLargeError)
    return msg('The server sent an answer larger than the protocol allows; it was refused.');
  if (cause instanceof DOMException && cause.name === 'TimeoutError') return LATE;
  return null;
}

export function syncMessage(error: SyncError): string {
  switch (error.code) {
    case 'TIMEOUT':
      return LATE;
    case 'NO_PROGRESS':
      return msg(
        'The server’s answers went nowhere, so the sync stopped; the next one tries again.',
      );
    case 'TOO_MANY_REFUSED':
      return msg(
        'The server sent many items that failed their check: they were set aside, and the sync stopped.',
      );
    default:
      return msg('The server sent data that failed verification; it was refused.');
  }
}

/** What a refused sharing step means, in words a person can act on (the UI's language). */
const SHARING: Record<SharingErrorCode, string> = {
  MALFORMED: msg('The server sent sharing data that is not well formed; it was refused.'),
  BAD_SIGNATURE: msg(
    'A signature in the shared vault does not verify: the server may have made it up. Nothing of it was believed.',
  ),
  KEY_CHANGED: msg(
    'This person’s key changed. Nothing is shared with them until you compare the new safety number.',
  ),
  SAFETY_NUMBER_MISMATCH: msg(
    'The safety number does not match: do not share with this key. Compare again, in person or by phone.',
  ),
  ROLE_TOO_LOW: msg(
    'A member was added by someone whose role does not allow it: the vault was refused.',
  ),
  CHAIN_GAP: msg('A member of the vault was added by no member of it: the vault was refused.'),
  WRONG_GRANT: msg('The server sent a membership for another vault or an old one: it was refused.'),
  STALE_GENERATION: msg(
    'The server sent an older state of the vault than this device has seen: it was refused.',
  ),
  WRONG_KEY: msg('The vault key the server sent is not the one meant for you: it was refused.'),
  WRONG_INVITATION: msg('This invitation was not made for you: it was refused.'),
  NOT_A_MEMBER: msg('You are not a member of this vault.'),
  FORBIDDEN: msg('Your role in this vault does not allow that.'),
};

export function describeError(error: unknown): ErrorBody {
  if (error instanceof SharingError)
    return error.about
      ? { code: error.code, message: SHARING[error.code], about: error.about }
      : { code: error.code, message: SHARING[error.code] };
  if (error instanceof UnlockError || error instanceof AccountError)
    return { code: error.code, message: error.message };
  if (error instanceof CryptoError) {
    if (error.code === 'KDF_TOO_WEAK' || error.code === 'KDF_DOWNGRADE')
      return {
        code: error.code,
        message: 'The server asked for weaker key derivation than this device accepts: refused.',
      };
    if (error.code === 'KDF_TOO_COSTLY')
      return {
        code: error.code,
        message: msg(
          'The server asked for key derivation far costlier than Cofre ever uses (it would stall this device): refused.',
        ),
      };
    // A wrong password is told where the password is checked (UnlockError); a key that does not
    // open anywhere else came from the server.
    return {
      code: 'SERVER_KEY_MISMATCH',
      message: msg(
        'The server sent keys that failed verification: nothing was changed on this device.',
      ),
    };
  }
  if (error instanceof SyncError) return { code: error.code, message: syncMessage(error) };
  const cut = cutOffMessage(error);
  if (cut) return { code: 'SERVER_ANSWER_REFUSED', message: cut };
  if (isUnreachable(error))
    return {
      code: 'OFFLINE',
      message: msg('The server cannot be reached. Check the address and your connection.'),
    };
  const code = serverCode(error);
  const reason = serverReason(error);
  if (code && reason && REASONS[reason]) return { code: reason, message: REASONS[reason] };
  if (code)
    return { code, message: SERVER[code] ?? said('The server refused ({code}).', { code }) };
  const own = (error as { code?: unknown })?.code;
  if (typeof own === 'string' && error instanceof Error)
    return { code: own, message: error.message };
  if (error instanceof DOMException && error.name === 'QuotaExceededError')
    return { code: 'STORAGE_FULL', message: 'The browser has no room left to store the vault.' };
  // Only the kind of error is logged: its message could quote data.
  console.error(
    'cofre: unexpected error',
    (error as Error)?.name,
    (error as Error)?.stack?.split('\n')[1],
  );
  return { code: 'INTERNAL', message: msg('Something went wrong. Try again.') };
}
