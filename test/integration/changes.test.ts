// sync.changes: the head at once on connect, then after each commit, across server instances
// on one database; refused without a token; resumable; ended when the session is revoked.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchChanges } from '../helpers/events.ts';
import {
  fakeCt,
  makeWsClient,
  registerUser,
  sessionOf,
  startTestServer,
  type TestServer,
} from '../helpers/test-server.ts';

let a: TestServer;
let b: TestServer;
beforeAll(async () => {
  a = await startTestServer();
  // A second server instance on the same database: only NOTIFY can tell it about A's pushes.
  b = await startTestServer({}, a.testDb);
});
afterAll(async () => {
  await b.close();
  await a.close();
});

const create = (api: Awaited<ReturnType<typeof registerUser>>['api'], deviceId: string, n = 1) =>
  api.sync.push.mutate({
    deviceId,
    items: Array.from({ length: n }, () => ({
      id: randomUUID(),
      baseVersion: 0,
      deleted: false,
      ct: fakeCt(),
    })),
  });

describe('sync.changes', () => {
  it('should send the head at once, then each new head, from a push on another instance', async () => {
    const user = await registerUser(a);
    await create(user.api, user.device.id, 3);
    const stream = watchChanges(b.client(user.token));
    expect(await stream.waitFor((e) => e.seq === 3)).toEqual({ id: '3', seq: 3 });
    const started = performance.now();
    await create(user.api, user.device.id, 2);
    await stream.waitFor((e) => e.seq === 5, 1_000);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(stream.events.map((e) => e.seq)).toEqual([3, 5]);
    expect(a.server.hub.subscriberCount + b.server.hub.subscriberCount).toBe(1);
    stream.close();
  });

  it('should not tell one user about another user pushes', async () => {
    const alice = await registerUser(a);
    const bob = await registerUser(a);
    const stream = watchChanges(a.client(bob.token));
    await stream.waitFor((e) => e.seq === 0);
    await create(alice.api, alice.device.id, 1);
    await create(bob.api, bob.device.id, 1);
    await stream.waitFor((e) => e.seq === 1);
    expect(stream.events.map((e) => e.seq)).toEqual([0, 1]);
    stream.close();
  });

  it('should send the moved head at once when a stream resumes from lastEventId', async () => {
    const user = await registerUser(a);
    await create(user.api, user.device.id, 1);
    await create(user.api, user.device.id, 1);
    const resumed = watchChanges(a.client(user.token), { lastEventId: '1' });
    expect(await resumed.waitFor((e) => e.seq === 2)).toEqual({ id: '2', seq: 2 });
    resumed.close();
  });

  it('should refuse a stream without a valid token', async () => {
    const input = encodeURIComponent(JSON.stringify({}));
    const res = await fetch(`${a.url}/trpc/sync.changes?input=${input}`, {
      headers: { accept: 'text/event-stream' },
    });
    const body = await res.text();
    // Either an HTTP 401 or tRPC's serialized-error event carrying UNAUTHORIZED.
    expect(res.status === 401 || /serialized-error[\s\S]*UNAUTHORIZED/.test(body)).toBe(true);
    expect(body).toContain('UNAUTHORIZED');
  });

  it('should accept the token in the Authorization header too', async () => {
    const user = await registerUser(a);
    const input = encodeURIComponent(JSON.stringify({}));
    const ctrl = new AbortController();
    const res = await fetch(`${a.url}/trpc/sync.changes?input=${input}`, {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${user.token}` },
      signal: ctrl.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('"seq":0')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toMatch(/id: 0/);
    ctrl.abort();
  });

  it('should stream over WebSocket too, with the token in connectionParams', async () => {
    const user = await registerUser(a);
    const ws = makeWsClient(b.url, user.token);
    try {
      const stream = watchChanges(ws.api);
      await stream.waitFor((e) => e.seq === 0);
      await create(user.api, user.device.id, 2);
      expect(await stream.waitFor((e) => e.seq === 2, 1_000)).toEqual({ id: '2', seq: 2 });
      stream.close();
    } finally {
      ws.close();
    }
  });

  it('should refuse a WebSocket stream without a token, and queries over WebSocket', async () => {
    const anonymous = makeWsClient(a.url);
    const user = await registerUser(a);
    const authed = makeWsClient(a.url, user.token);
    try {
      const stream = watchChanges(anonymous.api);
      await expect.poll(() => stream.errors.length, { timeout: 3_000 }).toBe(1);
      expect(stream.errors[0]).toMatchObject({ data: { code: 'UNAUTHORIZED' } });
      expect(stream.events).toEqual([]);
      await expect(authed.api.account.me.query({})).rejects.toMatchObject({
        data: { code: 'BAD_REQUEST' },
        message: expect.stringMatching(/use HTTP/),
      });
    } finally {
      anonymous.close();
      authed.close();
    }
  });

  it('should end the stream when its session is revoked', async () => {
    const user = await registerUser(a);
    const other = sessionOf(
      await a.client().account.login.mutate({
        email: user.email,
        authKey: user.authKey,
        device: { id: randomUUID(), name: 'Other' },
      }),
    );
    const stream = watchChanges(b.client(other.token));
    await stream.waitFor((e) => e.seq === 0);
    await user.api.sessions.revokeOthers.mutate({});
    await expect.poll(() => b.server.hub.subscriberCount, { timeout: 3_000 }).toBe(0);
    stream.close();
  });
});
