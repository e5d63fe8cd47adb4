// A malicious server between the client and the real one. Each case is named after the attack
// class it covers; the client must refuse with a typed error, show no wrong data, and never send
// authKey when the KDF check fails.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AccountApi,
  loginWithPassword,
  registerWithPassword,
} from '../../shared/account/password-login.ts';
import { fromBase64url, toBase64url } from '../../shared/crypto/bytes.ts';
import { CryptoError } from '../../shared/crypto/errors.ts';
import type { RecordBody } from '../../shared/model/item.ts';
import type { Kdf } from '../../shared/protocol/common.ts';
import type { PullOutput, WireRecord } from '../../shared/protocol/sync.ts';
import { SyncError } from '../../shared/sync/errors.ts';
import type { Transport } from '../../shared/sync/ports.ts';
import { createDevices } from '../helpers/devices.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(() => ts.close());

const at = '2026-11-22T00:00:00.000Z';
const login = (name: string, password: string) =>
  ({ type: 'login', name, password, createdAt: at, updatedAt: at }) as unknown as RecordBody;

type Tamper = (page: PullOutput) => PullOutput;

/**
 * Device A writes r1 (twice) and r2 through an honest link, recording every ciphertext it
 * pushes; the victim syncs honestly once, then pulls through `tamper`.
 */
async function scenario() {
  let tamper: Tamper | null = null;
  const history = new Map<string, string>(); // `${id}@${version}` → ct
  const wrap = (t: Transport): Transport => ({
    async push(input) {
      for (const i of input.items) if (i.ct) history.set(`${i.id}@${i.baseVersion + 1}`, i.ct);
      return t.push(input);
    },
    async pull(input) {
      const page = await t.pull(input);
      return tamper ? tamper(structuredClone(page)) : page;
    },
  });
  const { devices } = await createDevices(ts, 2, wrap);
  const [writer, victim] = devices as [(typeof devices)[0], (typeof devices)[0]];
  const [r1, r2] = [randomUUID(), randomUUID()];
  await writer.engine.save(r1, login('Bank', 'v1-secret'));
  await writer.engine.save(r2, login('Mail', 'mail-secret'));
  await writer.engine.sync();
  await writer.engine.save(r1, login('Bank', 'v2-secret'));
  await writer.engine.sync();
  await victim.engine.sync();
  const before = await victim.engine.read();
  expect(before.size).toBe(2);
  return {
    writer,
    victim,
    r1,
    r2,
    history,
    before,
    /** Makes the server answer the next pulls from cursor 0 through `fn`. */
    attack(fn: (items: WireRecord[]) => WireRecord[] | PullOutput) {
      tamper = (page) => {
        const out = fn(page.items);
        return Array.isArray(out) ? { ...page, items: out } : out;
      };
    },
    honest() {
      tamper = null;
    },
  };
}

/** Replays the whole history to the victim (cursor 0) with `edit` applied to its records. */
async function expectRefused(
  s: Awaited<ReturnType<typeof scenario>>,
  code: string,
  edit: (items: WireRecord[]) => WireRecord[],
) {
  // The victim is told to start again from zero and is served the edited listing.
  let first = true;
  s.attack((items) => {
    if (first) {
      first = false;
      return { items: [], cursor: 0, hasMore: true, reset: true };
    }
    return edit(items);
  });
  const error = await s.victim.engine.sync().catch((e) => e);
  expect(error).toBeInstanceOf(SyncError);
  expect(error.code).toBe(code);
  // Nothing wrong is shown: the vault reads exactly as before the attack.
  expect(await s.victim.engine.read()).toEqual(s.before);
  return error as SyncError;
}

const byId = (items: WireRecord[], id: string) => items.find((i) => i.id === id)!;

describe('a malicious server', () => {
  it('ciphertext-swap: moving one record ciphertext onto another record is refused', async () => {
    const s = await scenario();
    await expectRefused(s, 'TAMPERED_RECORD', (items) => {
      const [a, b] = [byId(items, s.r1), byId(items, s.r2)];
      [a.ct, b.ct] = [b.ct, a.ct];
      return items;
    });
  });

  it('stale-ciphertext-replay: an older ciphertext under the newer version is refused', async () => {
    const s = await scenario();
    await expectRefused(s, 'TAMPERED_RECORD', (items) => {
      byId(items, s.r1).ct = s.history.get(`${s.r1}@1`)!;
      return items;
    });
  });

  it('version-rollback: a genuine older version after a newer one was seen is refused', async () => {
    const s = await scenario();
    const genuineV1 = s.history.get(`${s.r1}@1`)!;
    s.attack(() => ({
      items: [{ id: s.r1, version: 1, seq: 1_000, deleted: false, ct: genuineV1, updatedAt: at }],
      cursor: 1_000,
      hasMore: false,
      reset: false,
    }));
    const error = await s.victim.engine.sync().catch((e) => e);
    expect(error).toMatchObject({ code: 'VERSION_ROLLBACK' });
    expect(await s.victim.engine.read()).toEqual(s.before);
  });

  it('version-rollback after a reset: the older version is not believed, the newer copy is pushed back', async () => {
    const s = await scenario();
    let first = true;
    s.attack((items) => {
      if (first) {
        first = false;
        return { items: [], cursor: 0, hasMore: true, reset: true };
      }
      const r = byId(items, s.r1);
      r.version = 1;
      r.ct = s.history.get(`${s.r1}@1`)!;
      return items;
    });
    await s.victim.engine.sync();
    s.honest();
    // Never shown the old password, and the push of the newer copy met the real server's v2 as
    // a conflict that merged to the same content.
    expect(await s.victim.engine.read()).toEqual(s.before);
    await s.victim.engine.sync();
    await s.writer.engine.sync();
    expect(await s.writer.engine.read()).toEqual(s.before);
    expect(await s.victim.engine.pendingCount()).toBe(0);
  });

  it('field-role-swap: a wrapped item key served as the item body is refused', async () => {
    const s = await scenario();
    await expectRefused(s, 'TAMPERED_RECORD', (items) => {
      const r = byId(items, s.r1);
      const ct = fromBase64url(r.ct!);
      const wrappedItemKey = ct.subarray(0, 62);
      // [wrapped item key][wrapped item key]: the key envelope now plays the body's role.
      r.ct = toBase64url(new Uint8Array([...wrappedItemKey, ...wrappedItemKey]));
      return items;
    });
  });

  it('envelope-version-change: a changed envelope version byte is refused', async () => {
    const s = await scenario();
    const error = await expectRefused(s, 'TAMPERED_RECORD', (items) => {
      const r = byId(items, s.r2);
      const ct = fromBase64url(r.ct!);
      ct[0] = 2;
      r.ct = toBase64url(ct);
      return items;
    });
    expect((error.cause as CryptoError).code).toBe('UNSUPPORTED_VERSION');
  });

  it('resurrected-record: a deleted record served live with an old ciphertext is refused', async () => {
    const s = await scenario();
    await s.writer.engine.save(s.r2, null);
    await s.writer.engine.sync();
    await s.victim.engine.sync();
    s.before.delete(s.r2);
    expect(await s.victim.engine.read()).toEqual(s.before);
    await expectRefused(s, 'TAMPERED_RECORD', (items) => {
      const r = byId(items, s.r2);
      r.deleted = false;
      r.ct = s.history.get(`${s.r2}@1`)!;
      return items;
    });
  });

  it('dropped-record: a record left out of a reset listing is kept and pushed back', async () => {
    const s = await scenario();
    let first = true;
    s.attack((items) => {
      if (first) {
        first = false;
        return { items: [], cursor: 0, hasMore: true, reset: true };
      }
      return items.filter((i) => i.id !== s.r2);
    });
    await s.victim.engine.sync();
    s.honest();
    expect(await s.victim.engine.read()).toEqual(s.before);
    await s.victim.engine.sync();
    await s.writer.engine.sync();
    expect(await s.writer.engine.read()).toEqual(s.before);
  });

  it('malformed-answer: a pull answer that is not the protocol shape is refused', async () => {
    const s = await scenario();
    s.attack(() => ({ items: [{ id: 'x' }], cursor: -1 }) as unknown as PullOutput);
    const error = await s.victim.engine.sync().catch((e) => e);
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE' });
    expect(await s.victim.engine.read()).toEqual(s.before);
  });
});

describe('a malicious server at sign-in', () => {
  const kdf = { alg: 'argon2id' as const, m: 65536, t: 3, p: 1 };
  const device = () => ({ id: randomUUID(), name: 'Laptop' });

  type PreloginAnswer = { kdf: Kdf; salt: string };
  type LoginAnswer = PreloginAnswer & {
    userId: string;
    token: string;
    expiresAt: string;
    wrappedAccountKey: string;
  };

  /** The real server's account API, with answers rewritten and every login recorded. */
  function harness(
    rewrite: {
      prelogin?: (a: PreloginAnswer) => unknown;
      login?: (a: LoginAnswer) => unknown;
    } = {},
  ) {
    const api = ts.client();
    const sent: unknown[] = [];
    const account: AccountApi = {
      prelogin: async (i) => (rewrite.prelogin ?? ((a) => a))(await api.account.prelogin.query(i)),
      register: (i) => api.account.register.mutate(i),
      login: async (i) => {
        sent.push(i);
        return (rewrite.login ?? ((a) => a))(await api.account.login.mutate(i));
      },
    };
    return { account, sent };
  }

  async function registered() {
    const email = `u-${randomUUID()}@example.com`;
    const { account } = harness();
    const session = await registerWithPassword(account, {
      email,
      password: 'hunter2 but long',
      device: device(),
      kdf,
    });
    return { email, session };
  }

  /** Signs in through `api`; resolves to the session or to the error it was refused with. */
  const attempt = (api: AccountApi, email: string, pinnedKdf?: Kdf) =>
    loginWithPassword(api, {
      email,
      password: 'hunter2 but long',
      device: device(),
      pins: pinnedKdf ? { userId: '', kdf: pinnedKdf, generation: 1 } : null,
    }).catch((e) => e);

  it('honest-server: register then sign in opens the same account key', async () => {
    const { email, session } = await registered();
    const { account, sent } = harness();
    const again = await loginWithPassword(account, {
      email,
      password: 'hunter2 but long',
      device: device(),
      pins: { userId: session.userId, kdf, generation: 1 },
    });
    expect(again.accountKey).toEqual(session.accountKey);
    expect(sent).toHaveLength(1);
  });

  it('sub-floor-kdf: parameters below the floor are refused and no authKey is sent', async () => {
    const { email } = await registered();
    const { account, sent } = harness({ prelogin: (a) => ({ ...a, kdf: { ...a.kdf, m: 1024 } }) });
    const error = await attempt(account, email);
    expect(error).toMatchObject({ code: 'KDF_TOO_WEAK' });
    expect(sent).toEqual([]);
  });

  it('lowered-kdf: parameters below this device pin are refused and no authKey is sent', async () => {
    const { email } = await registered();
    const { account, sent } = harness();
    const error = await attempt(account, email, { ...kdf, m: 65536 });
    expect(error).toMatchObject({ code: 'KDF_DOWNGRADE' });
    expect(sent).toEqual([]);
  });

  it('wrapped-account-key-tamper: an altered wrapped account key fails to open', async () => {
    const { email } = await registered();
    const { account } = harness({
      login: (a) => {
        const wrapped = fromBase64url(a.wrappedAccountKey);
        wrapped[20]! ^= 1;
        return { ...a, wrappedAccountKey: toBase64url(wrapped) };
      },
    });
    const error = await attempt(account, email);
    expect(error).toBeInstanceOf(CryptoError);
    expect(error.code).toBe('DECRYPT_FAILED');
  });

  it('kdf-parameter-lie: stronger but different parameters than the account uses fail to open', async () => {
    const { email } = await registered();
    // What the honest server answers to the right authKey...
    const honest = await ts.client().account.prelogin.query({ email });
    let good = {} as LoginAnswer;
    const capture = harness({ login: (a) => (good = a) });
    await loginWithPassword(capture.account, {
      email,
      password: 'hunter2 but long',
      device: device(),
    });
    // ...handed out by a lying server that announced t=3 and accepts whatever authKey comes.
    const api: AccountApi = {
      prelogin: async () => ({ ...honest, kdf: { ...honest.kdf, t: 3 } }),
      register: () => Promise.reject(new Error('unused')),
      login: async () => ({ ...good, kdf: { ...good.kdf, t: 3 } }),
    };
    const error = await attempt(api, email);
    expect(error).toBeInstanceOf(CryptoError);
    expect(error.code).toBe('DECRYPT_FAILED');
  });
});
