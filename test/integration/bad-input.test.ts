// Every procedure refuses malformed input with a 4xx and a clear message, never a 5xx, and
// the database is unchanged afterwards.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../helpers/test-db.ts';
import {
  fakeCt,
  fakeRegistration,
  registerUser,
  startTestServer,
  type TestServer,
} from '../helpers/test-server.ts';

let ts: TestServer;
let token: string;
let deviceId: string;
const ct = () => fakeCt();

beforeAll(async () => {
  ts = await startTestServer();
  const user = await registerUser(ts);
  token = user.token;
  deviceId = user.device.id;
  await user.api.sync.push.mutate({
    deviceId,
    items: [{ id: randomUUID(), baseVersion: 0, deleted: false, ct: ct() }],
  });
});
afterAll(() => ts.close());

async function snapshot() {
  const counts = await queryRows(
    ts.testDb.database.db,
    sql`
    select (select count(*) from users) u, (select count(*) from records) r,
           (select count(*) from sessions) s, (select count(*) from passkeys) p,
           (select coalesce(max(seq), 0) from users) seq`,
  );
  return JSON.stringify(counts);
}

type Call = {
  path: string;
  body?: string;
  input?: unknown;
  kind?: 'query' | 'mutation';
  auth?: boolean;
};

async function call(c: Call) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (c.auth !== false) headers.authorization = `Bearer ${token}`;
  if (c.kind === 'query') {
    const q = c.input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(c.input))}`;
    return fetch(`${ts.url}/trpc/${c.path}${q}`, { headers });
  }
  return fetch(`${ts.url}/trpc/${c.path}`, {
    method: 'POST',
    headers,
    body: c.body ?? JSON.stringify(c.input),
  });
}

const reg = fakeRegistration();
const item = { id: randomUUID(), baseVersion: 0, deleted: false, ct: 'AAAA' };
const cases: Array<[string, Call, RegExp]> = [
  [
    'register: missing field',
    { path: 'account.register', input: { ...reg, authKey: undefined }, auth: false },
    /authKey/,
  ],
  [
    'register: extra field',
    { path: 'account.register', input: { ...reg, admin: true }, auth: false },
    /admin/,
  ],
  [
    'register: wrong type',
    { path: 'account.register', input: { ...reg, kdf: { ...reg.kdf, m: '64' } }, auth: false },
    /kdf\.m/,
  ],
  [
    'register: weak kdf',
    { path: 'account.register', input: { ...reg, kdf: { ...reg.kdf, m: 1024 } }, auth: false },
    /65536/,
  ],
  [
    'register: absurd kdf',
    { path: 'account.register', input: { ...reg, kdf: { ...reg.kdf, t: 64 } }, auth: false },
    /t/,
  ],
  [
    'register: bad uuid',
    { path: 'account.register', input: { ...reg, userId: 'not-a-uuid' }, auth: false },
    /userId/,
  ],
  [
    'register: bad base64url',
    { path: 'account.register', input: { ...reg, authKey: '+/+/'.repeat(11) }, auth: false },
    /base64url/,
  ],
  [
    'register: short authKey',
    { path: 'account.register', input: { ...reg, authKey: 'AAAA' }, auth: false },
    /32 bytes/,
  ],
  [
    'register: email too long',
    { path: 'account.register', input: { ...reg, email: `${'a'.repeat(250)}@x.io` }, auth: false },
    /254/,
  ],
  [
    'prelogin: not an email',
    { path: 'account.prelogin', kind: 'query', input: { email: 'nope' }, auth: false },
    /email/,
  ],
  [
    'prelogin: no input',
    { path: 'account.prelogin', kind: 'query', auth: false },
    /^input: .*expected object/,
  ],
  [
    'login: extra field',
    {
      path: 'account.login',
      input: { email: reg.email, authKey: reg.authKey, device: reg.device, x: 1 },
      auth: false,
    },
    /x/,
  ],
  [
    'login: device without name',
    {
      path: 'account.login',
      input: { email: reg.email, authKey: reg.authKey, device: { id: randomUUID() } },
      auth: false,
    },
    /device\.name/,
  ],
  ['me: extra field', { path: 'account.me', kind: 'query', input: { all: true } }, /all/],
  ['logout: extra field', { path: 'account.logout', input: { everywhere: true } }, /everywhere/],
  [
    'auditLog: extra field',
    { path: 'account.auditLog', kind: 'query', input: { limit: 5 } },
    /limit/,
  ],
  [
    'sessions.list: extra field',
    { path: 'sessions.list', kind: 'query', input: { all: 1 } },
    /all/,
  ],
  [
    'sessions.revokeOthers: extra field',
    { path: 'sessions.revokeOthers', input: { keep: [] } },
    /keep/,
  ],
  [
    'passkeys.registrationOptions: extra field',
    { path: 'passkeys.registrationOptions', input: { rp: 'x' } },
    /rp/,
  ],
  ['passkeys.list: wrong type', { path: 'passkeys.list', kind: 'query', input: 'all' }, /input/],
  [
    'passkeys.loginOptions: bad email',
    { path: 'passkeys.loginOptions', input: { email: 42 }, auth: false },
    /email/,
  ],
  [
    'changePassword: missing fields',
    { path: 'account.changePassword', input: { authKey: reg.authKey } },
    /newAuthKey/,
  ],
  ['sessions.revoke: bad uuid', { path: 'sessions.revoke', input: { id: 42 } }, /id/],
  ['passkeys.remove: missing id', { path: 'passkeys.remove', input: {} }, /id/],
  [
    'passkeys.register: junk response',
    { path: 'passkeys.register', input: { response: { id: 1 }, name: 'x' } },
    /response/,
  ],
  [
    'passkeys.login: junk',
    { path: 'passkeys.login', input: { response: 'x', device: reg.device }, auth: false },
    /response/,
  ],
  [
    'push: 501 items',
    {
      path: 'sync.push',
      input: {
        deviceId: randomUUID(),
        items: Array.from({ length: 501 }, () => ({ ...item, id: randomUUID() })),
      },
    },
    /500/,
  ],
  [
    'push: 70 KiB ct',
    {
      path: 'sync.push',
      input: {
        deviceId: randomUUID(),
        items: [{ ...item, ct: Buffer.alloc(70 * 1024).toString('base64url') }],
      },
    },
    /65536 bytes/,
  ],
  [
    'push: bad base64url ct',
    { path: 'sync.push', input: { deviceId: randomUUID(), items: [{ ...item, ct: 'ab=c' }] } },
    /base64url/,
  ],
  [
    'push: bad uuid',
    { path: 'sync.push', input: { deviceId: randomUUID(), items: [{ ...item, id: 'x' }] } },
    /items\.0\.id/,
  ],
  [
    'push: negative baseVersion',
    { path: 'sync.push', input: { deviceId: randomUUID(), items: [{ ...item, baseVersion: -1 }] } },
    /baseVersion/,
  ],
  [
    'push: live record without ct',
    { path: 'sync.push', input: { deviceId: randomUUID(), items: [{ ...item, ct: null }] } },
    /live record has ct/,
  ],
  [
    'push: duplicate ids',
    { path: 'sync.push', input: { deviceId: randomUUID(), items: [item, item] } },
    /once/,
  ],
  [
    'push: extra item field',
    { path: 'sync.push', input: { deviceId: randomUUID(), items: [{ ...item, seq: 5 }] } },
    /seq/,
  ],
  [
    'push: items not an array',
    { path: 'sync.push', input: { deviceId: randomUUID(), items: {} } },
    /items/,
  ],
  [
    'push: malformed JSON',
    { path: 'sync.push', body: '{"deviceId": "x", items: [' },
    /JSON|parse/i,
  ],
  [
    'pull: negative cursor',
    { path: 'sync.pull', kind: 'query', input: { cursor: -1, limit: 10 } },
    /cursor/,
  ],
  ['pull: limit 0', { path: 'sync.pull', kind: 'query', input: { cursor: 0, limit: 0 } }, /limit/],
  [
    'pull: limit 1001',
    { path: 'sync.pull', kind: 'query', input: { cursor: 0, limit: 1001 } },
    /limit/,
  ],
  [
    'pull: fractional cursor',
    { path: 'sync.pull', kind: 'query', input: { cursor: 1.5, limit: 1 } },
    /cursor/,
  ],
  [
    'pull: string limit',
    { path: 'sync.pull', kind: 'query', input: { cursor: 0, limit: '10' } },
    /limit/,
  ],
];

describe('bad input', () => {
  it.each(cases)('should refuse %s with a clear 4xx', async (_name, c, message) => {
    const before = await snapshot();
    const res = await call(c);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const body = (await res.json()) as { error: { message: string; data: { code: string } } };
    expect(body.error.message).toMatch(message);
    expect(body.error.data.code).toMatch(/BAD_REQUEST|PARSE_ERROR/);
    expect(await snapshot()).toBe(before);
  });

  it('should refuse a change stream with a wrong-typed lastEventId', async () => {
    const input = encodeURIComponent(JSON.stringify({ lastEventId: 7 }));
    const res = await fetch(`${ts.url}/trpc/sync.changes?input=${input}`, {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
    });
    // A stream reports errors as tRPC's serialized-error event, then ends.
    const body = await res.text();
    expect(body).toMatch(/event: serialized-error\ndata: .*BAD_REQUEST/);
    expect(body).toContain('lastEventId');
  });

  it('should refuse a body over 4 MiB with PAYLOAD_TOO_LARGE', async () => {
    const before = await snapshot();
    const big = JSON.stringify({
      deviceId,
      items: Array.from({ length: 80 }, () => ({
        ...item,
        id: randomUUID(),
        ct: Buffer.alloc(60_000).toString('base64url'),
      })),
    });
    expect(big.length).toBeGreaterThan(4 * 1024 * 1024);
    const res = await call({ path: 'sync.push', body: big });
    expect(res.status).toBe(413);
    const body = (await res.json()) as { error: { data: { code: string } } };
    expect(body.error.data.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await snapshot()).toBe(before);
  });

  it('should refuse a body that is not JSON and an unknown procedure', async () => {
    const res = await fetch(`${ts.url}/trpc/sync.push`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${token}` },
      body: 'hello',
    });
    expect(res.status).toBe(415);
    const missing = await call({ path: 'sync.nothing', input: {} });
    expect(missing.status).toBe(404);
  });

  it('should refuse a malformed or unknown bearer token with UNAUTHORIZED', async () => {
    for (const bad of ['', 'x', 'Bearer', `Bearer ${'A'.repeat(43)}`, `Basic ${token}`]) {
      const res = await fetch(`${ts.url}/trpc/account.me`, { headers: { authorization: bad } });
      expect(res.status).toBe(401);
    }
  });
});
