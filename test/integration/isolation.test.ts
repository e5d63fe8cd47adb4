// User B can neither read, overwrite nor learn of user A's records, sessions or passkeys.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeCt, registerUser, startTestServer, type TestServer } from '../helpers/test-server.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(() => ts.close());

describe('isolation between users', () => {
  it('should treat another user records, sessions and passkeys as absent', async () => {
    const alice = await registerUser(ts);
    const bob = await registerUser(ts);
    const id = randomUUID();
    const aliceCt = fakeCt();
    await alice.api.sync.push.mutate({
      deviceId: alice.device.id,
      items: [{ id, baseVersion: 0, deleted: false, ct: aliceCt }],
    });

    // Bob sees nothing, not even a seq gap.
    expect(await bob.api.sync.pull.query({ cursor: 0, limit: 1000 })).toEqual({
      items: [],
      cursor: 0,
      hasMore: false,
      reset: false,
    });
    // Bob overwriting Alice's id with a base version: absent, version 0.
    const over = await bob.api.sync.push.mutate({
      deviceId: bob.device.id,
      items: [{ id, baseVersion: 1, deleted: true, ct: null }],
    });
    expect(over.conflicts).toEqual([
      { id, version: 0, seq: 0, deleted: true, ct: null, updatedAt: null },
    ]);
    // Bob creating the same id makes his own record; Alice's is untouched.
    const own = await bob.api.sync.push.mutate({
      deviceId: bob.device.id,
      items: [{ id, baseVersion: 0, deleted: false, ct: fakeCt() }],
    });
    expect(own.applied).toEqual([{ id, version: 1, seq: 1 }]);
    const mine = await alice.api.sync.pull.query({ cursor: 0, limit: 10 });
    expect(mine.items).toEqual([expect.objectContaining({ id, version: 1, ct: aliceCt })]);

    // Sessions: Bob lists only his, and cannot revoke Alice's.
    const aliceSessions = await alice.api.sessions.list.query({});
    const bobSessions = await bob.api.sessions.list.query({});
    expect(bobSessions.map((s) => s.id)).not.toContain(aliceSessions[0]!.id);
    await expect(
      bob.api.sessions.revoke.mutate({ id: aliceSessions[0]!.id }),
    ).rejects.toMatchObject({ data: { code: 'NOT_FOUND' } });
    expect(await alice.api.account.me.query({})).toMatchObject({ email: alice.email });

    // Passkeys: Bob's list is empty and removing an unknown id is NOT_FOUND.
    expect(await bob.api.passkeys.list.query({})).toEqual([]);
    await expect(bob.api.passkeys.remove.mutate({ id: 'AAAA' })).rejects.toMatchObject({
      data: { code: 'NOT_FOUND' },
    });

    // revokeOthers by Bob touches only Bob's sessions.
    expect(await bob.api.sessions.revokeOthers.mutate({})).toEqual({ revoked: 0 });
    expect((await alice.api.sessions.list.query({})).length).toBe(1);
  });
});
