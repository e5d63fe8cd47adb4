// ONE contract for every LocalStore implementation (in-memory and Dexie).
import { describe, expect, it } from 'vitest';
import type { LocalStore, RecordState } from '../../shared/sync/ports.ts';

const copy = (version: number, ct: Uint8Array | null, deleted = false) => ({
  version,
  deleted,
  ct,
  rev: version,
  seq: version * 10,
});
const edit = (baseVersion: number, ct: Uint8Array | null, deleted = false) => ({
  baseVersion,
  deleted,
  ct,
  rev: baseVersion + 1,
});
const state = (id: string, o: Partial<RecordState> = {}): RecordState => ({
  id,
  base: copy(2, Uint8Array.of(1, 2, 3)),
  pending: null,
  seen: { rev: 2, tag: 'AQID' },
  ...o,
});

export function describeStoreContract(name: string, make: () => Promise<LocalStore>) {
  describe(`LocalStore contract: ${name}`, () => {
    it('should start empty with cursor 0', async () => {
      const store = await make();
      expect(await store.all()).toEqual([]);
      expect(await store.outbox()).toEqual([]);
      expect(await store.cursor()).toBe(0);
      expect(await store.get('x')).toBeUndefined();
    });

    it('should keep records, bytes included, and hand out copies', async () => {
      const store = await make();
      await store.commit({ put: [state('a'), state('b', { base: null })], cursor: 7 });
      const a = await store.get('a');
      expect(a).toEqual(state('a'));
      expect(a!.base!.ct).toBeInstanceOf(Uint8Array);
      a!.base!.ct![0] = 99;
      expect((await store.get('a'))!.base!.ct).toEqual(Uint8Array.of(1, 2, 3));
      expect((await store.all()).map((r) => r.id).sort()).toEqual(['a', 'b']);
      expect(await store.cursor()).toBe(7);
    });

    it('should read many records at once, in the order asked, with gaps for unknown ids', async () => {
      const store = await make();
      const pending = edit(2, Uint8Array.of(9));
      await store.commit({ put: [state('a'), state('b', { pending })] });
      expect(await store.getMany(['b', 'x', 'a'])).toEqual([
        state('b', { pending }),
        undefined,
        state('a'),
      ]);
      expect(await store.getMany([])).toEqual([]);
    });

    it('should list exactly the records with a pending edit as the outbox', async () => {
      const store = await make();
      const pending = edit(2, Uint8Array.of(9));
      await store.commit({ put: [state('a', { pending }), state('b')] });
      expect(await store.outbox()).toEqual([state('a', { pending })]);
      await store.commit({
        put: [state('a', { base: copy(3, Uint8Array.of(9)), seen: { rev: 3, tag: 'CQ' } })],
      });
      expect(await store.outbox()).toEqual([]);
      await store.commit({
        put: [
          state('c', {
            base: null,
            pending: edit(0, Uint8Array.of(5)),
          }),
        ],
      });
      expect((await store.outbox()).map((r) => r.id)).toEqual(['c']);
      // A store that counts its outbox counts what it lists.
      if (store.outboxSize) expect(await store.outboxSize()).toBe(1);
    });

    it('should delete records together with their outbox entries', async () => {
      const store = await make();
      await store.commit({
        put: [state('a', { pending: edit(2, null, true) })],
      });
      if (store.outboxSize) expect(await store.outboxSize()).toBe(1);
      await store.commit({ delete: ['a'] });
      expect(await store.get('a')).toBeUndefined();
      expect(await store.outbox()).toEqual([]);
      if (store.outboxSize) expect(await store.outboxSize()).toBe(0);
    });

    it('should keep the engine bookkeeping and the quarantine, committed with the records', async () => {
      const store = await make();
      expect(await store.meta()).toBeNull();
      expect(await store.quarantined()).toEqual([]);
      const meta = {
        setHash: new Uint8Array(2048).fill(7),
        liveCount: 1,
        maxSeq: 20,
        checkpoints: {},
        integrity: { status: 'unchecked' as const },
      };
      const held = {
        id: 'q',
        version: 3,
        seq: 30,
        reason: 'TAMPERED' as const,
        at: '2026-12-01T00:00:00.000Z',
      };
      await store.commit({ put: [state('a')], meta, quarantine: { put: [held] } });
      expect(await store.meta()).toEqual(meta);
      expect(await store.quarantined()).toEqual([held]);
      // Set aside again in the same commit that clears it: it stays set aside.
      await store.commit({ quarantine: { delete: ['q'], put: [{ ...held, version: 4 }] } });
      expect(await store.quarantined()).toEqual([{ ...held, version: 4 }]);
      await store.commit({ quarantine: { delete: ['q'] } });
      expect(await store.quarantined()).toEqual([]);
    });

    it('should apply a commit all or nothing', async () => {
      const store = await make();
      await store.commit({ put: [state('a')], cursor: 1 });
      const bad = state('b', { base: copy(1, (() => 0) as never) });
      await expect(
        store.commit({ put: [state('a', { seen: { rev: 5, tag: 'x' } }), bad], cursor: 2 }),
      ).rejects.toThrow();
      expect(await store.get('a')).toEqual(state('a'));
      expect(await store.get('b')).toBeUndefined();
      expect(await store.cursor()).toBe(1);
    });
  });
}
