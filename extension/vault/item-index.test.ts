import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { localAd } from '../../shared/crypto/associated-data.ts';
import { randomBytes, utf8 } from '../../shared/crypto/bytes.ts';
import { importAesKey, seal } from '../../shared/crypto/envelope.ts';
import type { RecordBody } from '../../shared/model/item.ts';
import { createSyncEngine } from '../../shared/sync/engine.ts';
import { createDexieStore } from './dexie-store.ts';
import { BODY_PACKS_FROM, bucketOf, createItemIndex } from './item-index.ts';

const now = '2026-11-22T00:00:00.000Z';
const nameOf = (b: RecordBody | undefined) => (b && 'name' in b ? b.name : undefined);
const note = (name: string): RecordBody => ({
  type: 'note',
  name,
  notes: '',
  favorite: false,
  folderId: null,
  tags: [],
  reprompt: false,
  fields: [],
  createdAt: now,
  updatedAt: now,
  editedBy: null,
  conflicts: [],
  trashedAt: null,
});

async function setup() {
  const indexedDB = new IDBFactory();
  const open = () => createDexieStore('vault', { indexedDB, IDBKeyRange });
  const store = open();
  const accountKey = await importAesKey(randomBytes(32));
  const ids = { userId: crypto.randomUUID(), deviceId: crypto.randomUUID() };
  const engine = createSyncEngine({
    store,
    transport: {
      push: () => Promise.reject(new Error('offline')),
      pull: () => Promise.reject(new Error('offline')),
    },
    userId: ids.userId,
    deviceId: ids.deviceId,
    accountKey,
  });
  const index = (s = store, key = accountKey) =>
    createItemIndex({ store: s, accountKey: key, ...ids });
  /** `count` notes named n0, n1… saved, indexed and packed: their ids and the index. */
  async function packed(count: number) {
    const noteIds = Array.from({ length: count }, () => crypto.randomUUID());
    await engine.saveMany(noteIds.map((id, i) => ({ id, body: note(`n${i}`) })));
    const first = index();
    await first.reconcile();
    await first.persist();
    return { ids: noteIds, first };
  }
  return { store, open, engine, index, accountKey, ids, packed };
}

describe('the packed item index', () => {
  it('should open from its sealed packs with no record decrypted, and match the store', async () => {
    const { engine, index, open } = await setup();
    for (let i = 0; i < 2_500; i++) await engine.save(crypto.randomUUID(), note(`n${i}`));
    const first = index();
    expect(await first.reconcile()).toBe(2_500);
    await first.persist();

    const reopened = index(open());
    expect(await reopened.load()).toBe(true);
    expect(reopened.entries.size).toBe(2_500);
    await reopened.loadBodies();
    // Nothing changed since the packs were written: nothing to decrypt.
    expect(await reopened.reconcile()).toBe(0);
  }, 60_000);

  it('should take an edit that landed as the same entry: new stamp, no change to tell', async () => {
    const { store, index, accountKey, open, ids } = await setup();
    let seq = 0;
    const engine = createSyncEngine({
      store,
      transport: {
        push: async (input) => ({
          applied: input.items.map((i) => ({ id: i.id, version: i.baseVersion + 1, seq: ++seq })),
          conflicts: [],
        }),
        pull: async (input) => ({ items: [], cursor: input.cursor, hasMore: false, reset: false }),
      },
      ...ids,
      accountKey,
    });
    const id = crypto.randomUUID();
    const idx = index();
    const saved = await engine.save(id, note('Router'));
    await idx.applyStates(new Map([[id, saved]]), () => true);
    const version = idx.version;
    const report = await engine.sync();
    expect(report.pushed).toBe(1);
    // The server's copy now: its ciphertext is the edit's, so nothing for lists to redraw.
    expect(await idx.applyStates(report.changed, () => true)).toBe(0);
    expect(idx.version).toBe(version);
    expect(idx.entries.get(id)!.stamp).toMatch(/^b/);
    expect(nameOf(idx.entries.get(id)!.body)).toBe('Router');
    // The new stamp is kept: the packs match the store, with nothing left to read again.
    await idx.persist();
    const reopened = index(open());
    expect(await reopened.load()).toBe(true);
    expect(await reopened.reconcile()).toBe(0);
    // An edit after it is a change as before.
    await engine.save(id, note('Router 2'));
    expect(await idx.refreshMany([id])).toBe(1);
    expect(nameOf(idx.entries.get(id)!.body)).toBe('Router 2');
  });

  it('should open nothing from packs one of which does not open, and rebuild from the store', async () => {
    const { engine, index, open } = await setup();
    await engine.saveMany(
      Array.from({ length: 2_100 }, (_, i) => ({ id: crypto.randomUUID(), body: note(`n${i}`) })),
    );
    const first = index();
    expect(await first.reconcile()).toBe(2_100);
    await first.persist();
    // The middle one of three packs, altered on disk: the ones before it open fine.
    const reopenedStore = open();
    const packs = reopenedStore.db.table('packs');
    const middle = await packs.get(1);
    middle.sealed[40] ^= 1;
    await packs.put(middle);
    const reopened = index(reopenedStore);
    expect(await reopened.load()).toBe(false);
    expect(reopened.entries.size).toBe(0);
    expect(await reopened.reconcile()).toBe(2_100);
  }, 60_000);

  it('should keep each entry as it was indexed through the packs: type, summary and body', async () => {
    const { engine, index, open } = await setup();
    const id = crypto.randomUUID();
    await engine.save(id, { ...note('Wi-Fi 2'), favorite: true, tags: ['home'] } as RecordBody);
    const first = index();
    await first.reconcile();
    const before = first.entries.get(id)!;
    await first.persist();
    const reopened = index(open());
    expect(await reopened.load()).toBe(true);
    expect(reopened.entries.get(id)!.summary).toEqual(before.summary);
    await reopened.loadBodies();
    const after = reopened.entries.get(id)!;
    expect(after.type).toBe('note');
    expect(after.summary).toEqual(before.summary);
    expect(after.body).toEqual(before.body);
  });

  it('should catch up with edits made after the packs were written', async () => {
    const { engine, index, open } = await setup();
    const a = crypto.randomUUID();
    const b = crypto.randomUUID();
    await engine.save(a, note('a'));
    await engine.save(b, note('b'));
    const first = index();
    await first.reconcile();
    await first.persist();
    await engine.save(a, note('a, edited'));
    await engine.save(b, null);

    const reopened = index(open());
    expect(await reopened.load()).toBe(true);
    await reopened.loadBodies();
    expect(nameOf(reopened.entries.get(a)?.body)).toBe('a'); // stale until reconciled…
    expect(await reopened.reconcile()).toBe(2);
    expect(nameOf(reopened.entries.get(a)?.body)).toBe('a, edited');
    expect(reopened.entries.has(b)).toBe(false);
  });

  it('should ignore packs it cannot open and rebuild from the records', async () => {
    const { engine, index, open } = await setup();
    await engine.save(crypto.randomUUID(), note('x'));
    const first = index();
    await first.reconcile();
    await first.persist();
    const other = index(open(), await importAesKey(randomBytes(32)));
    expect(await other.load()).toBe(false);
    expect(other.entries.size).toBe(0);
  });

  it('should refresh only the records a sync names, and drop the ones that left the store', async () => {
    const { engine, index } = await setup();
    const ids = Array.from({ length: 4 }, () => crypto.randomUUID());
    for (const [i, id] of ids.entries()) await engine.save(id, note(`n${i}`));
    const idx = index();
    await idx.reconcile();
    await engine.save(ids[0]!, note('n0, edited'));
    await engine.save(ids[1]!, note('n1, edited'));
    await engine.save(ids[2]!, null);

    // Named: the edited one and the deleted one, plus one that did not change.
    expect(await idx.refreshMany([ids[0]!, ids[2]!, ids[3]!])).toBe(2);
    expect(nameOf(idx.entries.get(ids[0]!)?.body)).toBe('n0, edited');
    expect(idx.entries.has(ids[2]!)).toBe(false);
    // Not named: still the old copy until a full reconcile.
    expect(nameOf(idx.entries.get(ids[1]!)?.body)).toBe('n1');
    expect(await idx.reconcile()).toBe(1);
    expect(nameOf(idx.entries.get(ids[1]!)?.body)).toBe('n1, edited');
  });

  it('should take the states a sync left, and read the store instead once a save came between', async () => {
    const { engine, index, store } = await setup();
    const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
    await engine.save(a, note('a'));
    await engine.save(b, note('b'));
    const idx = index();
    await idx.reconcile();
    const before = await store.get(a);
    await engine.save(a, note('a, edited'));
    const after = await store.get(a);

    // Current: the given states are taken as they are (here, on purpose, an older one).
    expect(await idx.applyStates(new Map([[a, after!]]), () => true)).toBe(1);
    expect(nameOf(idx.entries.get(a)?.body)).toBe('a, edited');
    expect(await idx.applyStates(new Map([[a, before!]]), () => true)).toBe(1);
    expect(nameOf(idx.entries.get(a)?.body)).toBe('a');
    expect(await idx.applyStates(new Map([[b, null]]), () => true)).toBe(1);
    expect(idx.entries.has(b)).toBe(false);

    // Not current (a save came between): the store decides.
    expect(
      await idx.applyStates(
        new Map([
          [a, before!],
          [b, null],
        ]),
        () => false,
      ),
    ).toBe(2);
    expect(nameOf(idx.entries.get(a)?.body)).toBe('a, edited');
    expect(nameOf(idx.entries.get(b)?.body)).toBe('b');
  });

  it('should be searchable from the first tier, and give each item its body from the second', async () => {
    const { engine, index, open, store, packed } = await setup();
    const folder = crypto.randomUUID();
    await engine.save(folder, {
      type: 'folder',
      name: 'Home',
      createdAt: now,
      updatedAt: now,
    } as RecordBody);
    const { ids, first } = await packed(1_200);
    const keys = (await store.db.table('packs').toCollection().primaryKeys()) as number[];
    // Two summary packs (1,201 records) and two body packs (1,200 items), apart.
    expect(keys).toEqual([0, 1, BODY_PACKS_FROM, BODY_PACKS_FROM + 1]);

    const reopened = index(open());
    expect(await reopened.load()).toBe(true);
    expect(reopened.entries.size).toBe(1_201);
    const item = reopened.entries.get(ids[7]!)!;
    expect(item.summary).toEqual(first.entries.get(ids[7]!)!.summary);
    expect(item.hasBody).toBe(false);
    expect(() => item.body).toThrow('before its vault finished opening');
    // A record that is not an item comes whole in the first tier.
    expect(nameOf(reopened.entries.get(folder)!.body)).toBe('Home');

    // Saved while the bodies are still coming: the new body stays.
    await engine.save(ids[0]!, note('n0, edited'));
    expect(await reopened.refreshMany([ids[0]!])).toBe(1);
    await reopened.loadBodies();
    expect(nameOf(reopened.entries.get(ids[0]!)!.body)).toBe('n0, edited');
    for (const [i, id] of ids.entries())
      if (i > 0) expect(nameOf(reopened.entries.get(id)!.body)).toBe(`n${i}`);
    expect(await reopened.reconcile()).toBe(0);
  }, 60_000);

  it('should read from the store the items whose body pack is gone or altered', async () => {
    const { index, open, packed } = await setup();
    const { ids } = await packed(2_100);
    const reopenedStore = open();
    const packs = reopenedStore.db.table('packs');
    const middle = await packs.get(BODY_PACKS_FROM + 1);
    middle.sealed[40] ^= 1;
    await packs.put(middle);
    await packs.delete(BODY_PACKS_FROM + 2);
    const reopened = index(reopenedStore);
    expect(await reopened.load()).toBe(true);
    await reopened.loadBodies();
    expect(reopened.entries.size).toBe(2_100);
    const names = new Set([...reopened.entries.values()].map((e) => nameOf(e.body)));
    expect(names.size).toBe(2_100);
    for (const [i, id] of ids.entries())
      expect(nameOf(reopened.entries.get(id)!.body)).toBe(`n${i}`);
    expect(await reopened.reconcile()).toBe(0);
  }, 60_000);

  it('should write packs only once the bodies are there, whole', async () => {
    const { engine, index, open, packed } = await setup();
    const { ids } = await packed(30);
    const reopened = index(open());
    await reopened.load();
    // An edit in the window, persisted before anyone asked for the bodies.
    await engine.save(ids[3]!, note('n3, edited'));
    await reopened.refreshMany([ids[3]!]);
    await reopened.persist();
    const third = index(open());
    expect(await third.load()).toBe(true);
    await third.loadBodies();
    expect(await third.reconcile()).toBe(0);
    expect(nameOf(third.entries.get(ids[3]!)!.body)).toBe('n3, edited');
    expect(nameOf(third.entries.get(ids[4]!)!.body)).toBe('n4');
  });

  it('should rebuild from the records over packs an older build wrote in one tier', async () => {
    const { engine, index, open, store, accountKey, ids } = await setup();
    const id = crypto.randomUUID();
    await engine.save(id, note('from before the update'));
    const first = index();
    await first.reconcile();
    // One pack as builds before the two tiers wrote it: [id, stamp, body], sealed for its slot.
    const old = [[id, [...(await store.readStamps())][0]![1], first.entries.get(id)!.body]];
    await store.writePacks(
      [
        {
          key: 0,
          sealed: await seal(
            accountKey,
            utf8(JSON.stringify(old)),
            localAd(ids.deviceId, 'index-pack-0'),
          ),
        },
      ],
      [0, Infinity],
    );
    const updated = index(open());
    expect(await updated.load()).toBe(false);
    expect(updated.entries.size).toBe(0);
    expect(await updated.reconcile()).toBe(1);
    expect(nameOf(updated.entries.get(id)!.body)).toBe('from before the update');
    await updated.persist();
    const next = index(open());
    expect(await next.load()).toBe(true);
    await next.loadBodies();
    expect(nameOf(next.entries.get(id)!.body)).toBe('from before the update');
  });

  it('should write again only the body buckets of the items that changed', async () => {
    const { engine, index, open, packed } = await setup();
    // Five buckets: the three records below touch at most three.
    const { ids } = await packed(4_500);

    const written: number[][] = [];
    const watched = (s: ReturnType<typeof open>): ReturnType<typeof open> => ({
      ...s,
      writePacks: (rows, replace) => {
        written.push(rows.map((r) => r.key));
        return s.writePacks(rows, replace);
      },
    });
    const reopened = index(watched(open()));
    await reopened.load();
    await reopened.loadBodies();
    // One edit, one deletion and one new item: the summaries, and the buckets of those three.
    const added = crypto.randomUUID();
    await engine.save(ids[5]!, note('n5, edited'));
    await engine.save(ids[6]!, null);
    await engine.save(added, note('new'));
    expect(await reopened.refreshMany([ids[5]!, ids[6]!, added])).toBe(3);
    await reopened.persist();
    const buckets = new Set([ids[5]!, ids[6]!, added].map((id) => bucketOf(id, 5)));
    expect(written).toEqual([
      [0, 1, 2, 3, 4, ...[...buckets].sort().map((b) => BODY_PACKS_FROM + b)],
    ]);

    const third = index(open());
    expect(await third.load()).toBe(true);
    await third.loadBodies();
    expect(third.entries.size).toBe(4_500);
    expect(nameOf(third.entries.get(ids[5]!)!.body)).toBe('n5, edited');
    expect(third.entries.has(ids[6]!)).toBe(false);
    expect(nameOf(third.entries.get(added)!.body)).toBe('new');
    for (const [i, id] of ids.entries())
      if (i !== 5 && i !== 6) expect(nameOf(third.entries.get(id)!.body)).toBe(`n${i}`);
    expect(await third.reconcile()).toBe(0);
  }, 60_000);

  it('should write every bucket again when the items outgrow them, and after a pack went missing', async () => {
    const { engine, index, open, store, packed } = await setup();
    const { ids, first } = await packed(900);
    const bodyKeys = async () =>
      ((await store.db.table('packs').toCollection().primaryKeys()) as number[]).filter(
        (k) => k >= BODY_PACKS_FROM,
      );
    expect(await bodyKeys()).toEqual([BODY_PACKS_FROM]);
    // 900 → 2,900 items: three buckets, not one of 2,900.
    const more = Array.from({ length: 2_000 }, () => crypto.randomUUID());
    await engine.saveMany(more.map((id, i) => ({ id, body: note(`m${i}`) })));
    await first.reconcile();
    await first.persist();
    expect(await bodyKeys()).toEqual([0, 1, 2].map((b) => BODY_PACKS_FROM + b));
    // A bucket gone (not the one edited below): its items are read from the store, and the
    // next write has every bucket.
    await store.db.table('packs').delete(BODY_PACKS_FROM + ((bucketOf(ids[0]!, 3) + 1) % 3));
    const reopened = index(open());
    await reopened.load();
    await reopened.loadBodies();
    expect(reopened.entries.size).toBe(2_900);
    await engine.save(ids[0]!, note('n0, edited'));
    await reopened.refreshMany([ids[0]!]);
    await reopened.persist();
    expect(await bodyKeys()).toEqual([0, 1, 2].map((b) => BODY_PACKS_FROM + b));
    const third = index(open());
    await third.load();
    await third.loadBodies();
    expect(await third.reconcile()).toBe(0);
    expect(nameOf(third.entries.get(more[1_999]!)!.body)).toBe('m1999');
  }, 60_000);

  it('should write everything at the next persist after a write that failed', async () => {
    const { engine, index, open, packed } = await setup();
    const { ids } = await packed(2_500);
    const written: number[][] = [];
    let fail = true;
    const s = open();
    const flaky = index({
      ...s,
      writePacks: (rows, replace) => {
        if (fail) {
          fail = false;
          return Promise.reject(new Error('disk full'));
        }
        written.push(rows.map((r) => r.key));
        return s.writePacks(rows, replace);
      },
    });
    await flaky.load();
    await flaky.loadBodies();
    await engine.save(ids[0]!, note('n0, edited'));
    await flaky.refreshMany([ids[0]!]);
    await expect(flaky.persist()).rejects.toThrow('disk full');
    await flaky.persist();
    expect(written).toEqual([[0, 1, 2, ...[0, 1, 2].map((b) => BODY_PACKS_FROM + b)]]);
    const reopened = index(open());
    await reopened.load();
    await reopened.loadBodies();
    expect(nameOf(reopened.entries.get(ids[0]!)!.body)).toBe('n0, edited');
    expect(await reopened.reconcile()).toBe(0);
  }, 60_000);
});
