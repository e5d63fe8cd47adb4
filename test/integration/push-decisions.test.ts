// The compare-and-swap table of a push (the cofre_push database function, migration 0001),
// case by case over HTTP, on PGlite and on Postgres:
//
// | stored                         | item                                   | decision            |
// | ------------------------------ | -------------------------------------- | ------------------- |
// | none                           | baseVersion 0                          | write version 1     |
// | none                           | baseVersion > 0                        | conflict (missing)  |
// | version == baseVersion         | any                                    | write base + 1      |
// | version == baseVersion + 1,    | same deleted flag and same ct bytes    | same (a retry)      |
// | anything else                  |                                        | conflict (stored)   |
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeCt, registerUser, startTestServer, type TestServer } from '../helpers/test-server.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(() => ts.close());

type User = Awaited<ReturnType<typeof registerUser>>;
const item = (id: string, baseVersion: number, ct: string | null, deleted = ct === null) => ({
  id,
  baseVersion,
  deleted,
  ct,
});
const push = (u: User, items: ReturnType<typeof item>[]) =>
  u.api.sync.push.mutate({ deviceId: u.device.id, items });
const head = async (u: User) => (await u.api.sync.pull.query({ cursor: 0, limit: 1000 })).cursor;

describe('push decisions', () => {
  it('should write version 1 of a new record, and report a missing one as a conflict', async () => {
    const u = await registerUser(ts);
    const [a, b] = [randomUUID(), randomUUID()];
    const out = await push(u, [item(a, 0, fakeCt()), item(b, 2, fakeCt())]);
    expect(out.applied).toEqual([{ id: a, version: 1, seq: 1 }]);
    expect(out.conflicts).toEqual([
      { id: b, version: 0, seq: 0, deleted: true, ct: null, updatedAt: null },
    ]);
    expect(await head(u)).toBe(1);
  });

  it('should write baseVersion + 1 over the stored version, deletions included', async () => {
    const u = await registerUser(ts);
    const a = randomUUID();
    await push(u, [item(a, 0, fakeCt())]);
    const ct2 = fakeCt();
    expect((await push(u, [item(a, 1, ct2)])).applied).toEqual([{ id: a, version: 2, seq: 2 }]);
    expect((await push(u, [item(a, 2, null)])).applied).toEqual([{ id: a, version: 3, seq: 3 }]);
    const [stored] = (await u.api.sync.pull.query({ cursor: 2, limit: 10 })).items;
    expect(stored).toMatchObject({ id: a, version: 3, seq: 3, deleted: true, ct: null });
  });

  it('should count a retry of exactly the stored content as applied, without a new seq', async () => {
    const u = await registerUser(ts);
    const [a, d] = [randomUUID(), randomUUID()];
    const ct = fakeCt();
    await push(u, [item(a, 0, ct), item(d, 0, fakeCt())]);
    await push(u, [item(d, 1, null)]);
    const before = await head(u);
    const out = await push(u, [item(a, 0, ct), item(d, 1, null)]);
    expect(out).toEqual({
      applied: [
        { id: a, version: 1, seq: 1 },
        { id: d, version: 2, seq: 3 },
      ],
      conflicts: [],
    });
    expect(await head(u)).toBe(before);
  });

  it('should return the stored record when the base is stale and the content differs', async () => {
    const u = await registerUser(ts);
    const a = randomUUID();
    const ct1 = fakeCt();
    await push(u, [item(a, 0, ct1)]);
    const ct2 = fakeCt();
    await push(u, [item(a, 1, ct2)]);
    for (const stale of [item(a, 1, fakeCt()), item(a, 0, ct1), item(a, 1, null)]) {
      const out = await push(u, [stale]);
      expect(out.applied).toEqual([]);
      expect(out.conflicts).toEqual([
        {
          id: a,
          version: 2,
          seq: 2,
          deleted: false,
          ct: ct2,
          updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        },
      ]);
    }
    expect(await head(u)).toBe(2);
  });

  it('should keep the items of one push in order, each with its own outcome', async () => {
    const u = await registerUser(ts);
    const ids = Array.from({ length: 6 }, () => randomUUID());
    await push(u, [item(ids[1]!, 0, fakeCt()), item(ids[3]!, 0, fakeCt())]);
    const out = await push(
      u,
      ids.map((id, i) => item(id, i % 2 === 1 ? 1 : 0, fakeCt())),
    );
    expect(out.applied.map((a) => [a.id, a.version, a.seq])).toEqual([
      [ids[0], 1, 3],
      [ids[1], 2, 4],
      [ids[2], 1, 5],
      [ids[3], 2, 6],
      [ids[4], 1, 7],
    ]);
    expect(out.conflicts.map((c) => [c.id, c.version])).toEqual([[ids[5], 0]]);
  });
});
