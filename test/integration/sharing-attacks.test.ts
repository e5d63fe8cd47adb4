// A malicious server against sharing, one attack per test, each through the real server with the
// attacker's changes made to its answers (or to its database): the client notices, refuses, and
// believes nothing of it. The table of attacks → outcomes is in the README.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from '../../shared/crypto/bytes.ts';
import { importAesKey } from '../../shared/crypto/envelope.ts';
import type {
  ReceivedInvitation,
  SentInvitation,
  VaultState,
} from '../../shared/protocol/sharing.ts';
import type { PullOutput } from '../../shared/protocol/sync.ts';
import { makeGrant } from '../../shared/sharing/grants.ts';
import { createIdentity } from '../../shared/sharing/identity.ts';
import type { SharingApi } from '../../shared/sharing/sharing-client.ts';
import type { Signed } from '../../shared/sharing/signed.ts';
import { addMember, createPerson, itemsByName, login } from '../helpers/people.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(() => ts.close());

/** What the hostile server changes in its answers to one person, set by each test. */
interface Attack {
  vaultState?: (s: VaultState) => VaultState | Promise<VaultState>;
  identityOf?: (userId: string, real: { identity: Signed }) => Promise<{ identity: Signed }>;
  received?: (r: ReceivedInvitation[]) => ReceivedInvitation[];
  sent?: (s: SentInvitation[]) => SentInvitation[];
  pull?: (input: { vaultId?: string }, out: PullOutput) => PullOutput | Promise<PullOutput>;
}

async function hostilePerson(name: string) {
  const attack: Attack = {};
  const person = await createPerson(
    ts,
    name,
    (api): SharingApi => ({
      ...api,
      vaultState: async (id) => {
        const s = await api.vaultState(id);
        return attack.vaultState ? attack.vaultState(structuredClone(s)) : s;
      },
      identityOf: async (userId) => {
        const real = await api.identityOf(userId);
        return attack.identityOf ? attack.identityOf(userId, real) : real;
      },
      receivedInvitations: async () => {
        const r = await api.receivedInvitations();
        return attack.received ? attack.received(r) : r;
      },
      sentInvitations: async (id) => {
        const s = await api.sentInvitations(id);
        return attack.sent ? attack.sent(s) : s;
      },
      pull: async (input) => {
        const out = await api.pull(input);
        return attack.pull ? attack.pull(input, out) : out;
      },
    }),
  );
  return { person, attack };
}

/** An identity the server made for someone: a real-looking statement, the server's own keys. */
async function forgedIdentity(userId: string, email: string) {
  const made = await createIdentity({
    userId,
    email,
    accountKey: await importAesKey(randomBytes(32)),
  });
  return made.identity;
}

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (e) => (e as { code?: string }).code ?? String(e),
  );

async function familia() {
  const a = await hostilePerson('Ana');
  const b = await hostilePerson('Ben');
  const c = await hostilePerson('Carla');
  const { vaultId } = await a.person.sharing.createVault('Familia');
  await addMember(a.person, vaultId, b.person, 'editor');
  await addMember(a.person, vaultId, c.person, 'viewer');
  const { engine } = await a.person.sharing.openVault(vaultId);
  await engine.save(randomUUID(), login('Wi-Fi', { password: 'casa-2026' }));
  await a.person.sharing.syncAll();
  for (const p of [b.person, c.person]) await p.sharing.syncAll();
  return { ana: a, ben: b, carla: c, vaultId };
}

async function grantsOf(vaultId: string) {
  const rows = await ts.testDb.database.db.execute(
    `select user_id, generation from vault_grants where vault_id = '${vaultId}'` as never,
  );
  return (rows as unknown as { rows: Array<{ user_id: string; generation: number }> }).rows;
}

describe('a malicious server against sharing', () => {
  it('swapped public key of a new contact: the safety numbers differ and the confirmation is refused', async () => {
    const ana = await hostilePerson('Ana');
    const ben = await createPerson(ts, 'Ben');
    const { vaultId } = await ana.person.sharing.createVault('Familia');
    const { id } = await ana.person.sharing.invite(vaultId, ben.email, 'editor');
    await ben.sharing.respond(id, true);
    const fake = await forgedIdentity(ben.userId, ben.email);
    ana.attack.identityOf = async (userId, real) =>
      userId === ben.userId ? { identity: fake.signed } : real;
    const shown = (await ana.person.sharing.invitationsOf(vaultId)).find((i) => i.id === id)!;
    const bensOwn = (await ben.sharing.safetyNumberWith(ana.person.userId)).safetyNumber;
    expect(shown.safetyNumber).not.toBe(bensOwn);
    // Ana confirms with the number Ben reads out: refused; nothing is granted or pinned.
    expect(await codeOf(ana.person.sharing.confirmMember(vaultId, id, bensOwn))).toBe(
      'SAFETY_NUMBER_MISMATCH',
    );
    expect((await grantsOf(vaultId)).map((g) => g.user_id)).toEqual([ana.person.userId]);
    expect(await ana.person.sharing.contacts()).toEqual([]);
  });

  it('swapped public key of a pinned contact: refused with KEY_CHANGED until re-verified', async () => {
    const { ana, ben } = await familia();
    const { vaultId: second } = await ana.person.sharing.createVault('Trabajo');
    const { id } = await ana.person.sharing.invite(second, ben.person.email, 'editor');
    await ben.person.sharing.respond(id, true);
    const fake = await forgedIdentity(ben.person.userId, ben.person.email);
    ana.attack.identityOf = async (userId, real) =>
      userId === ben.person.userId ? { identity: fake.signed } : real;
    const shown = (await ana.person.sharing.invitationsOf(second)).find((i) => i.id === id)!;
    expect(shown.problem?.code).toBe('KEY_CHANGED');
    expect(await codeOf(ana.person.sharing.confirmMember(second, id, 'any'))).toBe('KEY_CHANGED');
    expect(await codeOf(ana.person.sharing.safetyNumberWith(ben.person.userId))).toBe(
      'KEY_CHANGED',
    );
    expect((await grantsOf(second)).length).toBe(1);
    // A real key change (Ben set up again) is accepted only with the new number compared.
    ana.attack.identityOf = undefined;
    const real = await ana.person.sharing.safetyNumberWith(ben.person.userId);
    expect(await codeOf(ana.person.sharing.acceptNewKey(ben.person.userId, '0'.repeat(5)))).toBe(
      'SAFETY_NUMBER_MISMATCH',
    );
    ana.attack.identityOf = async (userId, r) =>
      userId === ben.person.userId ? { identity: fake.signed } : r;
    const fakeNumber = (await import('../../shared/sharing/identity.ts')).safetyNumber(
      (await ana.person.sharing.me()).statement.signPub,
      fake.statement.signPub,
    );
    await ana.person.sharing.acceptNewKey(ben.person.userId, await fakeNumber);
    const pinned = (await ana.person.sharing.contacts()).find(
      (c) => c.userId === ben.person.userId,
    )!;
    expect(pinned.signPub).toBe(fake.statement.signPub);
    expect(pinned.verifiedAt).not.toBeNull();
    expect(real.safetyNumber).not.toBe(await fakeNumber);
  });

  it('a grant the server made: refused (BAD_SIGNATURE), the vault is not believed', async () => {
    const { ben, vaultId } = await familia();
    const mallory = await forgedIdentity(randomUUID(), 'mallory@example.com');
    const serverKey = await forgedIdentity(randomUUID(), 'server@example.com');
    ben.attack.vaultState = async (s) => {
      const g = await makeGrant({
        signer: {
          ...serverKey,
          statement: {
            ...serverKey.statement,
            userId: s.grants.length ? readGrant(s.grants[0]!.grant).member : '',
          },
        },
        vaultId,
        member: {
          userId: mallory.statement.userId,
          signPub: mallory.statement.signPub,
          encPub: mallory.statement.encPub,
        },
        role: 'manager',
        generation: s.generation,
        vaultKey: randomBytes(32),
      });
      s.grants.push({ grant: g.grant, sealedKey: null, removed: false });
      return s;
    };
    const report = await ben.person.sharing.syncAll();
    expect(report.refused[vaultId]?.code).toBe('BAD_SIGNATURE');
  });

  it('a grant signed by a viewer: refused (ROLE_TOO_LOW)', async () => {
    const { ben, carla, vaultId } = await familia();
    const viewer = await carla.person.sharing.me();
    const mallory = await forgedIdentity(randomUUID(), 'mallory@example.com');
    ben.attack.vaultState = async (s) => {
      const g = await makeGrant({
        signer: viewer,
        vaultId,
        member: {
          userId: mallory.statement.userId,
          signPub: mallory.statement.signPub,
          encPub: mallory.statement.encPub,
        },
        role: 'editor',
        generation: s.generation,
        vaultKey: randomBytes(32),
      });
      s.grants.push({ grant: g.grant, sealedKey: null, removed: false });
      return s;
    };
    expect((await ben.person.sharing.syncAll()).refused[vaultId]?.code).toBe('ROLE_TOO_LOW');
  });

  it('a removed member re-added by the server: not a member for anyone, and an older generation is refused', async () => {
    const { ana, ben, carla, vaultId } = await familia();
    await ana.person.sharing.removeMember(vaultId, ben.person.userId);
    await carla.person.sharing.syncAll();
    // The server brings Ben's old grant back as if never removed.
    carla.attack.vaultState = (s) => ({
      ...s,
      grants: s.grants.map((g) => ({ ...g, removed: false })),
    });
    const v = await carla.person.sharing.describe(vaultId);
    expect(v.members.map((m) => m.userId)).not.toContain(ben.person.userId);
    // Or it rolls the vault back to the generation Ben was in.
    carla.attack.vaultState = (s) => ({
      ...s,
      generation: 1,
      grants: s.grants
        .filter((g) => readGrant(g.grant).generation === 1)
        .map((g) => ({ ...g, removed: false })),
      retiredKeys: [],
    });
    expect(await codeOf(carla.person.sharing.openVault(vaultId))).toBe('STALE_GENERATION');
  });

  it('a grant chain with a gap: a member whose signer is hidden is refused (CHAIN_GAP)', async () => {
    const owner = await hostilePerson('Olga');
    const manager = await hostilePerson('Mateo');
    const editor = await hostilePerson('Elena');
    const { vaultId } = await owner.person.sharing.createVault('Oficina');
    await addMember(owner.person, vaultId, manager.person, 'manager');
    await addMember(manager.person, vaultId, editor.person, 'editor');
    await editor.person.sharing.syncAll();
    editor.attack.vaultState = (s) => ({
      ...s,
      grants: s.grants.filter((g) => readGrant(g.grant).member !== manager.person.userId),
    });
    expect(await codeOf(editor.person.sharing.openVault(vaultId))).toBe('CHAIN_GAP');
  });

  it('a record moved to another vault or to the personal scope: set aside, never believed', async () => {
    const { ana, ben, vaultId } = await familia();
    const { vaultId: other } = await ana.person.sharing.createVault('Otra');
    await addMember(ana.person, other, ben.person, 'editor');
    await ben.person.sharing.syncAll();
    // The server serves Familia's records inside "Otra", and inside Ben's personal vault.
    const familiaRecords = (await ben.person.api.pull({ cursor: 0, limit: 100, vaultId })).items;
    let served = false;
    ben.attack.pull = (input, out) => {
      if (input.vaultId === vaultId || served || out.hasMore) return out;
      served = input.vaultId === other;
      const moved = familiaRecords.map((r, i) => ({ ...r, seq: out.cursor + 1 + i }));
      return { ...out, items: [...out.items, ...moved], cursor: out.cursor + moved.length };
    };
    const otherVault = (await ben.person.sharing.openVault(other)).engine;
    const before = await itemsByName(otherVault);
    const report = await ben.person.sharing.syncAll();
    served = false;
    await ben.person.sharing.syncAll();
    expect((await itemsByName(otherVault)).size).toBe(before.size);
    expect(await itemsByName(ben.person.personal)).toEqual(new Map());
    expect(report.vaults[other]?.refused).toBeGreaterThan(0);
    expect((await otherVault.quarantined()).map((q) => q.reason)).toContain('TAMPERED');
    expect((await ben.person.personal.quarantined()).map((q) => q.reason)).toContain('TAMPERED');
  });

  it('a vault key sealed to the wrong member: refused (WRONG_KEY)', async () => {
    const { ben, carla, vaultId } = await familia();
    const carlasState = await carla.person.api.vaultState(vaultId);
    const carlasKey = carlasState.grants.find((g) => g.sealedKey)!.sealedKey;
    ben.attack.vaultState = (s) => ({
      ...s,
      grants: s.grants.map((g) => (g.sealedKey ? { ...g, sealedKey: carlasKey } : g)),
    });
    expect(await codeOf(ben.person.sharing.openVault(vaultId))).toBe('WRONG_KEY');
  });

  it('a stale generation served after a rotation: refused (STALE_GENERATION), the newer key kept', async () => {
    const { ana, ben, carla, vaultId } = await familia();
    const oldState = await carla.person.api.vaultState(vaultId);
    await ana.person.sharing.removeMember(vaultId, ben.person.userId);
    await carla.person.sharing.syncAll();
    carla.attack.vaultState = () => oldState;
    const report = await carla.person.sharing.syncAll();
    expect(report.refused[vaultId]?.code).toBe('STALE_GENERATION');
  });

  it('an invitation for an email the inviter did not name: refused on both sides', async () => {
    const ana = await hostilePerson('Ana');
    const ben = await createPerson(ts, 'Ben');
    const carla = await hostilePerson('Carla');
    const { vaultId } = await ana.person.sharing.createVault('Familia');
    const { id } = await ana.person.sharing.invite(vaultId, ben.email, 'editor');
    const forBen = (await ben.api.receivedInvitations()).find((i) => i.id === id)!;
    // Carla is shown Ben's invitation.
    carla.attack.received = (r) => [...r, forBen];
    const seen = await carla.person.sharing.receivedInvitations();
    expect(seen.invitations).toEqual([]);
    expect(seen.refused.map((r) => r.code)).toEqual(['WRONG_INVITATION']);
    expect(await codeOf(carla.person.sharing.respond(id, true))).toBe('WRONG_INVITATION');
    // Ana is told Carla accepted the invitation Ana made for Ben.
    await carla.person.sharing.me();
    ana.attack.sent = (s) =>
      s.map((i) =>
        i.id === id ? { ...i, status: 'accepted', acceptedBy: carla.person.userId } : i,
      );
    ana.attack.identityOf = async (_userId, real) => real;
    await ts.testDb.database.db.execute(
      `update vault_invitations set status = 'accepted', accepted_by = '${carla.person.userId}' where id = '${id}'` as never,
    );
    const shown = (await ana.person.sharing.invitationsOf(vaultId)).find((i) => i.id === id)!;
    expect(shown.problem?.code).toBe('WRONG_INVITATION');
    expect(await codeOf(ana.person.sharing.confirmMember(vaultId, id, '00000'))).toBe(
      'WRONG_INVITATION',
    );
    expect((await grantsOf(vaultId)).length).toBe(1);
  });
});

function readGrant(s: Signed): { member: string; generation: number } {
  return JSON.parse(Buffer.from(s.body, 'base64url').toString('utf8'));
}
