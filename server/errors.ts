// Domain errors thrown by services. The tRPC layer maps them to TRPCError in one place
// (trpc/init.ts). Messages are plain sentences and never carry secrets or ciphertexts.
export type AppErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'TOO_MANY_REQUESTS'
  | 'PAYLOAD_TOO_LARGE'
  | 'SERVICE_UNAVAILABLE';

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    /** Seconds a client should wait before retrying (TOO_MANY_REQUESTS). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** The one answer to any failed authentication, so a wrong email and a wrong key look alike. */
export const badCredentials = () => new AppError('UNAUTHORIZED', 'Email or password is wrong.');
export const notSignedIn = () =>
  new AppError('UNAUTHORIZED', 'Not signed in, or the session expired or was revoked.');

/** True when the database pool had no connection to give in time: the server is overloaded. */
export function isPoolExhausted(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) {
    if (e.message === 'timeout exceeded when trying to connect') return true;
  }
  return false;
}
