// Account key rotation through the real server: a new key under a new salt, refused while the
// rotating device is behind, every record re-encrypted in batches by the device that rotated
// (surviving a crash halfway), other devices signed out and given the new key when they sign in
// again, and an offline edit made under the old key sealed again by its own device before it
// leaves: nothing a retired key sealed reaches the server after the rotation.
import { randomUUID } from 'node:crypto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDexieStore } from '../../extension/vault/dexie-store.ts';
import { openRetiredKeys, prepareRotation } from '../../shared/account/account-keyring.ts';
import {
  loginWithPassword,
  registerWithPassword,
  type Session,
} from '../../shared/account/password-login.ts';
import { importAccountKey } from '../../shared/crypto/account-key.ts';
import { fromBase64url, toBase64url } from '../../shared/crypto/bytes.ts';
import { isSealedBy } from '../../shared/crypto/record-cipher.ts';
import type { RecordBody } from '../../shared/model/item.ts';
import { createSyncEngine } from '../../shared/sync/engine.ts';
import type { LocalStore } from '../../shared/sync/ports.ts';
import { httpTransport } from '../helpers/devices.ts';
import { accountApi, FLOOR_KDF, passwordKeys } from '../helpers/password-account.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(() => ts.close());

const KDF = FLOOR_KDF;
const PASSWORD = 'correct horse battery staple';
const at = '2026-11-30T00:00:00.000Z';
const login = (name: string) =>
  ({
    type: 'login',
    name,
    password: `pw ${name}`,
    createdAt: at,
    updatedAt: at,
  }) as unknown as RecordBody;

/** A device: its own store, and an engine over whatever keys it holds now. */
function device(userId: string, deviceId = randomUUID()) {
  const store: LocalStore = createDexieStore(`rot-${deviceId}`, {
    indexedDB: new IDBFactory(),
    IDBKeyRange,
  });
  return {
    deviceId,
    store,
    async engine(token: string, current: Uint8Array, retired: Uint8Array[] = []) {
      return createSyncEngine({
        store,
        transport: httpTransport(ts.client(token)),
        userId,
        deviceId,
        accountKey: await importAccountKey(current),
        retiredKeys: await Promise.all(retired.map(importAccountKey)),
        keyGeneration: retired.length + 1,
        checkpointIntervalMs: 0,
      });
    },
  };
}

describe('account key rotation', () => {
  it('should re-encrypt every record under the new key across a crash, and other devices pick it up at sign-in', async () => {
    const email = `rot-${randomUUID()}@example.com`;
    const aId = randomUUID();
    const reg: Session = await registerWithPassword(accountApi(ts), {
      email,
      password: PASSWORD,
      device: { id: aId, name: 'A' },
      kdf: KDF,
    });
    const { userId } = reg;
    const A = device(userId, aId);
    const b = device(userId);
    const bSession = await loginWithPassword(accountApi(ts), {
      email,
      password: PASSWORD,
      device: { id: b.deviceId, name: 'B' },
    });

    // 600 items (two push batches), synced to both devices.
    let engineA = await A.engine(reg.token, reg.accountKey);
    const names = new Map<string, string>();
    for (let i = 0; i < 600; i++) {
      const id = randomUUID();
      names.set(id, `item ${i}`);
      await engineA.save(id, login(`item ${i}`));
    }
    await engineA.sync();
    const engineB = await b.engine(bSession.token, bSession.accountKey);
    await engineB.sync();
    expect((await engineB.read()).size).toBe(600);

    // A rotates: the password proves it, the new key goes up (under a new salt) with the retired
    // one wrapped by it, once A has synced everything written so far.
    const { authKey } = await passwordKeys(ts, reg.token, PASSWORD);
    const rotation = await prepareRotation({
      userId,
      email,
      password: PASSWORD,
      currentRaw: reg.accountKey,
      generation: 1,
      kdf: KDF,
    });
    const apiA = ts.client(reg.token);
    // B's sync wrote (its checkpoint): A is behind, and is told to sync first.
    const behind = await A.store.cursor();
    await expect(
      apiA.account.rotateKey.mutate({
        ...rotation.request,
        authKey: toBase64url(authKey),
        head: behind,
      }),
    ).rejects.toMatchObject({ data: { code: 'CONFLICT' } });
    await engineA.sync();
    const head = await A.store.cursor();
    await expect(
      apiA.account.rotateKey.mutate({
        ...rotation.request,
        authKey: toBase64url(new Uint8Array(32)),
        head,
      }),
    ).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    await expect(
      apiA.account.rotateKey.mutate({
        ...rotation.request,
        generation: 3,
        authKey: toBase64url(authKey),
        head,
      }),
    ).rejects.toMatchObject({ data: { code: 'CONFLICT' } });
    await apiA.account.rotateKey.mutate({
      ...rotation.request,
      authKey: toBase64url(authKey),
      head,
    });
    const keys = await apiA.account.keys.query({});
    expect(keys.generation).toBe(2);
    // The salt changed with the key: the old password-derived keys open nothing now.
    expect(keys.salt).not.toBe(reg.salt);
    expect(keys.salt).toBe(rotation.salt);
    const retired = await openRetiredKeys(userId, rotation.nextRaw, 2, keys.retired);
    expect(toBase64url(retired[0]!)).toBe(toBase64url(reg.accountKey));

    // A re-encrypts: 2 of 3 batches, then the worker "crashes" (a new engine over the same store).
    engineA = await A.engine(reg.token, rotation.nextRaw, retired);
    const stale = await engineA.staleKeyIds();
    expect(stale).toHaveLength(600);
    const crash = new Error('crash');
    const batches: number[] = [];
    await expect(
      engineA.rekey(stale, 250, (done) => {
        batches.push(done);
        if (batches.length === 2) throw crash;
      }),
    ).rejects.toBe(crash);
    engineA = await A.engine(reg.token, rotation.nextRaw, retired);
    const left = await engineA.staleKeyIds();
    expect(left).toHaveLength(100);
    await engineA.rekey(left);
    expect(await engineA.staleKeyIds()).toHaveLength(0);
    await engineA.sync();
    expect(await engineA.pendingCount()).toBe(0);

    // Every record on the server is now sealed by the new key only.
    const next = await importAccountKey(rotation.nextRaw);
    const pulled = await apiA.sync.pull.query({ cursor: 0, limit: 1_000 });
    const rest = await apiA.sync.pull.query({ cursor: pulled.cursor, limit: 1_000 });
    const all = [...pulled.items, ...rest.items].filter((r) => names.has(r.id));
    expect(all).toHaveLength(600);
    for (const r of all)
      expect(
        await isSealedBy(
          next,
          { userId, recordId: r.id, version: r.version },
          fromBase64url(r.ct!),
        ),
      ).toBe(true);

    // B was signed out. Offline, it still writes under the old key: an edit and a new item.
    const edited = [...names.keys()][7]!;
    const created = randomUUID();
    await engineB.save(edited, login('edited offline on B'));
    await engineB.save(created, login('created offline on B'));
    names.set(edited, 'edited offline on B');
    names.set(created, 'created offline on B');
    await expect(engineB.sync()).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    const again = await loginWithPassword(accountApi(ts), {
      email,
      password: PASSWORD,
      device: { id: b.deviceId, name: 'B' },
    });
    expect(toBase64url(again.accountKey)).toBe(toBase64url(rotation.nextRaw));
    const bKeys = await ts.client(again.token).account.keys.query({});
    const bRetired = await openRetiredKeys(
      userId,
      again.accountKey,
      bKeys.generation,
      bKeys.retired,
    );
    const engineB2 = await b.engine(again.token, again.accountKey, bRetired);
    await engineB2.sync();
    const nameMap = (m: Map<string, RecordBody>) =>
      new Map([...m].map(([id, body]) => [id, (body as { name: string }).name]));
    expect(nameMap(await engineB2.read())).toEqual(names);
    // The edit met A's re-encrypted copy as a conflict, and the merge was sealed by the new key;
    // the new item was sealed again by B, under the new key, before it left. A never has to
    // believe a copy a retired key sealed.
    await engineA.sync();
    expect(nameMap(await engineA.read())).toEqual(names);
    expect(await engineA.quarantined()).toEqual([]);
    expect(await engineA.staleKeyIds()).toHaveLength(0);
    expect(await engineB2.staleKeyIds()).toHaveLength(0);
    // A new device, holding only the new key, takes the whole vault and sets nothing aside: every
    // record and every device's checkpoint is sealed by the new key now.
    await engineA.sync();
    const c = device(userId);
    const cSession = await loginWithPassword(accountApi(ts), {
      email,
      password: PASSWORD,
      device: { id: c.deviceId, name: 'C' },
    });
    const engineC = await c.engine(cSession.token, cSession.accountKey);
    await engineC.sync();
    expect(await engineC.quarantined()).toEqual([]);
    expect(nameMap(await engineC.read())).toEqual(names);
  }, 120_000);

  it('should refuse a retired-key chain that is incomplete or does not open', async () => {
    const email = `rot-${randomUUID()}@example.com`;
    const reg = await registerWithPassword(accountApi(ts), {
      email,
      password: PASSWORD,
      device: { id: randomUUID(), name: 'A' },
      kdf: KDF,
    });
    const one = await prepareRotation({
      userId: reg.userId,
      email,
      password: PASSWORD,
      currentRaw: reg.accountKey,
      generation: 1,
      kdf: KDF,
    });
    const good = [{ generation: 1, wrapped: one.request.retiredKey }];
    // Generation 3 with only generation 1 given: a gap.
    await expect(openRetiredKeys(reg.userId, one.nextRaw, 3, good)).rejects.toThrow(/do not match/);
    await expect(openRetiredKeys(reg.userId, one.nextRaw, 1_000_000, good)).rejects.toThrow(
      /do not match/,
    );
    await expect(openRetiredKeys(reg.userId, reg.accountKey, 2, good)).rejects.toThrow();
    await expect(openRetiredKeys(randomUUID(), one.nextRaw, 2, good)).rejects.toThrow();
    expect(await openRetiredKeys(reg.userId, one.nextRaw, 2, good)).toHaveLength(1);
  });
});
