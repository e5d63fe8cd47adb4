// The worker's local stores of shared vaults: one Dexie database per vault (its records,
// outbox and cursor, as the personal vault's), and one small database of the grants each vault
// was last served with, so a shared vault opens — and is verified again — offline.
import Dexie, { type Table } from 'dexie';
import type { VaultState } from '../../shared/protocol/sharing.ts';
import { vaultStateSchema } from '../../shared/protocol/sharing.ts';
import { createDexieStore } from './dexie-store.ts';

export const sharedDbName = (userId: string, vaultId: string) =>
  `cofre-shared-${userId}-${vaultId}`;
export const sharedStatesDbName = (userId: string) => `cofre-shared-states-${userId}`;

class StatesDb extends Dexie {
  states!: Table<{ vaultId: string; state: VaultState }, string>;
  constructor(name: string) {
    super(name);
    this.version(1).stores({ states: 'vaultId' });
  }
}

export function createSharedStores(userId: string) {
  const open = new Map<string, ReturnType<typeof createDexieStore>>();
  const states = new StatesDb(sharedStatesDbName(userId));
  return {
    open(vaultId: string): ReturnType<typeof createDexieStore> {
      const s = open.get(vaultId) ?? createDexieStore(sharedDbName(userId, vaultId));
      open.set(vaultId, s);
      return s;
    },
    /** The vault's local copy is erased: access ended, or the vault is gone. */
    async erase(vaultId: string) {
      open.get(vaultId)?.close();
      open.delete(vaultId);
      await states.states.delete(vaultId);
      await Dexie.delete(sharedDbName(userId, vaultId));
    },
    async saveState(vaultId: string, state: VaultState) {
      await states.states.put({ vaultId, state });
    },
    async loadState(vaultId: string) {
      const row = await states.states.get(vaultId);
      const parsed = vaultStateSchema.safeParse(row?.state);
      return parsed.success ? parsed.data : null;
    },
    /** The vaults this device holds a copy of (to open offline, to erase at sign-out). */
    async known(): Promise<string[]> {
      return (await states.states.toCollection().primaryKeys()) as string[];
    },
    close() {
      for (const s of open.values()) s.close();
      open.clear();
      states.close();
    },
  };
}

/** Erases every shared vault copy of an account (sign-out, a removed device). */
export async function eraseSharedStores(userId: string) {
  const stores = createSharedStores(userId);
  const ids = await stores.known().catch(() => []);
  stores.close();
  for (const id of ids) await Dexie.delete(sharedDbName(userId, id));
  await Dexie.delete(sharedStatesDbName(userId));
}
