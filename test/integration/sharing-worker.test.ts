// Sharing through the worker's real message handlers (what the vault page will call) against
// the real server: Ana's browser creates a vault, invites Ben, compares the safety number and
// confirms him; a shared item goes both ways; a demotion sends Ana's refused offline edit to her
// personal vault with a notice; a removal erases the shared copy at the next sync.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Responses } from '../../extension/messages.ts';
import { createPerson, itemsByName, login } from '../helpers/people.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { freshProfile, loadWorker, type Worker } from '../helpers/worker-harness.ts';

const PASSWORD = 'a strong master password 2026';
let ts: TestServer;
let w: Worker;

beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(async () => {
  await w?.call({ type: 'lock' }).catch(() => {});
  await ts.close();
});

type R<K extends keyof Responses> = Responses[K];

describe('sharing through the worker', () => {
  it('should share a vault from the browser: create, invite, confirm by safety number, edit, demote, remove', async () => {
    freshProfile();
    w = await loadWorker();
    const email = `ana-${randomUUID()}@example.com`;
    await w.call({ type: 'register', serverUrl: ts.url, email, password: PASSWORD });
    // The identity exists from the first unlock on.
    const state0 = await w.call<R<'sharingState'>>({ type: 'sharingState' });
    expect(state0.identity?.email).toBe(email);
    expect(state0.vaults).toEqual([]);

    const vault = await w.call<R<'createVault'>>({ type: 'createVault', name: 'Familia' });
    expect(vault).toMatchObject({ name: 'Familia', role: 'owner', generation: 1 });
    const ben = await createPerson(ts, 'Ben');
    const { id: invitation } = await w.call<R<'inviteMember'>>({
      type: 'inviteMember',
      vaultId: vault.vaultId,
      email: ben.email,
      role: 'editor',
    });
    // The server answers an invitation to an email with no account exactly alike.
    const nobody = await w.call<R<'inviteMember'>>({
      type: 'inviteMember',
      vaultId: vault.vaultId,
      email: `nobody-${randomUUID()}@example.com`,
      role: 'viewer',
    });
    expect(Object.keys(nobody)).toEqual(['id']);
    await ben.sharing.respond(invitation, true);
    const members = await w.call<R<'vaultMembers'>>({
      type: 'vaultMembers',
      vaultId: vault.vaultId,
    });
    const waiting = members.invitations.find((i) => i.id === invitation)!;
    expect(waiting).toMatchObject({ status: 'accepted', acceptedBy: ben.userId, problem: null });
    const bensNumber = (await ben.sharing.safetyNumberWith(state0.identity!.userId)).safetyNumber;
    expect(waiting.safetyNumber).toBe(bensNumber);
    // A wrong number (a misread digit) confirms no one.
    const wrong = bensNumber.replace(/^\d/, (d) => String((Number(d) + 1) % 10));
    expect(
      (
        await w.refusal({
          type: 'confirmMember',
          vaultId: vault.vaultId,
          invitationId: invitation,
          safetyNumber: wrong,
        })
      ).code,
    ).toBe('SAFETY_NUMBER_MISMATCH');
    await w.call({
      type: 'confirmMember',
      vaultId: vault.vaultId,
      invitationId: invitation,
      safetyNumber: bensNumber,
    });
    const after = await w.call<R<'vaultMembers'>>({ type: 'vaultMembers', vaultId: vault.vaultId });
    expect(after.vault.members).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          userId: ben.userId,
          role: 'editor',
          verified: true,
          email: ben.email,
        }),
      ]),
    );

    // Ana saves a shared login; Ben sees it, edits it; Ana sees his edit.
    const { id: wifi } = await w.call<R<'saveSharedItem'>>({
      type: 'saveSharedItem',
      vaultId: vault.vaultId,
      id: null,
      body: login('Wi-Fi', { password: 'casa-2026' }) as never,
    });
    await w.call({ type: 'syncNow' });
    await ben.sharing.syncAll();
    const { engine: benVault } = await ben.sharing.openVault(vault.vaultId);
    const copy = (await benVault.read()).get(wifi)!;
    await benVault.save(wifi, { ...copy, password: 'casa-2027' } as never);
    await ben.sharing.syncAll();
    await w.call({ type: 'syncNow' });
    const listed = await w.call<R<'listSharedItems'>>({
      type: 'listSharedItems',
      vaultId: vault.vaultId,
    });
    expect(listed.items.find((i) => i.id === wifi)?.body).toMatchObject({ password: 'casa-2027' });

    // The shared login is one of Ana's items: listed with its vault, searched, opened and edited
    // by its vault-qualified key, and kept out of the personal vault's own list.
    const key = `shared:${vault.vaultId}:${wifi}`;
    const all = await w.call<R<'listItems'>>({ type: 'listItems', query: 'wi-fi' });
    expect(all.items).toEqual([
      expect.objectContaining({
        id: key,
        name: 'Wi-Fi',
        vault: { id: vault.vaultId, name: 'Familia', role: 'owner', readOnly: false },
      }),
    ]);
    const personalOnly = await w.call<R<'listItems'>>({
      type: 'listItems',
      query: 'wi-fi',
      vault: 'personal',
    });
    expect(personalOnly.items).toEqual([]);
    const opened = await w.call<R<'getItem'>>({ type: 'getItem', id: key });
    expect(opened).toMatchObject({ id: key, vault: { name: 'Familia' } });
    await w.call({
      type: 'saveItem',
      id: key,
      body: { ...opened.body, password: 'casa-2028' } as never,
    });
    const { id: router } = await w.call<R<'saveItem'>>({
      type: 'saveItem',
      id: null,
      vaultId: vault.vaultId,
      body: { type: 'login', name: 'Router', username: 'admin', password: 'r-2026' },
    });
    expect(router.startsWith(`shared:${vault.vaultId}:`)).toBe(true);
    await w.call({ type: 'syncNow' });
    await ben.sharing.syncAll();
    expect((await itemsByName(benVault)).get('Wi-Fi')).toMatchObject({ password: 'casa-2028' });
    expect((await itemsByName(benVault)).has('Router')).toBe(true);
    await w.call({ type: 'deleteForever', id: router });

    // Ana moves a personal login into the vault (one push), and it leaves her own list.
    const { id: netflix } = await w.call<R<'saveItem'>>({
      type: 'saveItem',
      id: null,
      body: { type: 'login', name: 'Netflix', username: 'ana', password: 'tv-2026' },
    });
    await w.call({ type: 'syncNow' });
    await w.call({ type: 'moveItems', ids: [netflix], from: null, to: vault.vaultId });
    expect((await w.answer({ type: 'getItem', id: netflix })).ok).toBe(false);
    await w.call({ type: 'syncNow' });
    await ben.sharing.syncAll();
    expect((await itemsByName(benVault)).has('Netflix')).toBe(true);

    // Removing Ben: he loses access at once, the key rotates and every record is re-encrypted.
    const removed = await w.call<R<'removeMember'>>({
      type: 'removeMember',
      vaultId: vault.vaultId,
      userId: ben.userId,
    });
    expect(removed.couldSee.map((i) => i.name).sort()).toEqual(['Netflix', 'Wi-Fi']);
    // Netflix, Wi-Fi, the vault settings and the deleted Router's sealed tombstone.
    expect(removed).toMatchObject({ generation: 2, reencrypted: 4 });
    expect((await ben.sharing.syncAll()).lost).toEqual([vault.vaultId]);
  });

  it('should keep an offline edit a demotion refused in the personal vault and tell the page', async () => {
    const ana = await createPerson(ts, 'Ana');
    freshProfile();
    w = await loadWorker();
    const email = `carla-${randomUUID()}@example.com`;
    await w.call({ type: 'register', serverUrl: ts.url, email, password: PASSWORD });
    const carlaId = (await w.call<R<'sharingState'>>({ type: 'sharingState' })).identity!.userId;
    const { vaultId } = await ana.sharing.createVault('Casa');
    const { engine } = await ana.sharing.openVault(vaultId);
    const alarm = randomUUID();
    await engine.save(alarm, login('Alarm', { password: '1234' }));
    await ana.sharing.syncAll();
    const { id } = await ana.sharing.invite(vaultId, email, 'editor');
    const got = await w.call<R<'sharingState'>>({ type: 'sharingState' });
    expect(got.invitations).toEqual([expect.objectContaining({ id, vaultId, role: 'editor' })]);
    await w.call({ type: 'respondInvitation', id, accept: true });
    const pending = (await ana.sharing.invitationsOf(vaultId)).find((i) => i.id === id)!;
    const carlasNumber = (
      await w.call<R<'safetyNumber'>>({ type: 'safetyNumber', userId: ana.userId })
    ).safetyNumber;
    await ana.sharing.confirmMember(vaultId, id, carlasNumber);
    expect(pending.safetyNumber).toBe(carlasNumber);
    await w.call({ type: 'syncNow' });
    const shared = await w.call<R<'listSharedItems'>>({ type: 'listSharedItems', vaultId });
    const body = shared.items.find((i) => i.id === alarm)!.body;

    // Ana demotes Carla to viewer while Carla's browser holds an unsent edit.
    await ana.sharing.changeRole(vaultId, carlaId, 'viewer');
    const v = await w.vault();
    const { engine: carlaVault } = await v!.sharing.openVault(vaultId);
    await carlaVault.save(alarm, { ...body, password: '9876' } as never);
    await w.call({ type: 'syncNow' });
    const state = await w.call<R<'sharingState'>>({ type: 'sharingState' });
    expect(state.rescued).toEqual([
      expect.objectContaining({ vaultId, from: alarm, name: 'Alarm' }),
    ]);
    const kept = await w.call<R<'getItem'>>({ type: 'getItem', id: state.rescued[0]!.to });
    expect(kept.body).toMatchObject({ name: 'Alarm', password: '9876' });
    expect(state.vaults[0]).toMatchObject({ role: 'viewer' });
    // A viewer's edit through the page is refused before anything is written.
    expect(
      (await w.refusal({ type: 'saveSharedItem', vaultId, id: alarm, body: body as never })).code,
    ).toBe('FORBIDDEN');
    await w.call({ type: 'dismissSharedNews' });
    expect((await w.call<R<'sharingState'>>({ type: 'sharingState' })).rescued).toEqual([]);
  });
});
