// Accounts and sessions: prelogin stability, uniform failures, throttling, expiry, revocation,
// password change, and the audit trail they leave.
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, authAttempts } from '../../server/db/schema.ts';
import { runMaintenance } from '../../server/services/maintenance.ts';
import { emailKey } from '../../server/services/throttle.ts';
import { queryRows } from '../helpers/test-db.ts';
import {
  fakeRegistration,
  registerUser,
  sessionOf,
  startTestServer,
  type TestServer,
} from '../helpers/test-server.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer({ TRUST_PROXY: '1' });
});
afterAll(() => ts.close());

const db = () => ts.testDb.database.db;
const device = () => ({ id: randomUUID(), name: 'Phone' });
const wrongKey = () => randomBytes(32).toString('base64url');

async function rawLogin(body: unknown, ip = '203.0.113.7') {
  return fetch(`${ts.url}/trpc/account.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify(body),
  });
}

describe('prelogin', () => {
  it('should give an unknown email stable fake parameters shaped like a real answer', async () => {
    const api = ts.client();
    const a1 = await api.account.prelogin.query({ email: 'nobody@example.com' });
    const a2 = await api.account.prelogin.query({ email: 'NOBODY@example.com ' });
    const b = await api.account.prelogin.query({ email: 'someone-else@example.com' });
    expect(a1).toEqual(a2);
    expect(a1.salt).not.toBe(b.salt);
    expect(a1.kdf).toEqual({ alg: 'argon2id', m: 65536, t: 3, p: 4 });
    const user = await registerUser(ts);
    const real = await api.account.prelogin.query({ email: user.email });
    expect(Object.keys(real).sort()).toEqual(Object.keys(a1).sort());
    expect(real.salt.length).toBe(a1.salt.length);
  });
});

describe('login', () => {
  it('should answer a wrong email and a wrong key the same way', async () => {
    const user = await registerUser(ts);
    const wrongEmail = await rawLogin(
      { email: 'x@example.com', authKey: user.authKey, device: device() },
      '198.51.100.1',
    );
    const wrongKeyRes = await rawLogin(
      { email: user.email, authKey: wrongKey(), device: device() },
      '198.51.100.1',
    );
    expect(wrongEmail.status).toBe(401);
    expect(wrongKeyRes.status).toBe(401);
    const [e1, e2] = (await Promise.all([wrongEmail.json(), wrongKeyRes.json()])) as Array<{
      error: { message: string };
    }>;
    expect(e1!.error).toEqual(e2!.error);
  });

  it('should throttle an account after 10 failures, with Retry-After, until the window passes', async () => {
    const user = await registerUser(ts);
    for (let i = 0; i < 10; i++) {
      const res = await rawLogin(
        { email: user.email, authKey: wrongKey(), device: device() },
        `192.0.2.${i}`,
      );
      expect(res.status).toBe(401);
    }
    // Even the right key is refused now, from any IP.
    const locked = await rawLogin(
      { email: user.email, authKey: user.authKey, device: device() },
      '192.0.2.99',
    );
    expect(locked.status).toBe(429);
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(800);
    expect(retryAfter).toBeLessThanOrEqual(900);
    expect(((await locked.json()) as { error: { data: { code: string } } }).error.data.code).toBe(
      'TOO_MANY_REQUESTS',
    );
    // Another account is not affected.
    const other = await registerUser(ts);
    expect(
      (await rawLogin({ email: other.email, authKey: other.authKey, device: device() })).status,
    ).toBe(200);
    // 15 minutes later (moved back in the database), the right key works and clears the count.
    await db().execute(
      sql`update ${authAttempts} set created_at = now() - interval '16 minutes' where email_hash = ${emailKey(user.email)}`,
    );
    expect(
      (await rawLogin({ email: user.email, authKey: user.authKey, device: device() })).status,
    ).toBe(200);
  });

  it('should throttle a client IP after 100 failures across accounts', async () => {
    const ip = '198.18.0.5';
    // 99 earlier failures from this IP, then one more through the API makes 100.
    await db()
      .insert(authAttempts)
      .values(Array.from({ length: 99 }, (_, i) => ({ ip, emailHash: `other-${i}` })));
    const user = await registerUser(ts);
    expect(
      (await rawLogin({ email: user.email, authKey: wrongKey(), device: device() }, ip)).status,
    ).toBe(401);
    // A client cannot dodge it by forging an X-Forwarded-For entry: one proxy is trusted, so
    // only the address that proxy appended counts.
    const refused = await rawLogin(
      { email: user.email, authKey: user.authKey, device: device() },
      `203.0.113.250, ${ip}`,
    );
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(
      (await rawLogin({ email: user.email, authKey: user.authKey, device: device() }, '198.18.0.6'))
        .status,
    ).toBe(200);
  });
});

describe('sessions', () => {
  it('should list, revoke one and revoke all other sessions', async () => {
    const user = await registerUser(ts);
    const second = sessionOf(
      await ts.client().account.login.mutate({
        email: user.email,
        authKey: user.authKey,
        device: { id: randomUUID(), name: 'Laptop' },
      }),
    );
    const third = sessionOf(
      await ts.client().account.login.mutate({
        email: user.email,
        authKey: user.authKey,
        device: { id: randomUUID(), name: 'Tablet' },
      }),
    );
    const list = await user.api.sessions.list.query({});
    expect(list).toHaveLength(3);
    expect(list.filter((s) => s.current)).toHaveLength(1);
    expect(list.map((s) => s.deviceName).sort()).toEqual(['Laptop', 'Tablet', 'Test device']);
    for (const s of list) {
      expect(Date.parse(s.expiresAt)).toBeGreaterThan(Date.now());
      expect(Date.parse(s.lastSeenAt)).toBeGreaterThan(0);
    }

    const laptop = list.find((s) => s.deviceName === 'Laptop')!;
    // Both tokens were just used: their sessions sit in the server's session cache.
    await ts.client(second.token).account.me.query({});
    await ts.client(third.token).account.me.query({});
    await user.api.sessions.revoke.mutate({ id: laptop.id });
    await expect(ts.client(second.token).account.me.query({})).rejects.toMatchObject({
      data: { code: 'UNAUTHORIZED' },
    });
    expect(await ts.client(third.token).account.me.query({})).toMatchObject({ email: user.email });

    expect(await user.api.sessions.revokeOthers.mutate({})).toEqual({ revoked: 1 });
    await expect(ts.client(third.token).account.me.query({})).rejects.toMatchObject({
      data: { code: 'UNAUTHORIZED' },
    });
    expect(await user.api.sessions.list.query({})).toHaveLength(1);
  });

  it('should expire a session after its idle and its absolute lifetime, and clean them up', async () => {
    const idle = await registerUser(ts);
    const old = await registerUser(ts);
    const fresh = await registerUser(ts);
    const policy = ts.server.sessionPolicy;
    await db().execute(
      sql`update sessions set last_seen_at = now() - make_interval(secs => ${policy.idleSeconds + 5}) where user_id = ${idle.userId}`,
    );
    await db().execute(
      sql`update sessions set expires_at = now() - interval '1 second' where user_id = ${old.userId}`,
    );
    await expect(idle.api.account.me.query({})).rejects.toMatchObject({
      data: { code: 'UNAUTHORIZED' },
    });
    await expect(old.api.account.me.query({})).rejects.toMatchObject({
      data: { code: 'UNAUTHORIZED' },
    });
    expect(await fresh.api.account.me.query({})).toMatchObject({ email: fresh.email });

    const done = await runMaintenance(db(), {
      sessionPolicy: policy,
      passkeys: ts.server.passkeys,
      tombstoneRetentionSeconds: 3600,
    });
    expect(done.sessions).toBe(2);
    expect(done.audit).toBe(0);
    const left = await queryRows(
      db(),
      sql`select user_id from sessions where user_id in (${idle.userId}, ${old.userId}, ${fresh.userId})`,
    );
    expect(left).toEqual([{ user_id: fresh.userId }]);
  });
});

describe('changePassword', () => {
  it('should swap credentials, revoke every other session and keep the current one', async () => {
    const user = await registerUser(ts);
    const other = sessionOf(
      await ts
        .client()
        .account.login.mutate({ email: user.email, authKey: user.authKey, device: device() }),
    );
    const next = fakeRegistration();
    await expect(
      user.api.account.changePassword.mutate({
        authKey: wrongKey(),
        newAuthKey: next.authKey,
        newKdf: next.kdf,
        newSalt: next.salt,
        newWrappedAccountKey: next.wrappedAccountKey,
      }),
    ).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });

    const newKdf = { alg: 'argon2id' as const, m: 131072, t: 4, p: 4 };
    await user.api.account.changePassword.mutate({
      authKey: user.authKey,
      newAuthKey: next.authKey,
      newKdf,
      newSalt: next.salt,
      newWrappedAccountKey: next.wrappedAccountKey,
    });
    expect(await user.api.account.me.query({})).toMatchObject({ email: user.email });
    await expect(ts.client(other.token).account.me.query({})).rejects.toMatchObject({
      data: { code: 'UNAUTHORIZED' },
    });
    await expect(
      ts
        .client()
        .account.login.mutate({ email: user.email, authKey: user.authKey, device: device() }),
    ).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    const relogin = sessionOf(
      await ts
        .client()
        .account.login.mutate({ email: user.email, authKey: next.authKey, device: device() }),
    );
    expect(relogin).toMatchObject({
      kdf: newKdf,
      salt: next.salt,
      wrappedAccountKey: next.wrappedAccountKey,
    });

    const events = (await user.api.account.auditLog.query({})).map((e) => e.kind);
    expect(events).toEqual(
      expect.arrayContaining([
        'account.registered',
        'login.succeeded',
        'login.failed',
        'password.changed',
      ]),
    );
    expect(events[0]).toBe('login.succeeded');
  });

  it('should refuse to register an email twice', async () => {
    const user = await registerUser(ts);
    await expect(
      ts.client().account.register.mutate(fakeRegistration({ email: user.email })),
    ).rejects.toMatchObject({ data: { code: 'CONFLICT', httpStatus: 409 } });
  });
});

describe('maintenance', () => {
  it('should forget old audit events and old throttling rows, and keep recent ones', async () => {
    const user = await registerUser(ts);
    await db()
      .insert(auditEvents)
      .values([
        {
          kind: 'login.failed',
          userId: user.userId,
          createdAt: new Date(Date.now() - 400 * 86400_000),
        },
        {
          kind: 'login.failed',
          userId: user.userId,
          createdAt: new Date(Date.now() - 40 * 86400_000),
        },
        { kind: 'login.failed', userId: null, createdAt: new Date(Date.now() - 40 * 86400_000) },
      ]);
    await db()
      .insert(authAttempts)
      .values({ ip: '192.0.2.200', createdAt: new Date(Date.now() - 2 * 86400_000) });
    const done = await runMaintenance(db(), {
      sessionPolicy: ts.server.sessionPolicy,
      passkeys: ts.server.passkeys,
      tombstoneRetentionSeconds: 3600,
    });
    expect(done.audit).toBe(2);
    expect(done.attempts).toBeGreaterThanOrEqual(1);
    const kinds = await queryRows<{ kind: string }>(
      db(),
      sql`select kind from audit_events where user_id = ${user.userId} order by created_at`,
    );
    expect(kinds.map((k) => k.kind)).toEqual(['login.failed', 'account.registered']);
  });
});

describe('account.keys', () => {
  it('should give a signed-in device its wrapped key and KDF parameters, and nobody else', async () => {
    const user = await registerUser(ts);
    expect(await user.api.account.keys.query({})).toEqual({
      kdf: user.kdf,
      salt: user.salt,
      wrappedAccountKey: user.wrappedAccountKey,
      generation: 1,
      retired: [],
    });
    await expect(ts.client().account.keys.query({})).rejects.toMatchObject({
      data: { code: 'UNAUTHORIZED' },
    });
  });
});
