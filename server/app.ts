// Builds the HTTP server: tRPC at /trpc (plain JSON, SSE subscriptions), health and metrics,
// CORS for the extension, request metrics and logs that never hold tokens or bodies.
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import cors from '@fastify/cors';
import websocket from '@fastify/websocket';
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { type TRPC_ERROR_CODE_KEY, TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import { LIMITS } from '../shared/protocol/sync.ts';
import type { Database } from './db/client.ts';
import type { Env } from './env.ts';
import { AppError } from './errors.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { createAccounts } from './services/accounts.ts';
import { ChangeHub } from './services/change-hub.ts';
import { createKeyedQueue } from './services/keyed-queue.ts';
import { createMailer, type Mailer } from './services/mailer.ts';
import { createPasskeys, type Passkeys } from './services/passkeys.ts';
import { createRecovery } from './services/recovery.ts';
import type { SessionPolicy } from './services/sessions.ts';
import { createSharing } from './services/sharing.ts';
import { createSignups } from './services/signups.ts';
import { createTwoFactor } from './services/two-factor.ts';
import { createContextFactory } from './trpc/context.ts';
import { type AppRouter, appRouter } from './trpc/router.ts';

export interface Server {
  app: FastifyInstance;
  metrics: Metrics;
  hub: ChangeHub;
  passkeys: Passkeys;
  sessionPolicy: SessionPolicy;
  /** The SMTP sender when SMTP_URL is set. */
  mailer: Mailer | null;
  /** Stops accepting requests, ends streams, lets in-flight requests finish. */
  close(): Promise<void>;
}

/** Pushes of one account taken by one instance (running + queued) before new ones get 429. */
const MAX_QUEUED_PUSHES_PER_USER = 256;
/** How long a WebSocket may stay open without sending its first (connectionParams) message. */
const WS_FIRST_MESSAGE_MS = 10_000;

const procedures = new Set(Object.keys(appRouter._def.procedures));

/** A tRPC-shaped error body for failures that happen before tRPC sees the request. */
function errorBody(code: TRPC_ERROR_CODE_KEY, httpStatus: number, message: string) {
  return { error: { message, code: TRPC_ERROR_CODES_BY_KEY[code], data: { code, httpStatus } } };
}

export async function buildServer(opts: {
  env: Env;
  database: Database;
  logger: Logger;
  /** Log lines the destination dropped (for /metrics). */
  logLinesDropped?: () => number;
}): Promise<Server> {
  const { env, database, logger } = opts;
  const sessionPolicy = {
    idleSeconds: env.SESSION_IDLE_SECONDS,
    absoluteSeconds: env.SESSION_ABSOLUTE_SECONDS,
  };
  const metrics = createMetrics(() => database.poolStats(), opts.logLinesDropped);
  const mailer = env.SMTP_URL
    ? createMailer({
        url: env.SMTP_URL,
        from: env.SMTP_FROM,
        publicUrl: env.PUBLIC_URL,
        logger,
        onSent: (kind, ok) => metrics.mails.inc({ kind, result: ok ? 'sent' : 'failed' }),
      })
    : null;
  const hub = new ChangeHub();
  await hub.start(database);
  const shutdown = new AbortController();
  const passkeys = createPasskeys(database.appDb, sessionPolicy, {
    origins: env.EXTENSION_ORIGINS,
  });
  const signups = createSignups({ configured: env.SIGNUPS, domains: env.SIGNUP_DOMAINS });
  // The second factor's service checks the master password through the accounts service, made
  // just below (a late-bound call: neither is used before both exist).
  const twoFactor = createTwoFactor(database.appDb, {
    passkeys,
    required: env.REQUIRE_2FA,
    recheck: (authKey, who, ip) => accounts.recheckPassword(authKey, who, ip),
  });
  const accounts = createAccounts(database.appDb, sessionPolicy, {
    signups,
    twoFactor,
    passkeyOptions: (userId, caller) => passkeys.secondFactorOptions(userId, caller),
  });
  const createContext = createContextFactory({
    database,
    sessionPolicy,
    accounts,
    signups,
    twoFactor,
    mailer,
    recovery: createRecovery(database.appDb, sessionPolicy, accounts),
    passkeys,
    sharing: createSharing(
      database.appDb,
      {
        membersPerVault: env.MAX_VAULT_MEMBERS,
        vaultsPerUser: env.MAX_VAULTS_PER_USER,
      },
      { signups },
    ),
    hub,
    metrics,
    pushQueue: createKeyedQueue(MAX_QUEUED_PUSHES_PER_USER),
    shutdown: shutdown.signal,
    limits: {
      signupsPerIp: env.SIGNUPS_PER_IP,
      passkeyChallengesPerIp: env.PASSKEY_CHALLENGES_PER_IP,
    },
  });

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: LIMITS.bodyBytes,
    // A hop count trusts that many proxies in front of us (proxy-addr's rule for numbers).
    trustProxy:
      typeof env.TRUST_PROXY === 'number'
        ? (_address: string, hop: number) => hop < (env.TRUST_PROXY as number)
        : env.TRUST_PROXY,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // Every log line of a request carries its id (reqId), answered as X-Request-Id; a proxy we
    // trust may hand us its own id to keep one id across both logs.
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return env.TRUST_PROXY && typeof given === 'string' && /^[\w.:-]{1,64}$/.test(given)
        ? given
        : randomUUID();
    },
  });

  // Security headers on every answer — set on the raw response so streams (SSE) get them too.
  // The API serves JSON only: nothing may frame, sniff or embed it, and no proxy may cache it.
  app.addHook('onRequest', async (req, reply) => {
    const res = reply.raw;
    res.setHeader('x-request-id', req.id);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
    res.setHeader('cross-origin-resource-policy', 'same-origin');
    res.setHeader('cache-control', 'no-store');
    if (req.protocol === 'https')
      res.setHeader('strict-transport-security', 'max-age=31536000; includeSubDomains');
  });

  await app.register(cors, {
    origin: env.EXTENSION_ORIGINS,
    methods: ['GET', 'POST'],
    allowedHeaders: ['authorization', 'content-type', 'trpc-accept', 'last-event-id'],
    maxAge: 600,
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode ?? 500;
    if (status === 413) {
      return reply
        .status(413)
        .send(
          errorBody(
            'PAYLOAD_TOO_LARGE',
            413,
            `Request body is larger than ${LIMITS.bodyBytes} bytes.`,
          ),
        );
    }
    if (status === 415) {
      return reply
        .status(415)
        .send(
          errorBody(
            'UNSUPPORTED_MEDIA_TYPE',
            415,
            'Send JSON with Content-Type: application/json.',
          ),
        );
    }
    if (status >= 400 && status < 500) {
      return reply
        .status(status)
        .send(errorBody('BAD_REQUEST', status, 'The request could not be read.'));
    }
    req.log.error({ err: { message: err.message, code: err.code } }, 'unhandled error');
    return reply
      .status(500)
      .send(errorBody('INTERNAL_SERVER_ERROR', 500, 'Internal server error.'));
  });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const path = (req.params as { path?: string } | undefined)?.path;
    const procedure =
      route === '/trpc/:path' ? (path && procedures.has(path) ? path : 'unknown') : route;
    metrics.requests.inc({ procedure, status: String(reply.statusCode) });
    metrics.latency.observe({ procedure }, reply.elapsedTime / 1000);
    if (reply.statusCode >= 500)
      req.log.warn({ procedure, status: reply.statusCode }, 'request failed');
    else req.log.debug({ procedure, status: reply.statusCode, ms: reply.elapsedTime }, 'request');
  });

  // While closing, answers to in-flight requests close their connection, so the server is not
  // held open by keep-alive sockets that go idle after the close began.
  let closing = false;
  app.addHook('onSend', async (_req, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  // Browsers open connections speculatively and may never send a request on them; Node's close
  // would wait out the 60 s header timeout for each. They are dropped at once on shutdown.
  const unused = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    unused.add(socket);
    socket.once('close', () => unused.delete(socket));
  });
  app.addHook('onRequest', async (req) => {
    unused.delete(req.raw.socket);
  });

  app.get('/healthz', async (_req, reply) => reply.type('text/plain').send('ok'));
  app.get('/readyz', async (_req, reply) => {
    try {
      await Promise.race([
        database.ping(),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('ping timed out')), 2_000).unref(),
        ),
      ]);
      return reply.type('text/plain').send('ready');
    } catch {
      return reply.status(503).type('text/plain').send('database unavailable');
    }
  });
  app.get('/metrics', async (_req, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );

  // WebSocket at /trpc for sync.changes; the token comes in the first (connectionParams) message.
  await app.register(websocket, {
    options: { maxPayload: 64 * 1024 },
    // On shutdown, drop the sockets at once: a polite close waits up to 30 s per client for a
    // close frame, and every client reconnects (to another instance) anyway.
    preClose(done) {
      for (const client of app.websocketServer.clients) client.terminate();
      app.websocketServer.close(() => done());
    },
  });
  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    useWSS: true,
    trpcOptions: {
      keepAlive: { enabled: true, pingMs: 20_000, pongWaitMs: 5_000 },
      router: appRouter,
      createContext,
      maxBodySize: LIMITS.bodyBytes,
      responseMeta({ errors }) {
        const retryAfter = errors
          .map((e) => (e.cause instanceof AppError ? e.cause.retryAfter : undefined))
          .find((s) => s !== undefined);
        return retryAfter ? { headers: { 'Retry-After': String(retryAfter) } } : {};
      },
      onError({ error, path, req }) {
        if (getHTTPStatusCodeFromError(error) >= 500) {
          // Only the innermost message: drizzle's own wraps the SQL and its bound values.
          let cause: unknown = error;
          while (cause instanceof Error && cause.cause) cause = cause.cause;
          // The request's own logger when there is one, so the line carries its reqId.
          const log: Pick<FastifyBaseLogger, 'error'> = req?.log ?? logger;
          log.error(
            { path, err: { message: cause instanceof Error ? cause.message : String(cause) } },
            'procedure failed',
          );
        }
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
  });

  // A WebSocket that never says who it is (the token comes in its first message) is closed:
  // upgrades cost a socket each, and anyone can open them.
  app.websocketServer.on('connection', (ws) => {
    const timer = setTimeout(() => ws.terminate(), WS_FIRST_MESSAGE_MS);
    ws.once('message', () => clearTimeout(timer));
    ws.once('close', () => clearTimeout(timer));
  });

  return {
    app,
    metrics,
    hub,
    passkeys,
    sessionPolicy,
    mailer,
    async close() {
      closing = true;
      shutdown.abort();
      for (const socket of unused) socket.destroy();
      await app.close();
      mailer?.close();
    },
  };
}
