// Turns any failure into a sentence a user can act on, with a code for the UI. Messages never
// carry secrets: they are written here, not copied from whatever threw.
import { CryptoError } from '../../shared/crypto/errors.ts';
import { SyncError } from '../../shared/sync/errors.ts';
import type { ErrorBody } from '../messages.ts';
import { UnlockError } from './keys.ts';
import { isUnreachable, serverCode } from './server-api.ts';

const SERVER: Record<string, string> = {
  UNAUTHORIZED: 'Wrong email or password.',
  CONFLICT: 'An account with this email already exists.',
  TOO_MANY_REQUESTS: 'Too many attempts: wait a few minutes and try again.',
  BAD_REQUEST: 'The server refused the request as invalid.',
  PAYLOAD_TOO_LARGE: 'That is too large for the server.',
  NOT_FOUND: 'The server does not know that anymore.',
};

export function describeError(error: unknown): ErrorBody {
  if (error instanceof UnlockError) return { code: error.code, message: error.message };
  if (error instanceof CryptoError) {
    if (error.code === 'KDF_TOO_WEAK' || error.code === 'KDF_DOWNGRADE')
      return {
        code: error.code,
        message: 'The server asked for weaker key derivation than this device accepts: refused.',
      };
    if (error.code === 'DECRYPT_FAILED')
      return { code: 'WRONG_PASSWORD', message: 'Wrong master password.' };
    return { code: error.code, message: 'The server sent keys that failed verification.' };
  }
  if (error instanceof SyncError)
    return {
      code: error.code,
      message: 'The server sent data that failed verification; it was refused.',
    };
  if (isUnreachable(error))
    return {
      code: 'OFFLINE',
      message: 'The server cannot be reached. Check the address and your connection.',
    };
  const code = serverCode(error);
  if (code) return { code, message: SERVER[code] ?? `The server refused (${code}).` };
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
  return { code: 'INTERNAL', message: 'Something went wrong. Try again.' };
}
