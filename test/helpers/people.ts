// People for sharing tests: each is an account on the real server with its own account key, a
// personal vault (engine + store) and the sharing core, talking over HTTP like the worker does.
// A person can go offline, and a person's server can be swapped for a hostile one (`wrap`).
import { randomUUID } from 'node:crypto';
import { sharingApiOf } from '../../extension/worker/sharing-api.ts';
import { randomBytes } from '../../shared/crypto/bytes.ts';
import { importAesKey } from '../../shared/crypto/envelope.ts';
import { parseRecordBody, type RecordBody } from '../../shared/model/item.ts';
import type { VaultState } from '../../shared/protocol/sharing.ts';
import {
  createSharingClient,
  type SharingApi,
  type SharingClient,
} from '../../shared/sharing/sharing-client.ts';
import { createSyncEngine, type SyncEngine } from '../../shared/sync/engine.ts';
import { createMemoryStore } from '../../shared/sync/memory-store.ts';
import type { LocalStore } from '../../shared/sync/ports.ts';
import { registerUser, type TestServer } from './test-server.ts';

export interface Person {
  name: string;
  userId: string;
  email: string;
  online: boolean;
  accountKey: CryptoKey;
  api: SharingApi;
  /** The raw tRPC client of this person's session (subscriptions, direct calls). */
  client: ReturnType<TestServer['client']>;
  personal: SyncEngine;
  sharing: SharingClient;
  /** Local stores of shared vaults, by vault id (erased ones are gone from here). */
  stores: Map<string, LocalStore>;
  /** The same person on a new device: the account key, a new device id, empty stores. */
  newDevice(): Person;
  /** The same device after its worker was killed: only what the stores committed survives. */
  restart(): Person;
  /** The same person after an account-key rotation: a new current key, the old one retired. */
  rotated(): Promise<Person>;
}

/** An API that fails like a dropped link while `isOnline()` is false. */
function offlineable(api: SharingApi, isOnline: () => boolean): SharingApi {
  const out = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(api))
    out[name] = (...args: unknown[]) =>
      isOnline()
        ? (fn as (...a: unknown[]) => Promise<unknown>)(...args)
        : Promise.reject(new TypeError('offline'));
  return out as unknown as SharingApi;
}

export async function createPerson(
  ts: TestServer,
  name: string,
  wrap: (api: SharingApi) => SharingApi = (a) => a,
  /** Sign-up fields to use (an email, an invitation code). */
  registration: { email?: string; invitation?: string } = {},
): Promise<Person> {
  const email =
    registration.email ?? `${name.toLowerCase()}-${randomUUID().slice(0, 8)}@example.com`;
  const user = await registerUser(ts, { ...registration, email });
  return personOf(user, email, name, wrap, await importAesKey(randomBytes(32)), []);
}

function personOf(
  user: { userId: string; api: ReturnType<TestServer['client']> },
  email: string,
  name: string,
  wrap: (api: SharingApi) => SharingApi,
  accountKey: CryptoKey,
  retiredAccountKeys: CryptoKey[],
): Person {
  const device = (kept?: {
    deviceId: string;
    personalStore: LocalStore;
    stores: Map<string, LocalStore>;
    states: Map<string, VaultState>;
  }): Person => {
    const deviceId = kept?.deviceId ?? randomUUID();
    const personalStore = kept?.personalStore ?? createMemoryStore();
    const person = {
      name,
      userId: user.userId,
      email,
      online: true,
      accountKey,
      client: user.api,
    } as Person;
    person.api = offlineable(wrap(sharingApiOf(user.api)), () => person.online);
    person.stores = kept?.stores ?? new Map();
    const states = kept?.states ?? new Map<string, VaultState>();
    person.personal = createSyncEngine({
      store: personalStore,
      transport: { push: (i) => person.api.push(i), pull: (i) => person.api.pull(i) },
      userId: user.userId,
      deviceId,
      accountKey,
      retiredKeys: retiredAccountKeys,
      checkpointIntervalMs: 0,
    });
    person.sharing = createSharingClient({
      api: person.api,
      userId: user.userId,
      email,
      deviceId,
      accountKey,
      retiredAccountKeys,
      personal: person.personal,
      stores: {
        open(vaultId) {
          const s = person.stores.get(vaultId) ?? createMemoryStore();
          person.stores.set(vaultId, s);
          return s;
        },
        async erase(vaultId) {
          person.stores.delete(vaultId);
          states.delete(vaultId);
        },
        async saveState(vaultId, state) {
          states.set(vaultId, structuredClone(state));
        },
        async loadState(vaultId) {
          return states.get(vaultId) ?? null;
        },
        async known() {
          return [...states.keys()];
        },
      },
    });
    person.newDevice = () => device();
    person.restart = () => device({ deviceId, personalStore, stores: person.stores, states });
    person.rotated = async () =>
      personOf(user, email, name, wrap, await importAesKey(randomBytes(32)), [
        accountKey,
        ...retiredAccountKeys,
      ]);
    return person;
  };
  return device();
}

const at = '2026-12-02T10:00:00.000Z';

export function login(name: string, extra: Record<string, unknown> = {}): RecordBody {
  return parseRecordBody({
    type: 'login',
    name,
    username: 'family',
    password: 'correct horse battery staple',
    createdAt: at,
    updatedAt: at,
    ...extra,
  });
}

/** Ana invites `invitee`, who accepts; Ana compares the safety number and confirms. */
export async function addMember(
  owner: Person,
  vaultId: string,
  invitee: Person,
  role: 'manager' | 'editor' | 'viewer',
) {
  const { id } = await owner.sharing.invite(vaultId, invitee.email, role);
  await invitee.sharing.respond(id, true);
  const pending = (await owner.sharing.invitationsOf(vaultId)).find((i) => i.id === id)!;
  // The number the invitee's own device shows: what they read to each other.
  const theirs = await invitee.sharing.safetyNumberWith(owner.userId);
  if (pending.safetyNumber !== theirs.safetyNumber) throw new Error('safety numbers differ');
  await owner.sharing.confirmMember(vaultId, id, pending.safetyNumber!);
  return id;
}

/** The live items of a vault engine by name (bookkeeping records left out). */
export async function itemsByName(engine: SyncEngine) {
  const out = new Map<string, RecordBody>();
  for (const body of (await engine.read()).values())
    if ('name' in body && body.type !== 'folder' && body.type !== 'vault-settings')
      out.set(body.name, body);
  return out;
}
