// tRPC setup: no transformer (plain JSON on the wire), readable validation errors, domain errors
// mapped to TRPCError codes here and nowhere else, and the authenticated procedure.
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { AppError, isDatabaseUnavailable, isPoolExhausted } from '../errors.ts';
import { NOBODY } from '../services/acting-for.ts';
import { authenticate } from '../services/sessions.ts';
import { secondFactorRequired } from '../services/two-factor.ts';
import type { Context } from './context.ts';

const isDev = process.env.NODE_ENV === 'development';

/** "items.0.ct: must be base64url without padding; cursor: …" — one line a person can act on. */
const describeIssues = (err: ZodError) =>
  err.issues.map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`).join('; ');

const t = initTRPC.context<Context>().create({
  isDev,
  sse: {
    ping: { enabled: true, intervalMs: 10_000 },
    client: { reconnectAfterInactivityMs: 25_000 },
  },
  errorFormatter({ shape, error }) {
    const zod = error.cause instanceof ZodError ? error.cause : undefined;
    const internal = error.code === 'INTERNAL_SERVER_ERROR';
    const reason = error.cause instanceof AppError ? error.cause.reason : undefined;
    const { stack: _stack, ...data } = shape.data;
    return {
      ...shape,
      // Never echo an internal error: its text can hold SQL and bound values.
      message: zod ? describeIssues(zod) : internal ? 'Internal server error.' : shape.message,
      data: {
        ...data,
        ...(isDev ? { stack: _stack } : {}),
        ...(reason ? { reason } : {}),
        ...(zod
          ? { issues: zod.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) }
          : {}),
      },
    };
  },
});

/**
 * Turns AppError into TRPCError (keeping it as `cause`, which carries Retry-After), and an
 * exhausted connection pool into a retryable 503 instead of an internal error.
 */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  if (result.error.cause instanceof AppError) {
    const cause = result.error.cause;
    return { ...result, error: new TRPCError({ code: cause.code, message: cause.message, cause }) };
  }
  if (isPoolExhausted(result.error)) {
    const cause = new AppError('SERVICE_UNAVAILABLE', 'The server is busy; retry shortly.', 2);
    return { ...result, error: new TRPCError({ code: cause.code, message: cause.message, cause }) };
  }
  if (isDatabaseUnavailable(result.error)) {
    const cause = new AppError(
      'SERVICE_UNAVAILABLE',
      'The server cannot reach its database; retry shortly.',
      5,
    );
    return { ...result, error: new TRPCError({ code: cause.code, message: cause.message, cause }) };
  }
  return result;
});

/** Where in the input a NUL character (U+0000) is, or null: Postgres text cannot hold one. */
export function nulAt(value: unknown, path = 'input', depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (depth > 32 || value === null || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value)) {
    if (k.includes('\u0000')) return path;
    const at = nulAt(v, path === 'input' ? k : `${path}.${k}`, depth + 1);
    if (at) return at;
  }
  return null;
}

/**
 * One rule for every string a client sends: none may hold U+0000 (Postgres refuses it in a
 * `text` column, which answered 500 — on `account.register`, before any sign-in). Refused
 * here, before any procedure's own schema, with the path of the field.
 */
const refuseNul = t.middleware(async ({ getRawInput, next }) => {
  const at = nulAt(await getRawInput());
  if (at)
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `${at}: must not contain the NUL character (U+0000).`,
    });
  return next();
});

/**
 * WebSocket is offered for sync.changes only (it keeps an MV3 worker alive where SSE does not).
 * Queries and mutations go over HTTP, where proxy-aware client IPs feed the throttling.
 */
const httpUnlessSubscription = t.middleware(({ ctx, type, next }) => {
  if (ctx.transport === 'websocket' && type !== 'subscription') {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: 'Over WebSocket only subscriptions are served; use HTTP for this procedure.',
    });
  }
  return next();
});

export const router = t.router;
export const publicProcedure = t.procedure
  .use(httpUnlessSubscription)
  .use(mapErrors)
  .use(refuseNul);

/**
 * What a restricted session (a sign-up on a server that requires two-step sign-in, before it set
 * a second factor up) may do: see itself, set a factor up, sign out.
 */
const RESTRICTED_MAY = new Set([
  'account.me',
  'account.logout',
  'account.keys',
  'sessions.list',
  'passkeys.registrationOptions',
  'passkeys.register',
  'passkeys.list',
]);
const mayWhileRestricted = (path: string) =>
  RESTRICTED_MAY.has(path) || path.startsWith('twoFactor.');

export const authedProcedure = publicProcedure.use(async ({ ctx, type, path, next }) => {
  // A token in the URL (`?connectionParams=`) ends up in proxy and access logs: it is taken
  // only for the change stream, which EventSource cannot send a header for.
  const token = ctx.tokenInParams && type !== 'subscription' ? undefined : ctx.token;
  const session = await authenticate(ctx.db, ctx.sessionPolicy, token, ctx.hub.sessions);
  if (session.restricted && !mayWhileRestricted(path)) throw secondFactorRequired();
  // Everything the procedure does acts for this account (row-level security). A subscription's
  // stream outlives this call: it scopes its own queries (routers/sync.ts).
  return ctx.database.asUser(session.userId, () => next({ ctx: { ...ctx, session } }));
});

/**
 * For a procedure that works on an account before it is signed in (a sign-in, a sign-up): runs
 * `fn` acting for the account `lookup` names (none: acting for nobody, which sees nothing).
 */
export const actingFor = <T>(
  ctx: Context,
  userId: string | null,
  fn: () => Promise<T>,
): Promise<T> => ctx.database.asUser(userId ?? NOBODY, fn);
