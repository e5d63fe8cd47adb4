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
    /**
     * A stable word for why (answered as `data.reason`), for a client to say it in its own
     * words and language instead of repeating the server's.
     */
    readonly reason?: string,
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

/** Postgres SQLSTATEs that mean "the database went away or gave up", not "your request is bad":
 * admin/crash shutdown, cannot connect now, query cancelled by statement_timeout, connection
 * exceptions (class 08), too many connections. */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '57014', '53300']);
const UNAVAILABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
]);

/** True when the database could not be reached or dropped the work: retry, not a bug. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNAVAILABLE_STATES.has(code) || code.startsWith('08')))
      return true;
    if (typeof code === 'string' && UNAVAILABLE_ERRNO.has(code)) return true;
    if (
      /Connection terminated|connection is closed|Client has encountered a connection error|is not currently accepting connections|the database system is (starting up|shutting down|in recovery mode)/i.test(
        e.message,
      )
    )
      return true;
  }
  return false;
}
