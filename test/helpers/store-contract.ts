// ONE contract for every LocalStore implementation (in-memory and Dexie).
import { describe, expect, it } from 'vitest';
import type { LocalStore, RecordState } from '../../shared/sync/ports.ts';

const state = (id: string, o: Partial<RecordState> = {}): RecordState => ({
  id,
  base: { version: 2, deleted: false, ct: Uint8Array.of(1, 2, 3) },
  pending: null,
  maxSeen: 2,
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
      const pending = { baseVersion: 2, deleted: false, ct: Uint8Array.of(9) };
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
      const pending = { baseVersion: 2, deleted: false, ct: Uint8Array.of(9) };
      await store.commit({ put: [state('a', { pending }), state('b')] });
      expect(await store.outbox()).toEqual([state('a', { pending })]);
      await store.commit({
        put: [
          state('a', { base: { version: 3, deleted: false, ct: Uint8Array.of(9) }, maxSeen: 3 }),
        ],
      });
      expect(await store.outbox()).toEqual([]);
      await store.commit({
        put: [
          state('c', {
            base: null,
            pending: { baseVersion: 0, deleted: false, ct: Uint8Array.of(5) },
          }),
        ],
      });
      expect((await store.outbox()).map((r) => r.id)).toEqual(['c']);
    });

    it('should delete records together with their outbox entries', async () => {
      const store = await make();
      await store.commit({
        put: [state('a', { pending: { baseVersion: 2, deleted: true, ct: null } })],
      });
      await store.commit({ delete: ['a'] });
      expect(await store.get('a')).toBeUndefined();
      expect(await store.outbox()).toEqual([]);
    });

    it('should apply a commit all or nothing', async () => {
      const store = await make();
      await store.commit({ put: [state('a')], cursor: 1 });
      const bad = state('b', { base: { version: 1, deleted: false, ct: (() => 0) as never } });
      await expect(
        store.commit({ put: [state('a', { maxSeen: 5 }), bad], cursor: 2 }),
      ).rejects.toThrow();
      expect(await store.get('a')).toEqual(state('a'));
      expect(await store.get('b')).toBeUndefined();
      expect(await store.cursor()).toBe(1);
    });
  });
}
