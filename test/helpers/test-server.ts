// Starts the real server (Fastify + tRPC) on a random loopback port over a fresh test database,
// and makes tRPC clients that talk to it over HTTP and SSE like any other client would.
import { randomBytes, randomUUID } from 'node:crypto';
import {
  createTRPCClient,
  createWSClient,
  httpLink,
  httpSubscriptionLink,
  splitLink,
  wsLink,
} from '@trpc/client';
import { EventSource } from 'eventsource';
import pino from 'pino';
import { WebSocket } from 'ws';
import { buildServer, type Server } from '../../server/app.ts';
import { type Env, loadEnv } from '../../server/env.ts';
import type { AppRouter } from '../../server/trpc/router.ts';
import { createTestDb, type TestDb } from './test-db.ts';

export interface TestServer {
  url: string;
  server: Server;
  testDb: TestDb;
  client(token?: string): ReturnType<typeof makeClient>;
  close(): Promise<void>;
}

export function makeClient(url: string, token?: string) {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: `${url}/trpc`,
          EventSource,
          connectionParams: token ? { token } : undefined,
        }),
        false: httpLink({
          url: `${url}/trpc`,
          headers: token ? { authorization: `Bearer ${token}` } : {},
        }),
      }),
    ],
  });
}

/** A client that runs everything over one WebSocket, authenticated by connectionParams. */
export function makeWsClient(url: string, token?: string) {
  const ws = createWSClient({
    url: `${url.replace(/^http/, 'ws')}/trpc`,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    connectionParams: token ? { token } : null,
    retryDelayMs: () => 60_000,
  });
  return {
    api: createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] }),
    close: () => ws.close(),
  };
}

export async function startTestServer(
  overrides: Record<string, string> = {},
  testDb?: TestDb,
  port = 0,
): Promise<TestServer> {
  const db = testDb ?? (await createTestDb());
  // Tests sign many accounts up from one address: the per-IP limits are for real clients (a
  // test of them sets its own); and anyone may sign up (a test of the policy sets its own).
  const env: Env = loadEnv({
    LOG_LEVEL: 'silent',
    SIGNUPS: 'open',
    SIGNUPS_PER_IP: '1000000',
    PASSKEY_CHALLENGES_PER_IP: '1000000',
    ...overrides,
  });
  const server = await buildServer({
    env,
    database: db.database,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  });
  await server.app.listen({ port, host: '127.0.0.1' });
  const address = server.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    server,
    testDb: db,
    client: (token) => makeClient(url, token),
    async close() {
      await server.close();
      if (!testDb) await db.drop();
    },
  };
}

const b64 = (n: number) => randomBytes(n).toString('base64url');

/** A valid account.register input with random keys; `overrides` replace any field. */
export function fakeRegistration(overrides: Record<string, unknown> = {}) {
  return {
    userId: randomUUID(),
    email: `user-${randomBytes(5).toString('hex')}@example.com`,
    kdf: { alg: 'argon2id' as const, m: 65_536, t: 3, p: 4 },
    salt: b64(16),
    authKey: b64(32),
    wrappedAccountKey: b64(60),
    device: { id: randomUUID(), name: 'Test device' },
    ...overrides,
  };
}

/** Registers a fresh account and returns its credentials and a client signed in as it. */
export async function registerUser(ts: TestServer, overrides: Record<string, unknown> = {}) {
  const input = fakeRegistration(overrides);
  const out = await ts.client().account.register.mutate(input);
  return { ...input, token: out.token, api: ts.client(out.token) };
}

/** A random ciphertext of `n` bytes, as the wire carries it. */
export const fakeCt = (n = 48) => b64(n);

/** `n` new records for a push, each `bytes` of random ciphertext. */
export const newItems = (n: number, bytes = 48) =>
  Array.from({ length: n }, () => ({
    id: randomUUID(),
    baseVersion: 0,
    deleted: false,
    ct: fakeCt(bytes),
  }));

/** A sign-in's answer that must be a session (no second step was asked for); throws if not. */
export function sessionOf<T extends object>(answer: T): Extract<T, { token: string }> {
  if (!('token' in answer)) throw new Error('expected a session, got a second step to take');
  return answer as Extract<T, { token: string }>;
}
