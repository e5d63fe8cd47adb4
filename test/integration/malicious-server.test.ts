// A malicious server, played by a man in the middle in front of the real one. Each case is named
// after the attack class it refuses (issue 13), through the sync engine and the account code in
// shared/ (a transport or account API whose answers are rewritten) and, at the end of the file,
// through the worker's real message handlers (an HTTP man in the middle). What the victim must
// show: its own data, unchanged and still syncing, with what was refused set aside and counted.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AccountError } from '../../shared/account/account-error.ts';
import { prepareRotation } from '../../shared/account/account-keyring.ts';
import { sealRemoval } from '../../shared/account/device-removal.ts';
import {
  type AccountApi,
  type AccountPins,
  loginWithPassword,
  registerWithPassword,
} from '../../shared/account/password-login.ts';
import { importAccountKey } from '../../shared/crypto/account-key.ts';
import { fromBase64url, randomBytes, toBase64url } from '../../shared/crypto/bytes.ts';
import { importAesKey } from '../../shared/crypto/envelope.ts';
import { DEFAULT_KDF } from '../../shared/crypto/kdf-policy.ts';
import { EXTENSION_ORIGIN } from '../../shared/extension-id.ts';
import type { Kdf } from '../../shared/protocol/common.ts';
import type { PullOutput, WireRecord } from '../../shared/protocol/sync.ts';
import { createSyncEngine } from '../../shared/sync/engine.ts';
import { createMemoryStore } from '../../shared/sync/memory-store.ts';
import type { Transport } from '../../shared/sync/ports.ts';
import { createRecordCodec } from '../../shared/sync/record-codec.ts';
import {
  at,
  hostileScenario,
  login,
  otherDevice,
  rotateElsewhere,
} from '../helpers/hostile-server.ts';
import { type Mitm, startMitm } from '../helpers/mitm-proxy.ts';
import { FLOOR_KDF, passwordKeys } from '../helpers/password-account.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import {
  freshProfile,
  loadWorker,
  restartWorker,
  stored,
  type Worker,
  type WorkerLimits,
} from '../helpers/worker-harness.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(() => ts.close());

const MAX_VERSION = 2 ** 31 - 1;

describe('a malicious server, through the engine', () => {
  describe('deletion without a key', () => {
    it('forged-tombstone: a deletion with no seal is set aside; the item stays, nothing stalls', async () => {
      const s = await hostileScenario(ts);
      await s.inject({ id: s.r1, version: 3, deleted: true, ct: null });
      const report = await s.victim.engine.sync();
      expect(report.refused).toBe(1);
      expect(await s.victim.engine.quarantined()).toMatchObject([
        { id: s.r1, version: 3, reason: 'UNSEALED_TOMBSTONE' },
      ]);
      expect(await s.victim.engine.read()).toEqual(s.before);
    });

    it('live-ciphertext-as-deleted: the genuine current ciphertext served as deleted is set aside', async () => {
      const s = await hostileScenario(ts);
      await s.inject({ id: s.r1, version: 2, deleted: true, ct: s.genuine(s.r1, 2) });
      expect((await s.victim.engine.sync()).refused).toBe(1);
      expect(await s.victim.engine.quarantined()).toMatchObject([
        { id: s.r1, reason: 'UNSEALED_TOMBSTONE' },
      ]);
      expect(await s.victim.engine.read()).toEqual(s.before);
    });

    it('max-version-tombstone: a forged deletion at version 2^31-1 is set aside, and the vault syncs on once the server is honest', async () => {
      const s = await hostileScenario(ts);
      await s.inject({ id: s.r1, version: MAX_VERSION, deleted: true, ct: null });
      expect((await s.victim.engine.sync()).refused).toBe(1);
      s.honest();
      await s.writer.engine.save(s.r1, login('Bank', 'v3-after-the-attack'));
      await s.writer.engine.sync();
      // The forged record moved the victim's cursor past the writer's edit: the writer's checkpoint
      // disagrees with the victim's vault, and the victim pulls everything again, once.
      const report = await s.victim.engine.sync();
      expect(report.integrity).toMatchObject({ status: 'ok' });
      expect((await s.victim.engine.read()).get(s.r1)).toMatchObject({
        password: 'v3-after-the-attack',
      });
      // The newer genuine copy cleared what had been set aside.
      expect(await s.victim.engine.quarantined()).toEqual([]);
      // And the victim's own edits still go up.
      await s.victim.engine.save(s.r2, login('Mail', 'changed on the victim'));
      await s.victim.engine.sync();
      await s.writer.engine.sync();
      expect((await s.writer.engine.read()).get(s.r2)).toMatchObject({
        password: 'changed on the victim',
      });
    });

    it('sealed-tombstone: a genuine deletion is believed, and its seal opens for no other record', async () => {
      const s = await hostileScenario(ts);
      await s.writer.engine.save(s.r2, null);
      await s.writer.engine.sync();
      const seal = s.genuine(s.r2, 2);
      expect(seal.length).toBeGreaterThan(0);
      await s.victim.engine.sync();
      expect((await s.victim.engine.read()).has(s.r2)).toBe(false);
      // The same seal moved onto r1 (or onto another version of r2) deletes nothing.
      await s.inject({ id: s.r1, version: 3, deleted: true, ct: seal });
      expect((await s.victim.engine.sync()).refused).toBe(1);
      expect((await s.victim.engine.read()).get(s.r1)).toMatchObject({ password: 'v2-secret' });
    });
  });

  describe('rollback through a reset', () => {
    it('reset-omission-then-rollback: a record left out of a reset and then served older keeps its newer content', async () => {
      const s = await hostileScenario(ts);
      s.resetWith((items) => items.filter((i) => i.id !== s.r1));
      await s.victim.engine.sync();
      expect(await s.victim.engine.read()).toEqual(s.before);
      // Next, the genuine v1 (the old password) as if it were the record's latest copy.
      await s.inject({ id: s.r1, version: 1, deleted: false, ct: s.genuine(s.r1, 1) });
      const report = await s.victim.engine.sync();
      expect(report.stale).toBe(1);
      const r1 = (await s.victim.engine.read()).get(s.r1) as {
        password: string;
        passwordHistory: unknown[];
      };
      expect(r1.password).toBe('v2-secret');
      // Not buried in history either: the old copy was simply not believed.
      expect(r1.passwordHistory).toEqual([]);
      s.honest();
      await s.victim.engine.sync();
      await s.writer.engine.sync();
      expect((await s.writer.engine.read()).get(s.r1)).toMatchObject({ password: 'v2-secret' });
    });

    it('reset-omits-tombstone: a deleted item left out of a reset does not come back from an older copy', async () => {
      const s = await hostileScenario(ts);
      await s.writer.engine.save(s.r2, null);
      await s.writer.engine.sync();
      await s.victim.engine.sync();
      s.resetWith((items) => items.filter((i) => i.id !== s.r2));
      await s.victim.engine.sync();
      await s.inject({ id: s.r2, version: 1, deleted: false, ct: s.genuine(s.r2, 1) });
      await s.victim.engine.sync();
      expect((await s.victim.engine.read()).has(s.r2)).toBe(false);
    });

    it('memory-survives-restart: after the worker restarts, a reset still cannot roll a record back', async () => {
      const s = await hostileScenario(ts);
      s.victim.crash(); // a new engine over the same store: only what was committed survives
      s.resetWith((items) =>
        items.map((i) => (i.id === s.r1 ? { ...i, version: 1, ct: s.genuine(s.r1, 1) } : i)),
      );
      const report = await s.victim.engine.sync();
      expect(report.stale).toBe(1);
      expect(await s.victim.engine.read()).toEqual(s.before);
    });

    it('version-rollback: a genuine older version served without a reset is not believed', async () => {
      const s = await hostileScenario(ts);
      await s.inject({ id: s.r1, version: 1, deleted: false, ct: s.genuine(s.r1, 1) });
      expect((await s.victim.engine.sync()).stale).toBe(1);
      expect(await s.victim.engine.read()).toEqual(s.before);
    });
  });

  describe('equivocation', () => {
    it('losing-edit-served: the edit that lost a race, served to the device holding the winner, is set aside', async () => {
      const s = await hostileScenario(ts);
      // Both edit r1 from v2; the writer lands v3, the victim's edit loses and is merged.
      await s.writer.engine.save(s.r1, login('Bank', 'winner'));
      await s.victim.engine.save(s.r1, login('Bank', 'loser'));
      await s.writer.engine.sync();
      await s.victim.engine.sync();
      const [winner, loser] = s.history.get(`${s.r1}@3`)!;
      expect(loser).toBeDefined();
      // The writer holds the winner at v3 (it has not pulled the merge yet). The server shows it
      // the losing bytes at the same version.
      const w = s.writer;
      const top = await s.head();
      const forged: WireRecord = {
        id: s.r1,
        version: 3,
        seq: top + 1,
        deleted: false,
        ct: loser!,
        updatedAt: at,
      };
      expect(loser).not.toBe(winner);
      const before = await w.engine.read();
      const engine = createSyncEngine({
        store: w.store,
        transport: {
          push: w.transport.push,
          pull: async () => ({ items: [forged], cursor: top + 1, hasMore: false, reset: false }),
        },
        userId: s.userId,
        deviceId: randomUUID(),
        accountKey: s.accountKey,
      });
      const report = await engine.sync();
      expect(report.refused).toBe(1);
      expect(await engine.quarantined()).toMatchObject([{ id: s.r1, reason: 'EQUIVOCATION' }]);
      expect(await engine.read()).toEqual(before);
    });
  });

  describe('retired keys', () => {
    it('retired-key-forgery: after a rotation, a copy sealed by the retired key (new id or new version) is set aside and never re-encrypted', async () => {
      const s = await hostileScenario(ts);
      // The account rotates to K2; the victim takes it up (K1 retired, still opening its own
      // copies). Whoever holds K1 (it leaked: that is why one rotates) forges with it.
      const k2 = await importAesKey(randomBytes(32));
      const pushed: string[] = [];
      const transport: Transport = {
        push: async (input) => {
          pushed.push(...input.items.map((i) => i.id));
          return s.victim.transport.push(input);
        },
        pull: (input) => s.victim.transport.pull(input),
      };
      const victim = createSyncEngine({
        store: s.victim.store,
        transport,
        userId: s.userId,
        deviceId: randomUUID(),
        accountKey: k2,
        retiredKeys: [s.accountKey],
      });
      expect(await victim.read()).toEqual(s.before); // its own old copies still open
      const k1 = createRecordCodec({ userId: s.userId, accountKey: s.accountKey });
      const fresh = randomUUID();
      const newItem = await k1.makePending(fresh, 0, 1, login('Forged', 'attacker-chosen'));
      const newVersion = await k1.makePending(s.r1, 2, 3, login('Bank', 'attacker-chosen'));
      await s.inject(
        { id: fresh, version: 1, deleted: false, ct: toBase64url(newItem.ct!) },
        { id: s.r1, version: 3, deleted: false, ct: toBase64url(newVersion.ct!) },
      );
      const report = await victim.sync();
      expect(report.refused).toBe(2);
      expect((await victim.quarantined()).map((q) => q.reason)).toEqual([
        'RETIRED_KEY',
        'RETIRED_KEY',
      ]);
      expect(await victim.read()).toEqual(s.before);
      // Nothing laundered: the forgeries are not in the store to re-encrypt, and never went out.
      expect(await victim.staleKeyIds([fresh])).toEqual([]);
      await victim.rekey(await victim.staleKeyIds());
      s.honest();
      await victim.sync();
      expect(pushed).not.toContain(fresh);
      expect((await victim.read()).get(s.r1)).toMatchObject({ password: 'v2-secret' });
    });
  });

  describe('tampered copies', () => {
    it('ciphertext-swap: moving one record ciphertext onto another record is set aside', async () => {
      const s = await hostileScenario(ts);
      await s.inject({ id: s.r2, version: 2, deleted: false, ct: s.genuine(s.r1, 2) });
      expect((await s.victim.engine.sync()).refused).toBe(1);
      expect(await s.victim.engine.quarantined()).toMatchObject([{ id: s.r2, reason: 'TAMPERED' }]);
      expect(await s.victim.engine.read()).toEqual(s.before);
    });

    it('stale-ciphertext-replay: an older ciphertext under a newer version is set aside', async () => {
      const s = await hostileScenario(ts);
      await s.inject({ id: s.r1, version: 3, deleted: false, ct: s.genuine(s.r1, 1) });
      expect((await s.victim.engine.sync()).refused).toBe(1);
      expect(await s.victim.engine.read()).toEqual(s.before);
    });

    it('field-role-swap and envelope-version-change are set aside', async () => {
      const s = await hostileScenario(ts);
      const ct = fromBase64url(s.genuine(s.r1, 2));
      const keyAsBody = toBase64url(new Uint8Array([...ct.subarray(0, 62), ...ct.subarray(0, 62)]));
      const v2 = ct.slice();
      v2[0] = 2;
      await s.inject(
        { id: s.r1, version: 3, deleted: false, ct: keyAsBody },
        { id: s.r2, version: 2, deleted: false, ct: toBase64url(v2) },
      );
      expect((await s.victim.engine.sync()).refused).toBe(2);
      expect(await s.victim.engine.read()).toEqual(s.before);
    });
  });

  describe('omission and rollback of the whole vault', () => {
    it('hidden-record: a record the server never shows one device is found out by the other device’s checkpoint', async () => {
      const s = await hostileScenario(ts);
      const hidden = randomUUID();
      s.onPull((page) => ({ ...page, items: page.items.filter((i) => i.id !== hidden) }));
      await s.writer.engine.save(hidden, login('Hidden', 'the server keeps this from the victim'));
      await s.writer.engine.sync(); // writes it, then seals a checkpoint that includes it
      const report = await s.victim.engine.sync();
      expect(report.integrity).toMatchObject({ status: 'mismatch', theirs: 3, ours: 2 });
      expect(await s.victim.engine.integrity()).toMatchObject({ status: 'mismatch' });
      // Once the server stops hiding it, the next comparison passes.
      s.honest();
      await s.writer.engine.save(hidden, login('Hidden', 'edited'));
      await s.writer.engine.sync();
      expect((await s.victim.engine.sync()).integrity).toMatchObject({ status: 'ok' });
    });

    it('rolled-back-copy: a device shown an older copy than the others is found out too', async () => {
      const s = await hostileScenario(ts);
      await s.writer.engine.sync();
      // The victim's pulls hide every write of r1 after v2 (it keeps v2 and believes it current).
      s.onPull((page) => ({
        ...page,
        items: page.items.filter((i) => !(i.id === s.r1 && i.version > 2)),
      }));
      await s.writer.engine.save(s.r1, login('Bank', 'v3-the-victim-never-sees'));
      await s.writer.engine.sync();
      expect((await s.victim.engine.sync()).integrity).toMatchObject({ status: 'mismatch' });
    });
  });

  describe('denial of service', () => {
    it('hung-request: a pull that never answers ends the sync with TIMEOUT, and the next one works', async () => {
      const s = await hostileScenario(ts);
      let hang = true;
      const engine = createSyncEngine({
        store: s.victim.store,
        transport: {
          push: (i) => s.victim.transport.push(i),
          pull: (i) => (hang ? new Promise(() => {}) : s.victim.transport.pull(i)),
        },
        userId: s.userId,
        deviceId: randomUUID(),
        accountKey: s.accountKey,
        requestTimeoutMs: 200,
      });
      await expect(engine.sync()).rejects.toMatchObject({ code: 'TIMEOUT' });
      hang = false;
      await s.writer.engine.save(s.r2, login('Mail', 'after the hang'));
      await s.writer.engine.sync();
      await engine.sync();
      expect((await engine.read()).get(s.r2)).toMatchObject({ password: 'after the hang' });
    });

    it('huge-page: a page of a million records is refused before any of them is opened', async () => {
      const s = await hostileScenario(ts);
      const one: WireRecord = {
        id: s.r1,
        version: 9,
        seq: 1,
        deleted: true,
        ct: null,
        updatedAt: at,
      };
      s.onPull((page) => ({ ...page, items: new Array(1_000_000).fill(one) }));
      await expect(s.victim.engine.sync()).rejects.toMatchObject({
        code: 'INVALID_RESPONSE',
        message: expect.stringMatching(/1000000 records for a page of 1000/),
      });
      expect(await s.victim.engine.quarantined()).toEqual([]);
      expect(await s.victim.engine.read()).toEqual(s.before);
    });

    it('no-progress: an empty page that says there is more, at the same cursor, ends the sync', async () => {
      const s = await hostileScenario(ts);
      let calls = 0;
      s.onPull((_page, input) => {
        calls++;
        return { items: [], cursor: input.cursor, hasMore: true, reset: false };
      });
      await expect(s.victim.engine.sync()).rejects.toMatchObject({ code: 'NO_PROGRESS' });
      expect(calls).toBeLessThanOrEqual(2);
    });

    it('push-answer-lies: an answer about records that were not sent is refused', async () => {
      const s = await hostileScenario(ts);
      await s.victim.engine.save(s.r2, login('Mail', 'edited'));
      s.onPush((a) => ({
        ...a,
        applied: [...a.applied, { id: randomUUID(), version: 1, seq: 99 }],
      }));
      await expect(s.victim.engine.sync()).rejects.toMatchObject({ code: 'INVALID_RESPONSE' });
      expect(await s.victim.engine.pendingCount()).toBe(1);
    });
  });

  describe('length leak', () => {
    it('padding: a 4-character and a 60-character password give ciphertexts of one size', async () => {
      const sizes: number[] = [];
      const ids: string[] = [randomUUID(), randomUUID()];
      const store = createMemoryStore();
      const engine = createSyncEngine({
        store,
        transport: {
          async push(input) {
            for (const i of input.items)
              if (ids.includes(i.id)) sizes.push(fromBase64url(i.ct!).byteLength);
            return {
              applied: input.items.map((i) => ({ id: i.id, version: 1, seq: 1 })),
              conflicts: [],
            };
          },
          pull: async (i) => ({ items: [], cursor: i.cursor, hasMore: false, reset: false }),
        },
        userId: randomUUID(),
        deviceId: randomUUID(),
        accountKey: await importAesKey(randomBytes(32)),
      });
      await engine.save(ids[0]!, login('Bank', 'abcd'));
      await engine.save(ids[1]!, login('Bank', 'x'.repeat(60)));
      await engine.sync();
      expect(sizes).toHaveLength(2);
      expect(sizes[0]).toBe(sizes[1]);
    });
  });
});

describe('a malicious server at sign-in (shared/account)', () => {
  const kdf = FLOOR_KDF;
  const PASSWORD = 'hunter2 but much longer';
  const device = () => ({ id: randomUUID(), name: 'Laptop' });

  type PreloginAnswer = { kdf: Kdf; salt: string };
  type LoginAnswer = PreloginAnswer & {
    userId: string;
    token: string;
    expiresAt: string;
    wrappedAccountKey: string;
    generation: number;
  };

  /** The real server's account API, with answers rewritten and every login recorded. */
  function harness(
    rewrite: {
      prelogin?: (a: PreloginAnswer, email: string) => unknown | Promise<unknown>;
      login?: (a: LoginAnswer) => unknown;
      loginAs?: string;
    } = {},
  ) {
    const api = ts.client();
    const sent: unknown[] = [];
    const account: AccountApi = {
      prelogin: async (i) =>
        (rewrite.prelogin ?? ((a) => a))(await api.account.prelogin.query(i), i.email),
      register: (i) => api.account.register.mutate(i),
      login: async (i) => {
        sent.push(i);
        const answer = await api.account.login.mutate({ ...i, email: rewrite.loginAs ?? i.email });
        return (rewrite.login ?? ((a) => a))(answer as LoginAnswer);
      },
    };
    return { account, sent };
  }

  async function registered(email = `u-${randomUUID()}@example.com`) {
    const { account } = harness();
    const session = await registerWithPassword(account, {
      email,
      password: PASSWORD,
      device: device(),
      kdf,
    });
    return { email, session };
  }

  /** Signs in through `api`; resolves to the session or to the error it was refused with. */
  const attempt = (api: AccountApi, email: string, pins?: AccountPins) =>
    loginWithPassword(api, { email, password: PASSWORD, device: device(), pins }).catch(
      (e: unknown) => e,
    );

  it('honest-server: register then sign in opens the same account key, every part verified', async () => {
    const { email, session } = await registered();
    const { account, sent } = harness();
    const again = await loginWithPassword(account, {
      email,
      password: PASSWORD,
      device: device(),
      pins: { userId: session.userId, kdf, generation: 1 },
    });
    expect(again.accountKey).toEqual(session.accountKey);
    expect(again).toMatchObject({ salt: session.salt, generation: 1, kdf });
    expect(sent).toHaveLength(1);
  });

  it('sub-floor-kdf: parameters below the floor (19 MiB, 2 passes) are refused and no authKey is sent', async () => {
    const { email } = await registered();
    const { account, sent } = harness({
      prelogin: (a) => ({ ...a, kdf: { alg: 'argon2id', m: 19_456, t: 2, p: 1 } }),
    });
    expect(await attempt(account, email)).toMatchObject({ code: 'KDF_TOO_WEAK' });
    expect(sent).toEqual([]);
  });

  it('costly-kdf: parameters beyond the ceiling (1 GiB, 64 passes) are refused at once, nothing sent', async () => {
    const { email } = await registered();
    const { account, sent } = harness({
      prelogin: (a) => ({ ...a, kdf: { alg: 'argon2id', m: 1_048_576, t: 64, p: 4 } }),
    });
    expect(await attempt(account, email)).toMatchObject({ code: 'KDF_TOO_COSTLY' });
    expect(sent).toEqual([]);
  });

  it('lowered-kdf: parameters below this device pin are refused and no authKey is sent', async () => {
    const { email, session } = await registered();
    const { account, sent } = harness();
    const pins = { userId: session.userId, kdf: { ...kdf, m: 131_072 }, generation: 1 };
    expect(await attempt(account, email, pins)).toMatchObject({ code: 'KDF_DOWNGRADE' });
    expect(sent).toEqual([]);
  });

  it('wrapped-account-key-tamper: a wrap that does not open after the password was accepted is the server’s fault, said so', async () => {
    const { email } = await registered();
    const { account } = harness({
      login: (a) => {
        const wrapped = fromBase64url(a.wrappedAccountKey);
        wrapped[20]! ^= 1;
        return { ...a, wrappedAccountKey: toBase64url(wrapped) };
      },
    });
    const error = await attempt(account, email);
    expect(error).toBeInstanceOf(AccountError);
    expect(error).toMatchObject({ code: 'SERVER_KEY_MISMATCH' });
    expect((error as Error).message).not.toMatch(/wrong/i);
  });

  it('kdf-parameter-lie: stronger but different parameters than the account uses do not open', async () => {
    const { email } = await registered();
    const { account } = harness({
      prelogin: (a) => ({ ...a, kdf: { ...a.kdf, t: 4 } }),
      login: (a) => ({ ...a, kdf: { ...a.kdf, t: 4 } }),
    });
    // The server checks the authKey, which the lie changed: it refuses, as for a wrong password.
    // A server that accepts anything still cannot make the wrap open.
    const accepting = harness({
      prelogin: (a) => ({ ...a, kdf: { ...a.kdf, t: 4 } }),
    });
    const honestAnswer = await loginWithPassword(harness().account, {
      email,
      password: PASSWORD,
      device: device(),
    });
    const liar: AccountApi = {
      ...accepting.account,
      login: async () => ({
        userId: honestAnswer.userId,
        token: honestAnswer.token,
        expiresAt: new Date().toISOString(),
        kdf: { ...kdf, t: 4 },
        salt: honestAnswer.salt,
        wrappedAccountKey: honestAnswer.wrappedAccountKey,
        generation: 1,
      }),
    };
    expect(await attempt(account, email)).toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    expect(await attempt(liar, email)).toMatchObject({ code: 'SERVER_KEY_MISMATCH' });
  });

  it('other-account-same-password: the server cannot sign a device in to the user’s other account', async () => {
    const a = await registered();
    const b = await registered();
    // Asked for A, the server answers with B's salt and signs in B: the authKey the client
    // derives with B's salt is B's, so the real server accepts it. B's wrap names B's email.
    const { account } = harness({
      prelogin: () => ts.client().account.prelogin.query({ email: b.email }),
      loginAs: b.email,
    });
    expect(await attempt(account, a.email)).toMatchObject({ code: 'SERVER_KEY_MISMATCH' });
  });

  it('generation-lie: a wrap of one key generation does not pass for another', async () => {
    const { email } = await registered();
    const { account } = harness({ login: (a) => ({ ...a, generation: 2 }) });
    expect(await attempt(account, email)).toMatchObject({ code: 'SERVER_KEY_MISMATCH' });
  });

  it('old-wrap-after-rotation: the retired key’s wrap, served as the current one, does not open', async () => {
    const { email, session } = await registered();
    const api = ts.client(session.token);
    const { authKey } = await passwordKeys(ts, session.token, PASSWORD);
    const rotation = await prepareRotation({
      userId: session.userId,
      email,
      password: PASSWORD,
      currentRaw: session.accountKey,
      generation: 1,
      kdf,
    });
    await api.account.rotateKey.mutate({
      ...rotation.request,
      authKey: toBase64url(authKey),
      head: 0,
    });
    // A new device: the server answers with the old salt and the old wrap, naming generation 2.
    const { account } = harness({
      prelogin: (a) => ({ ...a, salt: session.salt }),
      login: (a) => ({ ...a, salt: session.salt, wrappedAccountKey: session.wrappedAccountKey }),
    });
    const error = await attempt(account, email);
    // The old salt gives the old authKey, which the real server no longer takes; a server that
    // takes it anyway still cannot pass the generation-1 wrap for generation 2.
    expect(error).toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    const liar: AccountApi = {
      prelogin: async () => ({ kdf, salt: session.salt }),
      register: () => Promise.reject(new Error('unused')),
      login: async () => ({
        userId: session.userId,
        token: session.token,
        expiresAt: new Date().toISOString(),
        kdf,
        salt: session.salt,
        wrappedAccountKey: session.wrappedAccountKey,
        generation: 2,
      }),
    };
    expect(await attempt(liar, email)).toMatchObject({ code: 'SERVER_KEY_MISMATCH' });
  });

  it('re-sign-in-elsewhere: a device held to its account refuses a sign-in to another one before opening anything', async () => {
    const a = await registered();
    const b = await registered();
    const { account } = harness({
      prelogin: () => ts.client().account.prelogin.query({ email: b.email }),
      loginAs: b.email,
    });
    const pins = { userId: a.session.userId, kdf, generation: 1 };
    expect(await attempt(account, a.email, pins)).toMatchObject({ code: 'OTHER_ACCOUNT' });
  });
});

describe('a malicious server, through the worker’s real handlers (an HTTP man in the middle)', () => {
  const PASSWORD = 'a strong master password 2026';
  let mitm: Mitm;
  let w: Worker;
  const rejections: unknown[] = [];
  const onRejection = (e: unknown) => rejections.push(e);
  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    mitm = await startMitm(ts.url);
  });
  afterEach(async () => {
    mitm.honest();
    await w?.call({ type: 'lock' }).catch(() => {});
  });
  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await mitm.close();
    // Store work never outlives a lock (the worker's DatabaseClosedError rejections).
    expect(rejections).toEqual([]);
  });

  /**
   * A fresh profile signed up through the man in the middle, with one login saved and synced,
   * and the same account on a second device (the engine, talking to the server directly).
   */
  async function signedUp(limits?: WorkerLimits) {
    freshProfile();
    w = await loadWorker(limits);
    const email = `w-${randomUUID()}@example.com`;
    await w.call({ type: 'register', serverUrl: mitm.url, email, password: PASSWORD });
    const { id } = await w.call<{ id: string }>({
      type: 'saveItem',
      id: null,
      body: { type: 'login', name: 'Bank', username: 'ana', password: 'v1-secret' },
    });
    await w.call({ type: 'syncNow' });
    const { session, store: otherStore, engine: other } = await otherDevice(ts, email, PASSWORD);
    return { email, id, session, other, otherStore };
  }

  const password = async (id: string) =>
    (await w.call<{ body: { password: string } }>({ type: 'getItem', id })).body.password;

  /** The worker's next pulls end with `forged` appended (placed after the real head). */
  function inject(...forged: Array<Omit<WireRecord, 'seq' | 'updatedAt'>>) {
    let done = false;
    mitm.rewrite('sync.pull', (page: PullOutput) => {
      if (done || page.hasMore || page.reset) return page;
      done = true;
      const items = forged.map((f, i) => ({ ...f, seq: page.cursor + 1 + i, updatedAt: at }));
      return { ...page, items: [...page.items, ...items], cursor: page.cursor + forged.length };
    });
  }

  it('a forged removal order never erases the device; a genuine one does', async () => {
    const { session, id } = await signedUp();
    const me = await w.call({ type: 'getState' });
    // The server refuses the session and says "you were removed", with proofs that are not:
    // random bytes, a genuine order for another device of the account, an order for this
    // device sealed by another key.
    const unauthorized = JSON.stringify({
      error: {
        message: 'Not signed in.',
        code: -32001,
        data: { code: 'UNAUTHORIZED', httpStatus: 401 },
      },
    });
    mitm.raw('sync.pull', () => ({ status: 401, body: unauthorized }));
    mitm.raw('sync.push', () => ({ status: 401, body: unauthorized }));
    const key = await importAccountKey(session.accountKey);
    const order = (device: string) => ({ device, at: new Date().toISOString(), by: 'Forger' });
    const forgeries = [
      randomBytes(60),
      await sealRemoval(key, session.userId, order(randomUUID())),
      await sealRemoval(await importAesKey(randomBytes(32)), session.userId, order(me.deviceId!)),
    ];
    const removals = () => mitm.calls.filter((c) => c.procedure === 'sessions.removal').length;
    for (const proof of forgeries) {
      const asked = removals();
      mitm.rewrite('sessions.removal', () => ({
        at: new Date().toISOString(),
        removalProof: toBase64url(proof),
      }));
      // Two questions asked means the first one's answer was judged (one check at a time).
      for (;;) {
        const state = await w.call({ type: 'syncNow' });
        expect(state.sync).toMatchObject({ kind: 'error', signInAgain: true });
        if (removals() >= asked + 2) break;
      }
      const state = await w.call({ type: 'getState' });
      expect(state.phase).toBe('unlocked');
      expect(state.removed).toBeNull();
      expect(await password(id)).toBe('v1-secret');
    }
    // A genuine order for this device, sealed by the account key: the device erases itself,
    // even when the order is written while the device is still judging a forged answer: the
    // refusal heard meanwhile is asked about again after it, without waiting for another sync
    // (after these failures the next retry is at least 30 s away).
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const before = removals();
    mitm.rewrite('sessions.removal', async () => {
      await held;
      return { at: new Date().toISOString(), removalProof: toBase64url(forgeries[0]!) };
    });
    await w.call({ type: 'syncNow' });
    await expect.poll(removals, { timeout: 15_000 }).toBeGreaterThan(before);
    mitm.rewrite('sessions.removal', async () => ({
      at: new Date().toISOString(),
      removalProof: toBase64url(
        await sealRemoval(key, session.userId, { ...order(me.deviceId!), by: 'Laptop' }),
      ),
    }));
    await w.call({ type: 'syncNow' });
    const syncs = mitm.calls.filter((c) => c.procedure.startsWith('sync.')).length;
    release();
    await expect
      .poll(async () => (await w.call({ type: 'getState' })).phase, { timeout: 20_000 })
      .toBe('setup');
    expect(mitm.calls.filter((c) => c.procedure.startsWith('sync.')).length).toBe(syncs);
    expect((await w.call({ type: 'getState' })).removed).toMatchObject({ by: 'Laptop' });
  });

  it('forged deletions (no seal; the live ciphertext as deleted; at version 2^31-1) are set aside and shown, and the vault syncs on', async () => {
    const { id, session, other } = await signedUp();
    const pulled = await ts.client(session.token).sync.pull.query({ cursor: 0, limit: 1000 });
    const genuine = pulled.items.find((r) => r.id === id)!;
    inject(
      { id, version: 2, deleted: true, ct: null },
      { id, version: MAX_VERSION, deleted: true, ct: null },
    );
    let state = await w.call({ type: 'syncNow' });
    expect(state.sync.kind).toBe('synced');
    expect(state.trust).toMatchObject({ setAside: 1 });
    expect(await password(id)).toBe('v1-secret');
    inject({ id, version: genuine.version, deleted: true, ct: genuine.ct });
    state = await w.call({ type: 'syncNow' });
    expect(state.trust).toMatchObject({ setAside: 1 });
    expect(state.itemCount).toBe(1);
    // The server turns honest; another device's edit arrives and clears what was set aside.
    await other.save(id, login('Bank', 'v2-from-the-other-device'));
    await other.sync();
    state = await w.call({ type: 'syncNow' });
    expect(await password(id)).toBe('v2-from-the-other-device');
    expect(state.trust).toMatchObject({ setAside: 0 });
  });

  it('a reset that leaves a record out, then an older copy of it, change nothing the user sees; a restarted worker still remembers', async () => {
    const { id, otherStore } = await signedUp();
    // The other device holds the genuine v1 (the old password) it pulled before this edit.
    const v1 = toBase64url((await otherStore.get(id))!.base!.ct!);
    await w.call({
      type: 'saveItem',
      id,
      body: { type: 'login', name: 'Bank', password: 'v2-secret' },
    });
    await w.call({ type: 'syncNow' });
    let step = 0;
    mitm.rewrite('sync.pull', (page: PullOutput) => {
      step++;
      if (step === 1) return { items: [], cursor: 0, hasMore: true, reset: true };
      if (step === 2) return { ...page, items: page.items.filter((r) => r.id !== id) };
      return page;
    });
    await w.call({ type: 'syncNow' });
    expect(await password(id)).toBe('v2-secret');
    mitm.honest();
    w = await restartWorker(w, { checkpointIntervalMs: 0 });
    inject({ id, version: 1, deleted: false, ct: v1 });
    await w.call({ type: 'syncNow' });
    const item = await w.call<{ body: { password: string; passwordHistory: unknown[] } }>({
      type: 'getItem',
      id,
    });
    expect(item.body.password).toBe('v2-secret');
    expect(item.body.passwordHistory).toHaveLength(1); // v1, as the user's own edit put it there
  });

  it('a rotation taken up at re-sign-in: a lying retired chain or generation is refused and saves nothing; the honest one is taken', async () => {
    const { email, id, session } = await signedUp();
    // Another device rotates the account key (this one is signed out by it).
    const rotation = await rotateElsewhere(ts, email, PASSWORD, session);
    let state = await w.call({ type: 'syncNow' });
    expect(state.sync).toMatchObject({ kind: 'error', signInAgain: true });
    const before = await stored('account');
    // The chain of retired keys does not lead down to this device's key: refused, nothing written.
    mitm.rewrite('account.keys', (k: { retired: unknown[] }) => ({ ...k, retired: [] }));
    expect(await w.refusal({ type: 'reauthenticate', password: PASSWORD })).toMatchObject({
      code: 'OTHER_ACCOUNT',
    });
    // The sign-in answer names another generation than its wrap: refused, nothing written.
    mitm.honest();
    mitm.rewrite('account.login', (a: { generation: number }) => ({ ...a, generation: 7 }));
    expect(await w.refusal({ type: 'reauthenticate', password: PASSWORD })).toMatchObject({
      code: 'SERVER_KEY_MISMATCH',
    });
    expect(await stored('account')).toEqual(before);
    // This device still unlocks offline with what it had.
    await w.call({ type: 'lock' });
    await w.call({ type: 'unlockPassword', password: PASSWORD });
    expect(await password(id)).toBe('v1-secret');
    mitm.honest();
    state = await w.call({ type: 'reauthenticate', password: PASSWORD });
    expect(state.phase).toBe('unlocked');
    expect(await stored('account')).toMatchObject({ keyGeneration: 2, salt: rotation.salt });
    expect(await password(id)).toBe('v1-secret');
  });

  it('a wrap that does not open after the server accepted the password says so, never "wrong password"', async () => {
    const { email } = await signedUp();
    freshProfile();
    w = await loadWorker();
    mitm.rewrite('account.login', (a: { wrappedAccountKey: string }) => {
      const wrapped = fromBase64url(a.wrappedAccountKey);
      wrapped[25]! ^= 1;
      return { ...a, wrappedAccountKey: toBase64url(wrapped) };
    });
    const refused = await w.refusal({
      type: 'login',
      serverUrl: mitm.url,
      email,
      password: PASSWORD,
    });
    expect(refused.code).toBe('SERVER_KEY_MISMATCH');
    expect(refused.message).toMatch(/server/i);
    expect(refused.message).not.toMatch(/wrong master password/i);
    expect(await stored('account')).toBeUndefined();
    // A wrong password is still called one, where it is checked.
    mitm.honest();
    await w.call({ type: 'login', serverUrl: mitm.url, email, password: PASSWORD });
    await w.call({ type: 'lock' });
    expect(await w.refusal({ type: 'unlockPassword', password: 'not it at all' })).toMatchObject({
      code: 'WRONG_PASSWORD',
      message: 'Wrong master password.',
    });
  });

  it('a passkey sign-in pins nothing it has not opened: a lying KDF from the server does not lock the password out', async () => {
    await signedUp();
    const authenticator = new SoftAuthenticator(EXTENSION_ORIGIN);
    const prfOutput = toBase64url(randomBytes(32));
    const { options, prfSalt } = await w.call<{ options: { challenge: string }; prfSalt: string }>({
      type: 'passkeyRegistrationOptions',
    });
    await w.call({
      type: 'registerPasskey',
      name: 'Laptop',
      response: authenticator.create(options),
      prfOutput,
      prfSalt,
    });
    const email = (await w.call({ type: 'getState' })).email!;
    // A new browser signs in with the passkey; the server lies about the password's KDF.
    freshProfile();
    w = await loadWorker();
    mitm.rewrite('account.keys', (k: { kdf: Kdf }) => ({
      ...k,
      kdf: { ...k.kdf, m: 262_144, t: 4 },
    }));
    const loginOptions = await w.call<{ challenge: string }>({
      type: 'passkeyLoginOptions',
      serverUrl: mitm.url,
      email,
    });
    await w.call({
      type: 'passkeyLogin',
      serverUrl: mitm.url,
      response: authenticator.get(loginOptions),
      prfOutput,
    });
    expect(await stored('account')).toMatchObject({ passwordVerified: false });
    mitm.honest();
    await w.call({ type: 'lock' });
    // The unopened wrap does not open with the lie; the message says the server may be at fault.
    const refused = await w.refusal({ type: 'unlockPassword', password: PASSWORD });
    expect(refused).toMatchObject({
      code: 'WRONG_PASSWORD',
      message: expect.stringMatching(/server/),
    });
    const credentialId = authenticator.id;
    await w.call({ type: 'unlockPasskey', credentialId, prfOutput });
    // Signing in again with the password is not refused as "weaker than before": nothing was pinned.
    await w.call({ type: 'reauthenticate', password: PASSWORD });
    expect(await stored('account')).toMatchObject({ passwordVerified: true, kdf: DEFAULT_KDF });
    await w.call({ type: 'lock' });
    await w.call({ type: 'unlockPassword', password: PASSWORD });
  });

  it('a request that never finishes ends the sync with a clear status, and the next sync works', async () => {
    const { id, other } = await signedUp({ requestTimeoutMs: 400, checkpointIntervalMs: 0 });
    mitm.hang('sync.pull');
    let state = await w.call({ type: 'syncNow' });
    expect(state.sync).toMatchObject({ kind: 'error', reason: expect.stringMatching(/in time/) });
    mitm.honest();
    await other.save(id, login('Bank', 'after the hang'));
    await other.sync();
    state = await w.call({ type: 'syncNow' });
    expect(state.sync.kind).toBe('synced');
    expect(await password(id)).toBe('after the hang');
  });

  it('an answer larger than the protocol allows is cut off before it is parsed', async () => {
    const { id } = await signedUp();
    let sent = 0;
    mitm.raw('sync.pull', () => ({
      status: 200,
      body: Readable.from(
        (function* () {
          yield '{"result":{"data":{"items":[';
          const chunk = `${'{"id":"00000000-0000-4000-8000-000000000000","version":1,"seq":1,"deleted":true,"ct":null,"updatedAt":null},'.repeat(10_000)}`;
          for (let i = 0; i < 200 && sent < 200 * 2 ** 20; i++) {
            sent += chunk.length;
            yield chunk;
          }
          yield ']}}}';
        })(),
      ),
    }));
    const state = await w.call({ type: 'syncNow' });
    expect(state.sync).toMatchObject({
      kind: 'error',
      reason: expect.stringMatching(/larger than the protocol allows/),
    });
    expect(sent).toBeLessThan(200 * 2 ** 20);
    mitm.honest();
    expect((await w.call({ type: 'syncNow' })).sync.kind).toBe('synced');
    expect(await password(id)).toBe('v1-secret');
  });

  it('a record hidden from this browser shows as "the server is hiding or rolling back items"', async () => {
    const { other } = await signedUp();
    const hidden = randomUUID();
    mitm.rewrite('sync.pull', (page: PullOutput) => ({
      ...page,
      items: page.items.filter((r) => r.id !== hidden),
    }));
    await other.save(hidden, login('Hidden', 'kept from this browser'));
    await other.sync();
    const state = await w.call({ type: 'syncNow' });
    expect(state.trust).toMatchObject({ integrity: 'mismatch', detail: { theirs: 2, ours: 1 } });
  });

  it('sign-in parameters beyond the ceiling or below the floor are refused before anything is sent', async () => {
    const { email } = await signedUp();
    freshProfile();
    w = await loadWorker();
    for (const [kdf, code] of [
      [{ alg: 'argon2id', m: 1_048_576, t: 64, p: 4 }, 'KDF_TOO_COSTLY'],
      [{ alg: 'argon2id', m: 19_456, t: 2, p: 1 }, 'KDF_TOO_WEAK'],
    ] as const) {
      mitm.rewrite('account.prelogin', (a: object) => ({ ...a, kdf }));
      const logins = mitm.calls.filter((c) => c.procedure === 'account.login').length;
      expect(
        await w.refusal({ type: 'login', serverUrl: mitm.url, email, password: PASSWORD }),
      ).toMatchObject({ code });
      expect(mitm.calls.filter((c) => c.procedure === 'account.login').length).toBe(logins);
    }
    expect(await stored('account')).toBeUndefined();
  });

  it('a page that says "more" and never moves ends the sync with a clear status', async () => {
    await signedUp();
    mitm.rewrite('sync.pull', (_p: PullOutput, input: { cursor: number }) => ({
      items: [],
      cursor: input.cursor,
      hasMore: true,
      reset: false,
    }));
    const state = await w.call({ type: 'syncNow' });
    expect(state.sync).toMatchObject({
      kind: 'error',
      reason: expect.stringMatching(/went nowhere/),
    });
    mitm.honest();
    expect((await w.call({ type: 'syncNow' })).sync.kind).toBe('synced');
  });

  it('after this browser took up a rotated key, a copy sealed by the retired key is set aside and never re-encrypted', async () => {
    const { email, id, session } = await signedUp();
    await rotateElsewhere(ts, email, PASSWORD, session);
    await w.call({ type: 'syncNow' });
    await w.call({ type: 'reauthenticate', password: PASSWORD });
    // The re-encryption of this browser's copies ends (it runs after the unlock).
    const rekeyed = async () =>
      ((await stored('account')) as { rekeyedGeneration: number }).rekeyedGeneration;
    for (let i = 0; i < 200 && (await rekeyed()) < 2; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await rekeyed()).toBe(2);
    await w.call({ type: 'syncNow' });
    // Whoever kept the retired key forges a new item and a new version of the login with it.
    const k1 = createRecordCodec({
      userId: session.userId,
      accountKey: await importAccountKey(session.accountKey),
    });
    const fresh = randomUUID();
    const item = await k1.makePending(fresh, 0, 1, login('Forged', 'attacker-chosen'));
    const version = await k1.makePending(id, 5, 9, login('Bank', 'attacker-chosen'));
    const callsBefore = mitm.calls.length;
    inject(
      { id: fresh, version: 1, deleted: false, ct: toBase64url(item.ct!) },
      { id, version: 6, deleted: false, ct: toBase64url(version.ct!) },
    );
    const state = await w.call({ type: 'syncNow' });
    expect(state.trust).toMatchObject({ setAside: 2 });
    expect(state.itemCount).toBe(1);
    expect(await password(id)).toBe('v1-secret');
    expect(mitm.pushed(callsBefore)).not.toContain(fresh);
  });

  it('locks while syncs run leave no store work behind', async () => {
    await signedUp();
    for (let i = 0; i < 10; i++) {
      await w.call({
        type: 'saveItem',
        id: null,
        body: { type: 'login', name: `n${i}`, password: 'x' },
      });
      void w.answer({ type: 'syncNow' });
      await w.call({ type: 'lock' });
      await w.call({ type: 'unlockPassword', password: PASSWORD });
    }
    await w.call({ type: 'syncNow' });
    expect(rejections.map((e) => (e as Error).stack)).toEqual([]);
    // Eleven Argon2id derivations (sign-up and ten unlocks), ~0.7 s each on an idle core.
  }, 90_000);
});
