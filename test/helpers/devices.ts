// Simulated devices for sync tests: each has its own local store and engine, talks to the real
// server over HTTP, and can go offline or "crash" (lose everything but its store).
import { randomUUID } from 'node:crypto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { createDexieStore } from '../../extension/vault/dexie-store.ts';
import { randomBytes } from '../../shared/crypto/bytes.ts';
import { importAesKey } from '../../shared/crypto/envelope.ts';
import { createSyncEngine, type SyncEngine } from '../../shared/sync/engine.ts';
import { createMemoryStore } from '../../shared/sync/memory-store.ts';
import type { LocalStore, Transport } from '../../shared/sync/ports.ts';
import { fakeRegistration, type makeClient, type TestServer } from './test-server.ts';

export interface Device {
  name: string;
  online: boolean;
  /** The next push reaches the server but its answer is lost (a crash or a dropped link). */
  loseNextPushAnswer: boolean;
  store: LocalStore;
  engine: SyncEngine;
  transport: Transport;
  crash(): void;
}

export function httpTransport(
  api: ReturnType<typeof makeClient>,
  isOnline: () => boolean = () => true,
): Transport {
  const offline = () => Promise.reject(new Error('offline'));
  return {
    push: (input) => (isOnline() ? api.sync.push.mutate(input) : offline()),
    pull: (input) => (isOnline() ? api.sync.pull.query(input) : offline()),
  };
}

/** Registers a fresh account and returns `n` devices signed in to it, sharing one account key. */
export async function createDevices(ts: TestServer, n: number, wrap?: (t: Transport) => Transport) {
  const reg = fakeRegistration();
  const { token } = await ts.client().account.register.mutate(reg);
  const accountKey = await importAesKey(randomBytes(32));
  const api = ts.client(token);
  const devices: Device[] = [];
  for (let i = 0; i < n; i++) {
    const deviceId = randomUUID();
    // Every other device keeps its vault in Dexie (on fake-indexeddb), the rest in memory; the
    // Dexie ones keep any two server copies committed together as a chunk (the extension: 64),
    // so the tests' small pages go through the chunks too.
    const store =
      i % 2 === 1
        ? createDexieStore(`device-${deviceId}`, {
            indexedDB: new IDBFactory(),
            IDBKeyRange,
            chunkMin: 2,
          })
        : createMemoryStore();
    const device: Device = {
      name: `device-${i}`,
      online: true,
      loseNextPushAnswer: false,
      store,
      transport: undefined as unknown as Transport,
      engine: undefined as unknown as SyncEngine,
      crash() {
        // A killed worker: only what the store committed survives.
        device.engine = createSyncEngine({
          store,
          transport: device.transport,
          userId: reg.userId,
          deviceId,
          accountKey,
          // Every sync may seal a checkpoint: tests compare vaults at once.
          checkpointIntervalMs: 0,
        });
      },
    };
    const http = httpTransport(api, () => device.online);
    const base: Transport = {
      pull: http.pull,
      async push(input) {
        const answer = await http.push(input);
        if (device.loseNextPushAnswer) {
          device.loseNextPushAnswer = false;
          throw new Error('offline');
        }
        return answer;
      },
    };
    device.transport = wrap ? wrap(base) : base;
    device.crash();
    devices.push(device);
  }
  return { devices, userId: reg.userId, accountKey, api };
}
