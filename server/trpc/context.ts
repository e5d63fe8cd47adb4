// Per-request context: the services, who is calling (IP, Origin) and the bearer token, taken
// from the Authorization header or, for an EventSource stream, from tRPC connectionParams.
import type { IncomingMessage } from 'node:http';
import type { CreateFastifyContextOptions } from '@trpc/server/adapters/fastify';
import type { FastifyRequest } from 'fastify';
import type { Database } from '../db/client.ts';
import type { Metrics } from '../metrics.ts';
import type { Accounts } from '../services/accounts.ts';
import type { ChangeHub } from '../services/change-hub.ts';
import type { KeyedQueue } from '../services/keyed-queue.ts';
import type { Mailer } from '../services/mailer.ts';
import type { Passkeys } from '../services/passkeys.ts';
import type { Recovery } from '../services/recovery.ts';
import type { SessionPolicy } from '../services/sessions.ts';
import type { Sharing } from '../services/sharing.ts';
import type { Signups } from '../services/signups.ts';
import type { TwoFactor } from '../services/two-factor.ts';

export interface Services {
  database: Database;
  sessionPolicy: SessionPolicy;
  accounts: Accounts;
  signups: Signups;
  twoFactor: TwoFactor;
  /** The SMTP sender (null: SMTP_URL unset). */
  mailer: Mailer | null;
  recovery: Recovery;
  passkeys: Passkeys;
  sharing: Sharing;
  hub: ChangeHub;
  metrics: Metrics;
  /** Serialises one account's pushes within this instance (see keyed-queue.ts). */
  pushQueue: KeyedQueue;
  /** Aborted when the server shuts down, so long-lived streams end and let it close. */
  shutdown: AbortSignal;
  /** Unauthenticated work per client IP in the throttle window (env SIGNUPS_PER_IP, …). */
  limits: { signupsPerIp: number; passkeyChallengesPerIp: number };
}

export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer ([^\s]+)$/i.exec(authorization ?? '');
  return match?.[1];
}

export function createContextFactory(services: Services) {
  return ({ req: request, info }: CreateFastifyContextOptions) => {
    const fromParams = info.connectionParams?.token;
    const fromHeader = bearerToken(
      (request as FastifyRequest | IncomingMessage).headers.authorization,
    );
    // Over WebSocket the adapter hands over the raw IncomingMessage instead of Fastify's request
    // (its type does not say so).
    const req = request as FastifyRequest | IncomingMessage;
    const viaWebSocket = !('ip' in req);
    return {
      ...services,
      // Requests run as cofre_app, held by row-level security to the account they act for.
      db: services.database.appDb,
      transport: viaWebSocket ? ('websocket' as const) : ('http' as const),
      ip: 'ip' in req ? req.ip : (req.socket.remoteAddress ?? 'unknown'),
      origin: req.headers.origin,
      token: fromHeader ?? (typeof fromParams === 'string' ? fromParams : undefined),
      /** The token came in connectionParams (a URL, for EventSource): good for streams only. */
      tokenInParams: fromHeader === undefined && typeof fromParams === 'string',
    };
  };
}

export type Context = ReturnType<ReturnType<typeof createContextFactory>>;
