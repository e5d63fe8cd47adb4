// Sharing through the real server (PGlite and Postgres), each person with their own account key,
// identity and stores, over HTTP: a family shares a vault; every role's allowed and refused
// actions; removal ends access and rotation re-encrypts; moves in and out; offline edits by two
// members merge; an edit refused after a demotion survives in the editor's personal vault.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactTombstones } from '../../server/services/sync.ts';
import { fromBase64url } from '../../shared/crypto/bytes.ts';
import { openIdentity } from '../../shared/sharing/identity.ts';
import { SharingError } from '../../shared/sharing/sharing-error.ts';
import { watchChanges } from '../helpers/events.ts';
import { addMember, createPerson, itemsByName, login, type Person } from '../helpers/people.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(() => ts.close());

const code = (err: unknown) =>
  (err as { data?: { code?: string } }).data?.code ?? (err as { code?: string }).code;

async function family() {
  const [ana, ben, carla] = await Promise.all(
    ['Ana', 'Ben', 'Carla'].map((n) => createPerson(ts, n)),
  );
  const vault = await ana!.sharing.createVault('Familia');
  await addMember(ana!, vault.vaultId, ben!, 'editor');
  await addMember(ana!, vault.vaultId, carla!, 'editor');
  return { ana: ana!, ben: ben!, carla: carla!, vaultId: vault.vaultId };
}

async function itemIdByName(p: Person, vaultId: string, name: string) {
  const { engine } = await p.sharing.openVault(vaultId);
  for (const [id, body] of await engine.read()) if ('name' in body && body.name === name) return id;
  throw new Error(`no item ${name}`);
}

describe('sharing', () => {
  it('should let three accounts share a vault: each sees the name, the members and every item', async () => {
    const { ana, ben, carla, vaultId } = await family();
    const { engine } = await ana.sharing.openVault(vaultId);
    await engine.save(crypto.randomUUID(), login('Wi-Fi', { password: 'casa-2026-wifi' }));
    await ana.sharing.syncAll();
    for (const p of [ben, carla]) {
      const report = await p.sharing.syncAll();
      expect(report.refused).toEqual({});
      const v = await p.sharing.describe(vaultId);
      expect(v.name).toBe('Familia');
      expect(v.role).toBe('editor');
      expect(v.members.map((m) => m.userId).sort()).toEqual(
        [ana.userId, ben.userId, carla.userId].sort(),
      );
      expect((await itemsByName(v.engine)).get('Wi-Fi')).toMatchObject({
        password: 'casa-2026-wifi',
      });
    }
    // The server holds ciphertexts only: no name, no password.
    const raw = await ts.testDb.database.db.execute(
      `select encode(ct, 'escape') as t from vault_records where vault_id = '${vaultId}'` as never,
    );
    expect(JSON.stringify(raw)).not.toMatch(/casa-2026-wifi|Familia|Wi-Fi/);
    // Each one pinned the others (trust on first use), Ana marked both verified.
    // Renamed by the owner: the name is a sealed record inside the vault.
    await ana.sharing.renameVault(vaultId, 'Familia García');
    await ana.sharing.syncAll();
    await ben.sharing.syncAll();
    expect((await ben.sharing.describe(vaultId)).name).toBe('Familia García');
    await expect(ben.sharing.renameVault(vaultId, 'Mine')).rejects.toBeInstanceOf(SharingError);
    const pins = await ana.sharing.contacts();
    expect(pins.map((c) => c.userId).sort()).toEqual([ben.userId, carla.userId].sort());
    expect(pins.every((c) => c.verifiedAt !== null)).toBe(true);
    expect((await ben.sharing.contacts()).map((c) => c.userId)).toContain(ana.userId);
  });

  it('should enforce every role: viewer reads only, editor edits, manager invites and removes, owner alone deletes', async () => {
    const [owner, manager, editor, viewer, outsider] = await Promise.all(
      ['Olga', 'Mateo', 'Elena', 'Victor', 'Xavi'].map((n) => createPerson(ts, n)),
    );
    const { vaultId } = await owner!.sharing.createVault('Oficina');
    await addMember(owner!, vaultId, manager!, 'manager');
    await addMember(manager!, vaultId, editor!, 'editor');
    await addMember(manager!, vaultId, viewer!, 'viewer');

    // Every member reads; the outsider gets nothing (not even the vault's existence).
    for (const p of [manager!, editor!, viewer!]) await p.sharing.syncAll();
    await expect(outsider!.api.pull({ cursor: 0, limit: 10, vaultId })).rejects.toSatisfy(
      (e) => code(e) === 'FORBIDDEN',
    );
    await expect(outsider!.api.vaultState(vaultId)).rejects.toSatisfy(
      (e) => code(e) === 'NOT_FOUND',
    );

    // The editor writes; the viewer's write is refused by the server, and kept in their own vault.
    const { engine: e } = await editor!.sharing.openVault(vaultId);
    await e.save(crypto.randomUUID(), login('Router'));
    await editor!.sharing.syncAll();
    const { engine: v } = await viewer!.sharing.openVault(vaultId);
    await v.save(crypto.randomUUID(), login('Viewer note'));
    const report = await viewer!.sharing.syncAll();
    expect(report.rescued.map((r) => r.name)).toEqual(['Viewer note']);
    expect((await itemsByName(viewer!.personal)).has('Viewer note')).toBe(true);
    expect([...(await itemsByName(v)).keys()]).toEqual(['Router']);

    // Only managers and the owner invite; a viewer or editor cannot, even by calling the server.
    await expect(viewer!.sharing.invite(vaultId, 'x@example.com', 'viewer')).rejects.toBeInstanceOf(
      SharingError,
    );
    await expect(
      editor!.api.invite({
        vaultId,
        email: 'x@example.com',
        role: 'viewer',
        invitation: { body: 'eyJ2IjoxfQ', sig: 'A'.repeat(86) },
      }),
    ).rejects.toSatisfy((e) => code(e) === 'BAD_REQUEST' || code(e) === 'FORBIDDEN');
    // A manager cannot touch the owner; an editor cannot remove anyone; no one else deletes.
    await expect(manager!.api.removeMember({ vaultId, userId: owner!.userId })).rejects.toSatisfy(
      (e) => code(e) === 'FORBIDDEN',
    );
    await expect(editor!.api.removeMember({ vaultId, userId: viewer!.userId })).rejects.toSatisfy(
      (e) => code(e) === 'FORBIDDEN',
    );
    await expect(
      manager!.sharing.changeRole(vaultId, owner!.userId, 'editor'),
    ).rejects.toBeInstanceOf(SharingError);
    await expect(manager!.api.deleteVault(vaultId)).rejects.toSatisfy(
      (e) => code(e) === 'FORBIDDEN',
    );
    // A manager changes a role (a new generation, same key) and removes a member.
    await manager!.sharing.changeRole(vaultId, viewer!.userId, 'editor');
    expect((await viewer!.sharing.describe(vaultId)).role).toBe('editor');
    await manager!.sharing.removeMember(vaultId, viewer!.userId);
    // The owner deletes the vault: every member loses it at their next sync.
    await owner!.sharing.deleteVault(vaultId);
    const after = await editor!.sharing.syncAll();
    expect(after.lost).toEqual([vaultId]);
    expect(editor!.stores.has(vaultId)).toBe(false);
  });

  it('should end a removed member’s access at once, rotate the key and re-encrypt every record', async () => {
    const { ana, ben, carla, vaultId } = await family();
    const { engine } = await ana.sharing.openVault(vaultId);
    for (let i = 0; i < 30; i++) await engine.save(crypto.randomUUID(), login(`Site ${i}`));
    await ana.sharing.syncAll();
    await ben.sharing.syncAll();
    await carla.sharing.syncAll();
    const batches: number[] = [];
    const removed = await ana.sharing.removeMember(vaultId, ben.userId, (done) =>
      batches.push(done),
    );
    // What Ben could see, so Ana can change those passwords.
    expect(removed.couldSee.map((i) => i.name).sort()).toEqual(
      Array.from({ length: 30 }, (_, i) => `Site ${i}`).sort(),
    );
    expect(removed.generation).toBe(2);
    expect(removed.reencrypted).toBe(31);
    expect(batches.at(-1)).toBe(31);
    // Ben: no pull, no push, no state; his next sync erases his copy.
    await expect(ben.api.pull({ cursor: 0, limit: 10, vaultId })).rejects.toSatisfy(
      (e) => code(e) === 'FORBIDDEN',
    );
    await expect(
      ben.api.push({
        deviceId: crypto.randomUUID(),
        items: [{ id: crypto.randomUUID(), baseVersion: 0, deleted: false, ct: 'AAAA', vaultId }],
      }),
    ).rejects.toSatisfy((e) => code(e) === 'FORBIDDEN');
    const benReport = await ben.sharing.syncAll();
    expect(benReport.lost).toEqual([vaultId]);
    // Carla opens everything under generation 2, on her old device and on a new one.
    await carla.sharing.syncAll();
    const carla2 = carla.newDevice();
    await carla2.sharing.syncAll();
    const v = await carla2.sharing.describe(vaultId);
    expect(v.generation).toBe(2);
    expect((await itemsByName(v.engine)).size).toBe(30);
    expect(await v.engine.staleKeyIds()).toEqual([]);
  });

  it('should move items into a shared vault and back out, each move in one push', async () => {
    const { ana, ben, vaultId } = await family();
    const ids = [crypto.randomUUID(), crypto.randomUUID()];
    await ana.personal.save(ids[0]!, login('Netflix'));
    await ana.personal.save(ids[1]!, login('Bank', { password: 'only-mine' }));
    await ana.personal.sync();
    const pushes: number[] = [];
    const seen = ana.api.push;
    ana.api.push = (input) => {
      pushes.push(input.items.length);
      return seen(input);
    };
    const moved = await ana.sharing.move([ids[0]!], null, vaultId);
    expect(pushes[0]).toBe(2); // the new shared record and the personal tombstone, together
    expect((await itemsByName(ana.personal)).has('Netflix')).toBe(false);
    await ben.sharing.syncAll();
    const { engine } = await ben.sharing.openVault(vaultId);
    expect((await itemsByName(engine)).has('Netflix')).toBe(true);
    expect((await itemsByName(engine)).has('Bank')).toBe(false);
    // Ben (an editor) moves it into his own vault: gone from the shared one for everyone.
    await ben.sharing.move([moved[0]!.to], vaultId, null);
    expect((await itemsByName(ben.personal)).has('Netflix')).toBe(true);
    await ana.sharing.syncAll();
    expect((await itemsByName((await ana.sharing.openVault(vaultId)).engine)).has('Netflix')).toBe(
      false,
    );
  });

  it('should merge offline edits of the same shared item by two members, field by field', async () => {
    const { ana, ben, carla, vaultId } = await family();
    const { engine } = await ana.sharing.openVault(vaultId);
    const id = crypto.randomUUID();
    await engine.save(id, login('Streaming', { username: 'familia', password: 'old-pass' }));
    await ana.sharing.syncAll();
    await ben.sharing.syncAll();
    await carla.sharing.syncAll();
    ben.online = false;
    const benVault = (await ben.sharing.openVault(vaultId)).engine;
    const benCopy = (await benVault.read()).get(id)!;
    await benVault.save(id, { ...benCopy, password: 'ben-new-pass' } as never);
    const carlaVault = (await carla.sharing.openVault(vaultId)).engine;
    const carlaCopy = (await carlaVault.read()).get(id)!;
    await carlaVault.save(id, { ...carlaCopy, notes: 'Plan familiar, 4 pantallas' } as never);
    await carla.sharing.syncAll();
    ben.online = true;
    await ben.sharing.syncAll();
    await carla.sharing.syncAll();
    await ana.sharing.syncAll();
    for (const p of [ana, ben, carla]) {
      const body = (await (await p.sharing.openVault(vaultId)).engine.read()).get(id);
      expect(body).toMatchObject({ password: 'ben-new-pass', notes: 'Plan familiar, 4 pantallas' });
    }
  });

  it('should keep an edit refused after a demotion in the personal vault, and say where it went', async () => {
    const { ana, carla, vaultId } = await family();
    const { engine } = await ana.sharing.openVault(vaultId);
    const id = crypto.randomUUID();
    await engine.save(id, login('Alarm code', { password: '1234' }));
    await ana.sharing.syncAll();
    await carla.sharing.syncAll();
    carla.online = false;
    const carlaVault = (await carla.sharing.openVault(vaultId)).engine;
    const copy = (await carlaVault.read()).get(id)!;
    await carlaVault.save(id, { ...copy, password: '9876' } as never);
    await ana.sharing.changeRole(vaultId, carla.userId, 'viewer');
    carla.online = true;
    const report = await carla.sharing.syncAll();
    expect(report.rescued).toEqual([
      expect.objectContaining({ vaultId, from: id, name: 'Alarm code' }),
    ]);
    const kept = (await carla.personal.read()).get(report.rescued[0]!.to);
    expect(kept).toMatchObject({ name: 'Alarm code', password: '9876' });
    // The shared item is as Ana left it, for everyone; Carla is now a viewer.
    expect((await carlaVault.read()).get(id)).toMatchObject({ password: '1234' });
    expect((await carla.sharing.describe(vaultId)).role).toBe('viewer');
    expect(await itemIdByName(carla, vaultId, 'Alarm code')).toBe(id);
  });

  it('should compact a vault’s tombstones and start a member with an older cursor over from zero', async () => {
    const { ana, ben, vaultId } = await family();
    const { engine } = await ana.sharing.openVault(vaultId);
    const gone = crypto.randomUUID();
    await engine.save(gone, login('Old router'));
    await engine.save(crypto.randomUUID(), login('New router'));
    await ana.sharing.syncAll();
    await ben.sharing.syncAll();
    ben.online = false;
    await engine.save(gone, null);
    await ana.sharing.syncAll();
    const removed = await compactTombstones(ts.testDb.database.db, new Date(Date.now() + 60_000));
    expect(removed).toBeGreaterThanOrEqual(1);
    ben.online = true;
    const report = await ben.sharing.syncAll();
    expect(report.vaults[vaultId]?.reset).toBe(true);
    // As in the personal vault (shared/sync/reset.ts), Ben writes again what the server no
    // longer lists; Ana's device still knows the deletion (same revision, a later version) and
    // answers with it: both converge, with the deletion kept, and nothing set aside.
    await ana.sharing.syncAll();
    await ben.sharing.syncAll();
    for (const p of [ana, ben]) {
      const names = [...(await itemsByName((await p.sharing.openVault(vaultId)).engine)).keys()];
      expect(names).toEqual(['New router']);
      expect(await (await p.sharing.openVault(vaultId)).engine.quarantined()).toEqual([]);
    }
  });

  it('should seal the identity again after an account-key rotation, keeping the same public identity', async () => {
    const ana = await createPerson(ts, 'Ana');
    const before = await ana.sharing.me();
    const next = await ana.rotated();
    expect((await next.sharing.me()).statement).toEqual(before.statement);
    const own = (await ana.api.ownIdentity())!;
    const sealed = fromBase64url(own.sealedPrivate);
    const reopened = await openIdentity(own.identity, sealed, {
      userId: ana.userId,
      keys: [next.accountKey],
    });
    expect(reopened.statement).toEqual(before.statement);
    await expect(
      openIdentity(own.identity, sealed, { userId: ana.userId, keys: [ana.accountKey] }),
    ).rejects.toMatchObject({ code: 'WRONG_KEY' });
  });

  it('should tell an invitee of an invitation, and the inviter of the answer, on the change feed (news)', async () => {
    const [ana, ben] = await Promise.all([createPerson(ts, 'Ana'), createPerson(ts, 'Ben')]);
    await ben.sharing.me();
    const { vaultId } = await ana.sharing.createVault('Familia');
    const benFeed = watchChanges(ben.client);
    const anaFeed = watchChanges(ana.client);
    try {
      // The first event of a subscription carries no news.
      await benFeed.waitFor(() => true);
      await anaFeed.waitFor(() => true);
      expect(benFeed.events[0]!.news).toBeUndefined();
      const { id } = await ana.sharing.invite(vaultId, ben.email, 'editor');
      // Ben is in no vault yet: no head moved, and still the feed tells him.
      const told = await benFeed.waitFor((e) => (e.news ?? 0) >= 1);
      expect(told.vaults).toBeUndefined();
      // An invitation to an email with no account tells no one and fails no one.
      await ana.sharing.invite(vaultId, `nobody-${crypto.randomUUID()}@example.com`, 'viewer');
      expect(anaFeed.events.some((e) => e.news)).toBe(false);
      await ben.sharing.respond(id, true);
      await anaFeed.waitFor((e) => (e.news ?? 0) >= 1);
      expect(benFeed.errors).toEqual([]);
      expect(anaFeed.errors).toEqual([]);
    } finally {
      benFeed.close();
      anaFeed.close();
    }
  });

  it('should tell members of each vault head on the change feed, and drop the vault from a removed member’s feed', async () => {
    const { ana, ben, vaultId } = await family();
    const feed = watchChanges(ben.client);
    try {
      const first = await feed.waitFor((e) => e.vaults?.[vaultId] !== undefined);
      const { engine } = await ana.sharing.openVault(vaultId);
      await engine.save(crypto.randomUUID(), login('Printer'));
      await ana.sharing.syncAll();
      await feed.waitFor((e) => (e.vaults?.[vaultId] ?? 0) > first.vaults![vaultId]!);
      await ana.sharing.removeMember(vaultId, ben.userId);
      await feed.waitFor((e) => !e.vaults || !(vaultId in e.vaults));
    } finally {
      feed.close();
    }
  });

  it('should hold the configured limits: members per vault and vaults per owner', async () => {
    const small = await startTestServer({ MAX_VAULT_MEMBERS: '2', MAX_VAULTS_PER_USER: '1' });
    try {
      const [ana, ben, carla] = await Promise.all(
        ['Ana', 'Ben', 'Carla'].map((n) => createPerson(small, n)),
      );
      const { vaultId } = await ana!.sharing.createVault('Pequeña');
      await expect(ana!.sharing.createVault('Otra')).rejects.toSatisfy(
        (e) => code(e) === 'FORBIDDEN',
      );
      await addMember(ana!, vaultId, ben!, 'viewer');
      await expect(ana!.sharing.invite(vaultId, carla!.email, 'viewer')).rejects.toSatisfy(
        (e) => code(e) === 'FORBIDDEN',
      );
      const kinds = await small.testDb.database.db.execute(
        `select kind from audit_events where user_id = '${ana!.userId}' order by id` as never,
      );
      expect(
        (kinds as unknown as { rows: Array<{ kind: string }> }).rows.map((r) => r.kind),
      ).toEqual(
        expect.arrayContaining([
          'identity.published',
          'vault.created',
          'vault.invited',
          'vault.member.added',
        ]),
      );
    } finally {
      await small.close();
    }
  });

  it('should finish re-encrypting after a crash in the middle of a rotation', async () => {
    const { ana, carla, vaultId, ben } = await family();
    const { engine } = await ana.sharing.openVault(vaultId);
    await engine.saveMany(
      Array.from({ length: 600 }, (_, i) => ({
        id: crypto.randomUUID(),
        body: login(`Site ${i}`),
      })),
    );
    await ana.sharing.syncAll();
    // The browser closes after the first batch of 250: the server is at generation 2 already.
    await expect(
      ana.sharing.removeMember(vaultId, ben.userId, () => {
        throw new Error('closed');
      }),
    ).rejects.toThrow('closed');
    // Ana's worker starts again over the stores it left: its next sync finishes the work.
    const again = ana.restart();
    expect((await (await again.sharing.openVault(vaultId)).engine.staleKeyIds()).length).toBe(351);
    await again.sharing.syncAll();
    const v = await again.sharing.describe(vaultId);
    expect(v.generation).toBe(2);
    expect(await v.engine.staleKeyIds()).toEqual([]);
    await carla.sharing.syncAll();
    const c = await carla.sharing.describe(vaultId);
    expect((await itemsByName(c.engine)).size).toBe(600);
    expect(await c.engine.staleKeyIds()).toEqual([]);
  });
});
