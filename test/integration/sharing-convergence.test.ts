// Model-based convergence of a shared vault against the real server: three people (the owner
// and two members, each with their own keys and stores) edit, delete, go offline and sync in
// random order, while the owner changes roles and removes and re-adds a member mid-run.
// Afterwards every current member holds the identical shared vault, nothing is pending, and no
// value anyone saved is lost: it is in the shared item (value, password history or conflicts),
// or — an edit the server refused after a demotion or a removal — in its writer's own vault.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordBody } from '../../shared/model/item.ts';
import type { SyncEngine } from '../../shared/sync/engine.ts';
import { addMember, createPerson, type Person } from '../helpers/people.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(() => ts.close());

const FIELDS = ['username', 'password', 'notes'] as const;
type Field = (typeof FIELDS)[number];
const IDS = ['00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b'];
const at = '2026-12-02T00:00:00.000Z';
type Login = Extract<RecordBody, { type: 'login' }>;

type Step =
  | { kind: 'edit'; person: number; id: number; field: Field; value: string }
  | { kind: 'delete'; person: number; id: number }
  | { kind: 'sync' | 'offline' | 'online'; person: number }
  | { kind: 'demote' | 'promote' | 'remove' | 'readd' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('edit' as const),
      person: fc.nat(2),
      id: fc.nat(1),
      field: fc.constantFrom(...FIELDS),
      value: fc.constantFrom('a', 'b', 'c'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      person: fc.nat(2),
      id: fc.nat(1),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constantFrom('sync' as const, 'offline' as const, 'online' as const),
      person: fc.nat(2),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        'demote' as const,
        'promote' as const,
        'remove' as const,
        'readd' as const,
      ),
    }),
  },
);

const totals = { cases: 0, steps: 0, rescued: 0, membership: 0 };

async function sharedEngine(p: Person, vaultId: string): Promise<SyncEngine | null> {
  try {
    return (await p.sharing.openVault(vaultId)).engine;
  } catch {
    return null; // not a member now, or offline with no copy
  }
}

async function run(steps: Step[]) {
  totals.cases++;
  totals.steps += steps.length;
  const people = await Promise.all(['Ana', 'Ben', 'Carla'].map((n) => createPerson(ts, n)));
  const [ana, ben, carla] = people as [Person, Person, Person];
  const { vaultId } = await ana.sharing.createVault('Familia');
  await addMember(ana, vaultId, ben, 'editor');
  await addMember(ana, vaultId, carla, 'editor');
  for (const p of people) await p.sharing.syncAll();
  let benIn = true;
  /** Values saved, with who saved them, not since replaced or deleted by someone who saw them. */
  const alive = new Set<string>();
  const created = new Set<string>();
  const sync = (p: Person) =>
    p.sharing.syncAll().catch((e: Error) => expect(e.message).toBe('offline'));

  for (const s of steps) {
    if (s.kind === 'demote' || s.kind === 'promote') {
      if (!ana.online) continue;
      totals.membership++;
      await ana.sharing.changeRole(
        vaultId,
        carla.userId,
        s.kind === 'demote' ? 'viewer' : 'editor',
      );
      continue;
    }
    if (s.kind === 'remove' || s.kind === 'readd') {
      if (!ana.online || (s.kind === 'remove') !== benIn) continue;
      if (s.kind === 'readd' && !ben.online) continue;
      totals.membership++;
      if (s.kind === 'remove') await ana.sharing.removeMember(vaultId, ben.userId);
      else await addMember(ana, vaultId, ben, 'editor');
      benIn = s.kind === 'readd';
      continue;
    }
    if (s.kind === 'offline' || s.kind === 'online' || s.kind === 'sync') {
      const p = people[s.person]!;
      if (s.kind === 'sync') await sync(p);
      else p.online = s.kind === 'online';
    } else {
      const e = s as Extract<Step, { kind: 'edit' | 'delete' }>;
      const p = people[e.person]!;
      const engine = await sharedEngine(p, vaultId);
      if (!engine) continue;
      const id = IDS[e.id]!;
      const current = (await engine.read()).get(id) as Login | undefined;
      if (e.kind === 'delete') {
        if (!current) continue;
        for (const f of FIELDS) alive.delete(`${id}|${f}|${current[f]}`);
        for (const h of current.passwordHistory) alive.delete(`${id}|password|${h.password}`);
        for (const c of current.conflicts) alive.delete(`${id}|${c.field}|${String(c.value)}`);
        await engine.save(id, null);
        continue;
      }
      if (!current && created.has(id)) continue;
      created.add(id);
      const edit = e as Extract<Step, { kind: 'edit' }>;
      const next = {
        ...(current ?? { type: 'login', name: `Login ${edit.id}`, createdAt: at, updatedAt: at }),
        [edit.field]: edit.value,
      } as Login;
      if (current && current[edit.field] !== edit.value)
        alive.delete(`${id}|${edit.field}|${current[edit.field]}`);
      alive.add(`${id}|${edit.field}|${edit.value}`);
      await engine.save(id, { ...next, updatedAt: at });
    }
  }

  for (const p of people) p.online = true;
  for (let round = 0; round < 8; round++) {
    let moved = 0;
    for (const p of people) {
      const r = await p.sharing.syncAll();
      totals.rescued += r.rescued.length;
      moved += r.rescued.length + r.lost.length;
      for (const v of Object.values(r.vaults)) moved += v.pushed + v.merged;
    }
    if (moved === 0) break;
  }
  const members = benIn ? people : [ana, carla];
  const vaults = await Promise.all(
    members.map(async (p) => (await sharedEngine(p, vaultId))!.read()),
  );
  const first = JSON.stringify([...vaults[0]!.entries()].sort());
  for (const v of vaults) expect(JSON.stringify([...v.entries()].sort())).toBe(first);
  for (const p of members) expect(await (await sharedEngine(p, vaultId))!.pendingCount()).toBe(0);
  for (const p of members)
    expect(await (await sharedEngine(p, vaultId))!.quarantined()).toEqual([]);
  if (!benIn) expect(ben.stores.has(vaultId)).toBe(false);
  const personal = await Promise.all(people.map((p) => p.personal.read()));
  for (const k of alive) {
    const [id, field, value] = k.split('|') as [string, Field, string];
    const has = (item: Login | undefined) =>
      item !== undefined &&
      (item[field] === value ||
        (field === 'password' && item.passwordHistory.some((h) => h.password === value)) ||
        item.conflicts.some((c) => c.field === field && c.value === value));
    const inShared = has(vaults[0]!.get(id) as Login | undefined);
    const kept =
      inShared ||
      personal.some((bodies) =>
        [...bodies.values()].some(
          (b) => b.type === 'login' && b.name === `Login ${id === IDS[0] ? 0 : 1}` && has(b),
        ),
      );
    expect(kept, `${k} lost; shared ${JSON.stringify(vaults[0]!.get(id))}`).toBe(true);
  }
}

describe('shared vault convergence', () => {
  it('should converge for every member with no saved value lost, across role changes and removals', async () => {
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 25 }), run), {
      numRuns: Number(process.env.SHARING_CONVERGENCE_RUNS ?? 10),
      ...(process.env.CONVERGENCE_SEED
        ? { seed: Number(process.env.CONVERGENCE_SEED), path: process.env.CONVERGENCE_PATH }
        : {}),
    });
    process.stdout.write(
      `shared convergence: ${totals.cases} cases, ${totals.steps} steps, ${totals.membership} membership changes, ${totals.rescued} edits kept in a personal vault\n`,
    );
    expect(totals.membership).toBeGreaterThan(0);
  }, 600_000);
});
