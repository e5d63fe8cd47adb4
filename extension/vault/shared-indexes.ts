// The decrypted index of each shared vault this device holds (issue 17), beside the personal
// one: an item index per vault over its own Dexie store, sealed packs and all, made again when
// the vault's generation moves (other keys, maybe another role). Lists, search, the popup and
// autofill read every vault through `entries()`, with items named by their vault-qualified key.
import type { Role } from '../../shared/protocol/sharing.ts';
import { vaultScope } from '../../shared/sharing/grants.ts';
import { type OpenedVault, vaultSettingsIdOf } from '../../shared/sharing/sharing-client.ts';
import type { createDexieStore } from './dexie-store.ts';
import { createItemIndex, type IndexEntry, type ItemIndex } from './item-index.ts';
import { sharedKey } from './item-key.ts';

export interface SharedIndex {
  vaultId: string;
  role: Role;
  generation: number;
  index: ItemIndex;
  engine: OpenedVault['engine'];
  settingsId: string;
  /** Resolves once the index matches the vault's store. */
  ready: Promise<void>;
}

export function createSharedIndexes(opts: {
  deviceId: string;
  storeOf: (vaultId: string) => ReturnType<typeof createDexieStore>;
  /** Told when an index changed after it was first loaded (a reconcile that found changes). */
  onChange: () => void;
}) {
  const vaults = new Map<string, SharedIndex>();
  /** Bumped when a vault is added, replaced or dropped. */
  let shape = 0;

  async function fill(entry: SharedIndex, fromPacks: boolean) {
    await entry.index.loadBodies();
    const n = await entry.index.reconcile();
    if (n > 0 || !fromPacks) entry.index.schedulePersist(fromPacks ? 1_500 : 0);
    if (n > 0) opts.onChange();
  }

  return {
    vaults,
    get version() {
      let v = `${shape}`;
      for (const e of vaults.values()) v += `.${e.index.version}`;
      return v;
    },

    /** A vault's engine was made (first open or a new generation): its index, made again. */
    async opened(o: OpenedVault) {
      const old = vaults.get(o.vaultId);
      if (old) {
        await old.ready.catch(() => {});
        old.index.stop();
      }
      const index = createItemIndex({
        store: opts.storeOf(o.vaultId),
        userId: vaultScope(o.vaultId),
        deviceId: opts.deviceId,
        accountKey: o.keys[0]!,
        retiredKeys: o.keys.slice(1),
      });
      const entry: SharedIndex = {
        vaultId: o.vaultId,
        role: o.role,
        generation: o.generation,
        index,
        engine: o.engine,
        settingsId: await vaultSettingsIdOf(o.vaultId),
        ready: Promise.resolve(),
      };
      entry.ready = index.load().then((fromPacks) => fill(entry, fromPacks));
      vaults.set(o.vaultId, entry);
      shape++;
      opts.onChange();
    },

    lost(vaultId: string) {
      const e = vaults.get(vaultId);
      if (!e) return;
      e.index.stop();
      vaults.delete(vaultId);
      shape++;
      opts.onChange();
    },

    /** After a sync or a local save in this vault: the index brought in line with its store. */
    async refresh(vaultId: string, ids?: string[]) {
      const e = vaults.get(vaultId);
      if (!e) return 0;
      await e.ready.catch(() => {});
      const n = ids ? await e.index.refreshMany(ids) : await e.index.reconcile();
      if (n > 0) e.index.schedulePersist();
      return n;
    },

    /** The vault's name, from its sealed settings record (null until it arrived). */
    nameOf(vaultId: string): string | null {
      const e = vaults.get(vaultId);
      const s = e?.index.entries.get(e.settingsId)?.body;
      return s?.type === 'vault-settings' ? s.name : null;
    },

    /** Every shared item, by its vault-qualified key. */
    *entries(): Generable {
      for (const e of vaults.values())
        for (const [id, entry] of e.index.entries) yield [sharedKey(e.vaultId, id), entry, e];
    },

    ready: () => Promise.all([...vaults.values()].map((e) => e.ready.catch(() => {}))),

    async persist() {
      for (const e of vaults.values()) await e.index.persist().catch(() => {});
    },

    stop() {
      for (const e of vaults.values()) e.index.stop();
    },
  };
}

type Generable = Generator<[string, IndexEntry, SharedIndex]>;

export type SharedIndexes = ReturnType<typeof createSharedIndexes>;
