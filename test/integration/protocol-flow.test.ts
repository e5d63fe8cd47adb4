// The whole protocol as a client meets it over HTTP: register → login → push → pull → conflict
// → update → tombstone → compaction → reset.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactTombstones } from '../../server/services/sync.ts';
import {
  fakeCt,
  fakeRegistration,
  sessionOf,
  startTestServer,
  type TestServer,
} from '../helpers/test-server.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(() => ts.close());

describe('protocol flow', () => {
  it('should carry records from one device to another and resolve a conflict', async () => {
    const reg = fakeRegistration();
    const registered = await ts.client().account.register.mutate(reg);
    expect(registered.userId).toBe(reg.userId);
    expect(registered.token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Device B signs in with what prelogin tells it.
    const pre = await ts.client().account.prelogin.query({ email: reg.email.toUpperCase() });
    expect(pre).toEqual({ kdf: reg.kdf, salt: reg.salt });
    const deviceB = { id: randomUUID(), name: 'Laptop' };
    const login = sessionOf(
      await ts.client().account.login.mutate({
        email: reg.email,
        authKey: reg.authKey,
        device: deviceB,
      }),
    );
    expect(login).toMatchObject({
      userId: reg.userId,
      kdf: reg.kdf,
      salt: reg.salt,
      wrappedAccountKey: reg.wrappedAccountKey,
    });
    const a = ts.client(registered.token);
    const b = ts.client(login.token);
    expect(await b.account.me.query({})).toMatchObject({ userId: reg.userId, email: reg.email });

    // A creates two records.
    const [r1, r2] = [randomUUID(), randomUUID()];
    const [ct1, ct2] = [fakeCt(), fakeCt()];
    const pushed = await a.sync.push.mutate({
      deviceId: reg.device.id,
      items: [
        { id: r1, baseVersion: 0, deleted: false, ct: ct1 },
        { id: r2, baseVersion: 0, deleted: false, ct: ct2 },
      ],
    });
    expect(pushed).toEqual({
      applied: [
        { id: r1, version: 1, seq: 1 },
        { id: r2, version: 1, seq: 2 },
      ],
      conflicts: [],
    });

    // B pulls them in seq order, one page at a time.
    const page1 = await b.sync.pull.query({ cursor: 0, limit: 1 });
    expect(page1).toMatchObject({ cursor: 1, hasMore: true, reset: false });
    expect(page1.items).toEqual([
      expect.objectContaining({ id: r1, version: 1, seq: 1, deleted: false, ct: ct1 }),
    ]);
    const page2 = await b.sync.pull.query({ cursor: page1.cursor, limit: 10 });
    expect(page2).toMatchObject({ cursor: 2, hasMore: false, reset: false });
    expect(page2.items.map((i) => i.id)).toEqual([r2]);
    expect(Date.parse(page2.items[0]!.updatedAt!)).toBeGreaterThan(0);

    // Both edit r1 from version 1: B wins the race, A gets the stored record back.
    const ctB = fakeCt();
    const bEdit = await b.sync.push.mutate({
      deviceId: deviceB.id,
      items: [{ id: r1, baseVersion: 1, deleted: false, ct: ctB }],
    });
    expect(bEdit.applied).toEqual([{ id: r1, version: 2, seq: 3 }]);
    const aEdit = await a.sync.push.mutate({
      deviceId: reg.device.id,
      items: [{ id: r1, baseVersion: 1, deleted: false, ct: fakeCt() }],
    });
    expect(aEdit.applied).toEqual([]);
    expect(aEdit.conflicts).toEqual([
      expect.objectContaining({ id: r1, version: 2, seq: 3, deleted: false, ct: ctB }),
    ]);

    // A merges and pushes on top of the server's version.
    const merged = fakeCt();
    const update = await a.sync.push.mutate({
      deviceId: reg.device.id,
      items: [{ id: r1, baseVersion: 2, deleted: false, ct: merged }],
    });
    expect(update.applied).toEqual([{ id: r1, version: 3, seq: 4 }]);

    // A retried push of the same content counts as applied, without a new version.
    const retry = await a.sync.push.mutate({
      deviceId: reg.device.id,
      items: [{ id: r1, baseVersion: 2, deleted: false, ct: merged }],
    });
    expect(retry).toEqual({ applied: [{ id: r1, version: 3, seq: 4 }], conflicts: [] });

    // B deletes r2: a tombstone keeps id, version and seq.
    const del = await b.sync.push.mutate({
      deviceId: deviceB.id,
      items: [{ id: r2, baseVersion: 1, deleted: true, ct: null }],
    });
    expect(del.applied).toEqual([{ id: r2, version: 2, seq: 5 }]);
    const afterDelete = await a.sync.pull.query({ cursor: 2, limit: 100 });
    expect(afterDelete.items.map((i) => [i.id, i.version, i.seq, i.deleted, i.ct])).toEqual([
      [r1, 3, 4, false, merged],
      [r2, 2, 5, true, null],
    ]);

    // A push for an id the user never had, with baseVersion > 0, is a conflict with version 0.
    const ghost = randomUUID();
    const ghostPush = await a.sync.push.mutate({
      deviceId: reg.device.id,
      items: [{ id: ghost, baseVersion: 4, deleted: false, ct: fakeCt() }],
    });
    expect(ghostPush.conflicts).toEqual([
      { id: ghost, version: 0, seq: 0, deleted: true, ct: null, updatedAt: null },
    ]);

    // Compaction drops the tombstone; a cursor from before it must start again.
    expect(await compactTombstones(ts.testDb.database.db, new Date(Date.now() + 1000))).toBe(1);
    expect(await a.sync.pull.query({ cursor: 3, limit: 100 })).toEqual({
      items: [],
      cursor: 0,
      hasMore: true,
      reset: true,
    });
    // From zero, or from at/after the horizon, pulling works and the tombstone is gone.
    const fresh = await a.sync.pull.query({ cursor: 0, limit: 100 });
    expect(fresh.reset).toBe(false);
    expect(fresh.items.map((i) => i.id)).toEqual([r1]);
    expect((await a.sync.pull.query({ cursor: 5, limit: 100 })).reset).toBe(false);

    // A cursor ahead of the server's head (a restored server) also resets.
    expect((await a.sync.pull.query({ cursor: 99, limit: 10 })).reset).toBe(true);

    // Logout: the token stops working at once.
    await b.account.logout.mutate({});
    await expect(b.sync.pull.query({ cursor: 0, limit: 1 })).rejects.toMatchObject({
      data: { code: 'UNAUTHORIZED', httpStatus: 401 },
    });
    expect((await a.sync.pull.query({ cursor: 0, limit: 1 })).items).toHaveLength(1);
  });

  it('should answer plain HTTP clients with the documented JSON shapes', async () => {
    const reg = fakeRegistration();
    const res = await fetch(`${ts.url}/trpc/account.register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(reg),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result: { data: { token: string } } };
    const token = body.result.data.token;
    const input = encodeURIComponent(JSON.stringify({ cursor: 0, limit: 10 }));
    const pulled = await fetch(`${ts.url}/trpc/sync.pull?input=${input}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await pulled.json()).toEqual({
      result: { data: { items: [], cursor: 0, hasMore: false, reset: false } },
    });
    const unauth = await fetch(`${ts.url}/trpc/sync.pull?input=${input}`);
    expect(unauth.status).toBe(401);
    const err = (await unauth.json()) as { error: { data: { code: string; stack?: string } } };
    expect(err.error.data.code).toBe('UNAUTHORIZED');
    expect(err.error.data.stack).toBeUndefined();
  });
});
