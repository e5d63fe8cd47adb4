// A hostile server for engine-level tests: the real server behind a transport whose answers a
// test rewrites. Device A (the writer) and the victim share an account; every ciphertext A
// pushes is recorded, so a test can replay genuine old ones.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { prepareRotation } from '../../shared/account/account-keyring.ts';
import { loginWithPassword, type Session } from '../../shared/account/password-login.ts';
import { importAccountKey } from '../../shared/crypto/account-key.ts';
import { toBase64url } from '../../shared/crypto/bytes.ts';
import type { RecordBody } from '../../shared/model/item.ts';
import type { PullInput, PullOutput, PushOutput, WireRecord } from '../../shared/protocol/sync.ts';
import { createSyncEngine } from '../../shared/sync/engine.ts';
import { createMemoryStore } from '../../shared/sync/memory-store.ts';
import type { Transport } from '../../shared/sync/ports.ts';
import { createDevices, httpTransport } from './devices.ts';
import { accountApi, passwordKeys } from './password-account.ts';
import type { TestServer } from './test-server.ts';

export const at = '2026-11-22T00:00:00.000Z';
export const login = (name: string, password: string) =>
  ({ type: 'login', name, password, createdAt: at, updatedAt: at }) as unknown as RecordBody;

type PullTamper = (page: PullOutput, input: PullInput) => PullOutput | Promise<PullOutput>;
type PushTamper = (answer: PushOutput) => PushOutput;

/**
 * The writer saves r1 (twice: v1, v2) and r2 through an honest link; the victim syncs honestly
 * once. Then the test turns the victim's link hostile with `attack`.
 */
export async function hostileScenario(ts: TestServer) {
  let tamperPull: PullTamper | null = null;
  let tamperPush: PushTamper | null = null;
  /** `${id}@${version}` → every ciphertext pushed for it (a losing edit too). */
  const history = new Map<string, string[]>();
  let victimLink = false;
  const wrap = (t: Transport): Transport => {
    // The first device created is the writer, the second the victim.
    const isVictim = victimLink;
    victimLink = true;
    return {
      async push(input) {
        for (const i of input.items)
          if (i.ct) {
            const k = `${i.id}@${i.baseVersion + 1}`;
            history.set(k, [...(history.get(k) ?? []), i.ct]);
          }
        const answer = await t.push(input);
        return isVictim && tamperPush ? tamperPush(structuredClone(answer)) : answer;
      },
      async pull(input) {
        const page = await t.pull(input);
        return isVictim && tamperPull ? tamperPull(structuredClone(page), input) : page;
      },
    };
  };
  const { devices, userId, accountKey, api } = await createDevices(ts, 2, wrap);
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
  /** The user's head on the server (to place a forged record after everything real). */
  const head = async () => {
    let cursor = 0;
    for (;;) {
      const page = await api.sync.pull.query({ cursor, limit: 1000 });
      cursor = page.cursor;
      if (!page.hasMore) return cursor;
    }
  };
  return {
    writer,
    victim,
    userId,
    accountKey,
    api,
    r1,
    r2,
    before,
    head,
    /** The first genuine ciphertext pushed for `id` at `version`. */
    genuine: (id: string, version: number) => history.get(`${id}@${version}`)?.[0] ?? '',
    history,
    /** The victim's pulls go through `fn`. */
    onPull(fn: PullTamper) {
      tamperPull = fn;
    },
    /** The victim's push answers go through `fn`. */
    onPush(fn: PushTamper) {
      tamperPush = fn;
    },
    /** The next pull answers "reset", then the listing from 0 goes through `edit`, once. */
    resetWith(edit: (items: WireRecord[]) => WireRecord[]) {
      let step = 0;
      tamperPull = (page) => {
        step++;
        if (step === 1) return { items: [], cursor: 0, hasMore: true, reset: true };
        if (step === 2) return { ...page, items: edit(page.items) };
        return page;
      };
    },
    /** Appends forged records after the real ones on the victim's next pulls. */
    async inject(...forged: Array<Omit<WireRecord, 'seq' | 'updatedAt'>>) {
      const top = await head();
      tamperPull = (page) =>
        page.hasMore
          ? page
          : {
              ...page,
              items: [
                ...page.items,
                ...forged.map((f, i) => ({ ...f, seq: top + 1 + i, updatedAt: at })),
              ],
              cursor: top + forged.length,
            };
    },
    honest() {
      tamperPull = null;
      tamperPush = null;
    },
  };
}

/**
 * The same account on another device, signed in with its password straight to the real server
 * (no man in the middle), its vault in memory, sealing a checkpoint at every sync.
 */
export async function otherDevice(ts: TestServer, email: string, password: string) {
  const session = await loginWithPassword(accountApi(ts), {
    email,
    password,
    device: { id: randomUUID(), name: 'Other' },
  });
  const store = createMemoryStore();
  const engine = createSyncEngine({
    store,
    transport: httpTransport(ts.client(session.token)),
    userId: session.userId,
    deviceId: randomUUID(),
    accountKey: await importAccountKey(session.accountKey),
    checkpointIntervalMs: 0,
  });
  await engine.sync();
  return { session, store, engine };
}

/** Rotates the account key from a session of `session`'s account (which is up to date). */
export async function rotateElsewhere(
  ts: TestServer,
  email: string,
  password: string,
  session: Session,
) {
  const { authKey } = await passwordKeys(ts, session.token, password);
  const rotation = await prepareRotation({
    userId: session.userId,
    email,
    password,
    currentRaw: session.accountKey,
    generation: 1,
    kdf: session.kdf,
  });
  const api = ts.client(session.token);
  const head = (await api.sync.pull.query({ cursor: 0, limit: 1000 })).cursor;
  await api.account.rotateKey.mutate({ ...rotation.request, authKey: toBase64url(authKey), head });
  return rotation;
}
