// Recovery kits through the real server: a kit made after the password is checked again, a
// fresh device that regains the vault with k shares and must set a new master password (every
// old session ends, the old password stops working), and a kit revoked by rotating the key.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareRotation } from '../../shared/account/account-keyring.ts';
import { loginWithPassword, registerWithPassword } from '../../shared/account/password-login.ts';
import { type RecoveryApi, recoverWithKit } from '../../shared/account/recover-account.ts';
import { createKit } from '../../shared/account/recovery-kit.ts';
import { importAccountKey } from '../../shared/crypto/account-key.ts';
import { toBase64url } from '../../shared/crypto/bytes.ts';
import type { RecordBody } from '../../shared/model/item.ts';
import { createSyncEngine } from '../../shared/sync/engine.ts';
import { createMemoryStore } from '../../shared/sync/memory-store.ts';
import { httpTransport } from '../helpers/devices.ts';
import { accountApi, FLOOR_KDF, passwordKeys } from '../helpers/password-account.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(() => ts.close());

const KDF = FLOOR_KDF;

const recoveryApi = (api: ReturnType<TestServer['client']>): RecoveryApi => ({
  check: (i) => api.recovery.check.mutate(i),
  recover: (i) => api.recovery.recover.mutate(i),
});
const PASSWORD = 'the password I will forget';
const NEW_PASSWORD = 'a new password after recovery';
const at = '2026-11-30T00:00:00.000Z';
const note = (name: string) =>
  ({
    type: 'note',
    name,
    notes: `secret of ${name}`,
    createdAt: at,
    updatedAt: at,
  }) as unknown as RecordBody;
const device = () => ({ id: randomUUID(), name: 'Test device' });

async function engineFor(token: string, userId: string, raw: Uint8Array) {
  return createSyncEngine({
    store: createMemoryStore(),
    transport: httpTransport(ts.client(token)),
    userId,
    deviceId: randomUUID(),
    accountKey: await importAccountKey(raw),
  });
}

describe('recovery kit', () => {
  it('should regain the vault on a fresh device with k shares, under a new master password', async () => {
    const email = `kit-${randomUUID()}@example.com`;
    const reg = await registerWithPassword(accountApi(ts), {
      email,
      password: PASSWORD,
      device: device(),
      kdf: KDF,
    });
    const first = await engineFor(reg.token, reg.userId, reg.accountKey);
    for (const n of ['Bank', 'Mail', 'Wifi']) await first.save(randomUUID(), note(n));
    await first.sync();

    const kit = await createKit(reg.accountKey, reg.userId, 2, 3);
    const api = ts.client(reg.token);
    const request = {
      id: kit.kitId,
      threshold: 2,
      shares: 3,
      recoveryAuthKey: toBase64url(kit.authKey),
    };
    await expect(
      api.recovery.create.mutate({ ...request, authKey: toBase64url(new Uint8Array(32)) }),
    ).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    const { authKey } = await passwordKeys(ts, reg.token, PASSWORD);
    await api.recovery.create.mutate({ ...request, authKey: toBase64url(authKey) });
    expect(await api.recovery.list.query({})).toEqual([
      expect.objectContaining({ id: kit.kitId, threshold: 2, shares: 3, lastUsedAt: null }),
    ]);

    const publicApi = ts.client();
    // One share is not enough, and a made-up proof is refused like a wrong password.
    await expect(
      recoverWithKit(recoveryApi(publicApi), {
        email,
        shares: [kit.shares[0]!],
        newPassword: NEW_PASSWORD,
        device: device(),
        kdf: KDF,
      }),
    ).rejects.toMatchObject({ code: 'NOT_ENOUGH_SHARES' });
    const other = await createKit(reg.accountKey, reg.userId, 2, 3);
    await expect(
      recoverWithKit(recoveryApi(publicApi), {
        email,
        shares: other.shares.slice(0, 2),
        newPassword: NEW_PASSWORD,
        device: device(),
        kdf: KDF,
      }),
    ).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    await expect(
      recoverWithKit(recoveryApi(publicApi), {
        email: `someone-else-${randomUUID()}@example.com`,
        shares: kit.shares.slice(1, 3),
        newPassword: NEW_PASSWORD,
        device: device(),
        kdf: KDF,
      }),
    ).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });

    const session = await recoverWithKit(recoveryApi(publicApi), {
      email,
      shares: [kit.shares[2]!, kit.shares[0]!],
      newPassword: NEW_PASSWORD,
      device: device(),
      kdf: KDF,
    });
    expect(session.userId).toBe(reg.userId);
    expect(toBase64url(session.accountKey)).toBe(toBase64url(reg.accountKey));
    const fresh = await engineFor(session.token, session.userId, session.accountKey);
    await fresh.sync();
    expect(
      [...(await fresh.read()).values()].map((b) => ('name' in b ? b.name : '')).sort(),
    ).toEqual(['Bank', 'Mail', 'Wifi']);

    // Every old session ended; the old password no longer signs in, the new one does.
    await expect(api.account.me.query({})).rejects.toMatchObject({
      data: { code: 'UNAUTHORIZED' },
    });
    await expect(
      loginWithPassword(accountApi(ts), { email, password: PASSWORD, device: device() }),
    ).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    const again = await loginWithPassword(accountApi(ts), {
      email,
      password: NEW_PASSWORD,
      device: device(),
    });
    expect(toBase64url(again.accountKey)).toBe(toBase64url(reg.accountKey));
    expect((await ts.client(again.token).recovery.list.query({}))[0]!.lastUsedAt).not.toBeNull();
  }, 60_000);

  it('should stop a kit from working once the account key is rotated', async () => {
    const email = `kit-${randomUUID()}@example.com`;
    const reg = await registerWithPassword(accountApi(ts), {
      email,
      password: PASSWORD,
      device: device(),
      kdf: KDF,
    });
    const kit = await createKit(reg.accountKey, reg.userId, 2, 2);
    const { authKey } = await passwordKeys(ts, reg.token, PASSWORD);
    const api = ts.client(reg.token);
    await api.recovery.create.mutate({
      id: kit.kitId,
      threshold: 2,
      shares: 2,
      recoveryAuthKey: toBase64url(kit.authKey),
      authKey: toBase64url(authKey),
    });
    const rotation = await prepareRotation({
      userId: reg.userId,
      email,
      password: PASSWORD,
      currentRaw: reg.accountKey,
      generation: 1,
      kdf: KDF,
    });
    await api.account.rotateKey.mutate({
      ...rotation.request,
      authKey: toBase64url(authKey),
      head: 0,
    });
    expect(await api.recovery.list.query({})).toEqual([]);
    await expect(
      recoverWithKit(recoveryApi(ts.client()), {
        email,
        shares: kit.shares,
        newPassword: NEW_PASSWORD,
        device: device(),
        kdf: KDF,
      }),
    ).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
  }, 60_000);
});
