// Faults found by pushing, fuzzing and killing the server from outside, each at its cause:
// NUL characters in stored text, a baseVersion at the protocol's largest, a token in the URL
// for ordinary requests, a short idle time expiring sessions in use, and losing the database
// (a retryable 503 with Retry-After, not a 500).
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { TEST_DATABASE_URL } from '../helpers/global-setup.ts';
import { backend, queryRows } from '../helpers/test-db.ts';
import {
  fakeCt,
  fakeRegistration,
  registerUser,
  sessionOf,
  startTestServer,
  type TestServer,
} from '../helpers/test-server.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(() => ts.close());

const post = (path: string, body: unknown, token?: string) =>
  fetch(`${ts.url}/trpc/${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });

async function counts() {
  return JSON.stringify(
    await queryRows(
      ts.testDb.database.db,
      sql`select (select count(*) from users) u, (select count(*) from sessions) s,
                 (select count(*) from devices) d, (select count(*) from passkeys) p,
                 (select count(*) from webauthn_challenges) c`,
    ),
  );
}

describe('a NUL character in text the server stores', () => {
  const NUL = 'a\u0000b';
  it('should refuse it with a 400 naming the field, and store nothing', async () => {
    const user = await registerUser(ts);
    const clientData = Buffer.from(
      JSON.stringify({ type: 'webauthn.get', challenge: NUL, origin: 'chrome-extension://x' }),
    ).toString('base64url');
    const cases: Array<[string, unknown, string | undefined, RegExp]> = [
      [
        'account.register',
        fakeRegistration({ device: { id: randomUUID(), name: NUL } }),
        undefined,
        /device\.name/,
      ],
      [
        'account.login',
        { email: user.email, authKey: user.authKey, device: { id: randomUUID(), name: NUL } },
        undefined,
        /device\.name/,
      ],
      [
        'account.login',
        { email: NUL, authKey: user.authKey, device: user.device },
        undefined,
        /email/,
      ],
      ['passkeys.loginOptions', { email: `x${NUL}@example.com` }, undefined, /email/],
    ];
    for (const [path, body, token, where] of cases) {
      const before = await counts();
      const res = await post(path, body, token);
      expect(res.status, path).toBe(400);
      const answer = (await res.json()) as { error: { message: string } };
      expect(answer.error.message).toMatch(where);
      expect(answer.error.message).toMatch(/NUL/);
      expect(await counts()).toBe(before);
    }
    // A challenge is read from inside clientDataJSON (base64url): one that is not base64url
    // — a NUL in it — is refused as a failed passkey, never sent to Postgres.
    const before = await counts();
    const res = await post('passkeys.login', {
      response: {
        id: 'AAAA',
        rawId: 'AAAA',
        type: 'public-key',
        clientExtensionResults: {},
        response: { clientDataJSON: clientData, authenticatorData: 'AAAA', signature: 'AAAA' },
      },
      device: { id: randomUUID(), name: 'Phone' },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await counts()).toBe(before);
  });
});

describe('a baseVersion at the largest the protocol allows', () => {
  it('should answer that item as a conflict and apply the rest of the push', async () => {
    const user = await registerUser(ts);
    const id = randomUUID();
    const deviceId = user.device.id;
    await user.api.sync.push.mutate({
      deviceId,
      items: [{ id, baseVersion: 0, deleted: false, ct: fakeCt() }],
    });
    const other = randomUUID();
    const answer = await user.api.sync.push.mutate({
      deviceId,
      items: [
        { id, baseVersion: 2_147_483_647, deleted: false, ct: fakeCt() },
        { id: other, baseVersion: 0, deleted: false, ct: fakeCt() },
      ],
    });
    expect(answer.conflicts.map((c) => c.id)).toEqual([id]);
    expect(answer.conflicts[0]!.version).toBe(1);
    expect(answer.applied).toEqual([expect.objectContaining({ id: other, version: 1 })]);
  });

  it('should refuse to write past the largest version: a record there stays, as a conflict', async () => {
    const user = await registerUser(ts);
    const id = randomUUID();
    await user.api.sync.push.mutate({
      deviceId: user.device.id,
      items: [{ id, baseVersion: 0, deleted: false, ct: fakeCt() }],
    });
    await ts.testDb.database.db.execute(
      sql`update records set version = 2147483647 where id = ${id}`,
    );
    const answer = await user.api.sync.push.mutate({
      deviceId: user.device.id,
      items: [{ id, baseVersion: 2_147_483_647, deleted: false, ct: fakeCt() }],
    });
    expect(answer.applied).toEqual([]);
    expect(answer.conflicts).toEqual([expect.objectContaining({ id, version: 2_147_483_647 })]);
  });
});

describe('a session token in the URL', () => {
  it('should be taken for the change stream only, never for an ordinary request', async () => {
    const user = await registerUser(ts);
    const params = encodeURIComponent(JSON.stringify({ token: user.token }));
    const me = await fetch(`${ts.url}/trpc/account.me?connectionParams=${params}`);
    expect(me.status).toBe(401);
    const viaHeader = await fetch(`${ts.url}/trpc/account.me`, {
      headers: { authorization: `Bearer ${user.token}` },
    });
    expect(viaHeader.status).toBe(200);
    // The stream (EventSource cannot send a header) still takes it.
    const input = encodeURIComponent(JSON.stringify({}));
    const controller = new AbortController();
    const stream = await fetch(
      `${ts.url}/trpc/sync.changes?connectionParams=${params}&input=${input}`,
      { headers: { accept: 'text/event-stream' }, signal: controller.signal },
    );
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    const { value } = await reader.read();
    const first = new TextDecoder().decode(value);
    controller.abort();
    expect(first).not.toMatch(/UNAUTHORIZED/);
  });
});

describe('a short idle time', () => {
  it('should keep a session in use alive past its idle time', async () => {
    const short = await startTestServer(
      { SESSION_IDLE_SECONDS: '4', SESSION_ABSOLUTE_SECONDS: '3600' },
      ts.testDb,
    );
    try {
      const user = await registerUser(short);
      const start = Date.now();
      // In use every second for twice the idle time: never expired.
      while (Date.now() - start < 8_000) {
        const res = await fetch(`${short.url}/trpc/account.me`, {
          headers: { authorization: `Bearer ${user.token}` },
        });
        expect(res.status).toBe(200);
        await new Promise((r) => setTimeout(r, 1_000));
      }
    } finally {
      await short.close();
    }
  }, 30_000);
});

describe.runIf(backend === 'postgres')('losing the database', () => {
  async function admin(query: string) {
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await c.connect();
    try {
      await c.query(query);
    } finally {
      await c.end();
    }
  }

  it('should answer a retryable 503 with Retry-After, and serve again when it is back', async () => {
    const user = await registerUser(ts);
    const name = new URL(ts.testDb.url!).pathname.slice(1);
    const me = () =>
      fetch(`${ts.url}/trpc/account.me`, { headers: { authorization: `Bearer ${user.token}` } });
    await admin(`alter database ${name} allow_connections false`);
    try {
      await admin(
        `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}'`,
      );
      const res = await me();
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      const body = (await res.json()) as { error: { message: string; data: { code: string } } };
      expect(body.error.data.code).toBe('SERVICE_UNAVAILABLE');
      expect(body.error.message).toMatch(/database/);
    } finally {
      await admin(`alter database ${name} allow_connections true`);
    }
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await me()).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
  });
});

describe('unauthenticated work', () => {
  it('should throttle sign-ups per client IP before the Argon2id run, with Retry-After', async () => {
    const small = await startTestServer({ SIGNUPS_PER_IP: '3' });
    try {
      const first = fakeRegistration();
      expect((await fetchRegister(small.url, first)).status).toBe(200);
      for (let i = 0; i < 2; i++)
        expect((await fetchRegister(small.url, fakeRegistration())).status).toBe(200);
      const reg = fakeRegistration();
      const refused = await fetchRegister(small.url, reg);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      const users = await queryRows<{ n: string }>(
        small.testDb.database.db,
        sql`select count(*) n from users where email = ${reg.email}`,
      );
      expect(Number(users[0]!.n)).toBe(0);
      // Sign-ups are not failed sign-ins: the address can still sign in.
      const login = sessionOf(
        await small.client().account.login.mutate({
          email: first.email,
          authKey: first.authKey,
          device: first.device,
        }),
      );
      expect(login.token).toBeTruthy();
    } finally {
      await small.close();
    }
  });

  it('should not count sign-ups as failed sign-ins: after 101 from one address it still signs in', async () => {
    const busy = await startTestServer({ SIGNUPS_PER_IP: '500' });
    try {
      const regs = Array.from({ length: 101 }, () => fakeRegistration());
      for (let i = 0; i < regs.length; i += 10)
        await Promise.all(
          regs
            .slice(i, i + 10)
            .map(async (r) => expect((await fetchRegister(busy.url, r)).status).toBe(200)),
        );
      const login = sessionOf(
        await busy.client().account.login.mutate({
          email: regs[0]!.email,
          authKey: regs[0]!.authKey,
          device: regs[0]!.device,
        }),
      );
      expect(login.token).toBeTruthy();
    } finally {
      await busy.close();
    }
  }, 120_000);

  it('should cap the passkey challenges one IP can make the server store', async () => {
    const small = await startTestServer({ PASSKEY_CHALLENGES_PER_IP: '3' });
    const ask = () =>
      fetch(`${small.url}/trpc/passkeys.loginOptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'chrome-extension://x' },
        body: JSON.stringify({}),
      });
    try {
      for (let i = 0; i < 3; i++) expect((await ask()).status).toBe(200);
      const refused = await ask();
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBeTruthy();
      const rows = await queryRows<{ n: string }>(
        small.testDb.database.db,
        sql`select count(*) n from webauthn_challenges`,
      );
      expect(Number(rows[0]!.n)).toBe(3);
    } finally {
      await small.close();
    }
  });

  it('should close a WebSocket that never sends its first message', async () => {
    const ws = new WebSocket(`${ts.url.replace('http', 'ws')}/trpc`);
    const opened = performance.now();
    await new Promise<void>((resolve, reject) => {
      ws.on('close', () => resolve());
      ws.on('error', () => {});
      setTimeout(() => reject(new Error('still open after 30 s')), 30_000);
    });
    expect(performance.now() - opened).toBeGreaterThan(9_000);
  }, 40_000);
});

describe('HTTP hygiene', () => {
  it('should send security headers and a request id on every answer, streams and errors too', async () => {
    const user = await registerUser(ts);
    const answers = [
      await fetch(`${ts.url}/healthz`),
      await fetch(`${ts.url}/trpc/account.me`, {
        headers: { authorization: `Bearer ${user.token}` },
      }),
      await fetch(`${ts.url}/trpc/account.me`),
      await fetch(`${ts.url}/nowhere`),
    ];
    const controller = new AbortController();
    answers.push(
      await fetch(`${ts.url}/trpc/sync.changes?input=${encodeURIComponent('{}')}`, {
        headers: { accept: 'text/event-stream', authorization: `Bearer ${user.token}` },
        signal: controller.signal,
      }),
    );
    controller.abort();
    const ids = new Set<string>();
    for (const res of answers) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      // (A stream says no-cache itself: also never stored.)
      expect(res.headers.get('cache-control')).toMatch(/no-store|no-cache/);
      const id = res.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      ids.add(id!);
    }
    expect(ids.size).toBe(answers.length);
  });
});

function fetchRegister(url: string, body: unknown) {
  return fetch(`${url}/trpc/account.register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
