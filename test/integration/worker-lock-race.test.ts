// A lock pressed while the worker is still opening the vault (right after an unlock, or when a
// restarted worker reopens it from session storage for the first request) must stay a lock:
// the session that finishes opening afterwards is closed, never adopted.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppState } from '../../extension/messages.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { freshProfile, loadWorker, restartWorker, stored } from '../helpers/worker-harness.ts';

const PASSWORD = 'a strong master password 2026';
let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(() => ts.close());

/** A worker on a fresh profile with a new account, unlocked. */
async function signedUp() {
  freshProfile();
  const w = await loadWorker();
  const email = `race-${randomUUID()}@example.com`;
  await w.call({ type: 'register', serverUrl: ts.url, email, password: PASSWORD });
  return w;
}

describe('locking while the vault opens', () => {
  it('should stay locked when the lock comes while a restarted worker reopens the vault', async () => {
    const w = await restartWorker(await signedUp());
    // The first request reopens the vault from session storage; the lock lands meanwhile.
    const first = w.answer({ type: 'listItems' });
    const locked = await w.call<AppState>({ type: 'lock' });
    expect(locked.phase).toBe('locked');
    await first;
    expect((await w.call<AppState>({ type: 'getState' })).phase).toBe('locked');
    expect(await w.vault()).toBeNull();
    expect(await stored('session', 'session')).toBeUndefined();
    // And it unlocks again as usual.
    const again = await w.call<AppState>({ type: 'unlockPassword', password: PASSWORD });
    expect(again.phase).toBe('unlocked');
    await w.call({ type: 'lock' });
  });

  it('should stay locked when a request from a page lands with the lock', async () => {
    const w = await signedUp();
    // "Stay unlocked when the browser restarts": the sealed copy must go with the lock too.
    await w.call({ type: 'saveSettings', settings: { lockOnRestart: false } });
    // Each request a page sends pushes the lock deadline back (it rewrites the session); one
    // that read the session before the lock cleared it must not write it back afterwards, or
    // the next request would reopen the vault the person just locked. Requests are started a
    // few steps apart around the lock, so some read before the lock and write after it.
    for (let round = 0; round < 8; round++) {
      const around = Array.from({ length: 6 }, async (_, i) => {
        for (let step = 0; step < round * 6 + i; step++) await Promise.resolve();
        return w.answer({ type: 'generatorHistory' });
      });
      const locked = await w.call<AppState>({ type: 'lock' });
      await Promise.all(around);
      expect(locked.phase).toBe('locked');
      expect(await stored('session', 'session')).toBeUndefined();
      expect(await stored('resume')).toBeUndefined();
      expect((await w.call<AppState>({ type: 'getState' })).phase).toBe('locked');
      expect(await w.vault()).toBeNull();
      expect((await w.call<AppState>({ type: 'unlockPassword', password: PASSWORD })).phase).toBe(
        'unlocked',
      );
      expect(await stored('resume')).toBeDefined();
    }
    await w.call({ type: 'lock' });
  });

  it('should push the lock deadline back with activity, and apply new lock settings at once', async () => {
    const w = await signedUp();
    const deadline = async () =>
      ((await stored('session', 'session')) as { deadline: number | null } | undefined)?.deadline;
    // New settings apply at once, even right after another request moved the deadline.
    await w.call({ type: 'generatorHistory' });
    const forcedAt = Date.now();
    await w.call({ type: 'saveSettings', settings: { lockSeconds: 5 } });
    const first = await deadline();
    expect(first).toBeGreaterThan(Date.now());
    expect(first).toBeLessThanOrEqual(Date.now() + 5_000);
    // Requests a moment apart move it at most once a second; a request past that moves it.
    await w.call({ type: 'generatorHistory' });
    // (Only when this machine answered within the second: a loaded one may take longer.)
    if (Date.now() - forcedAt < 900) expect(await deadline()).toBe(first);
    await new Promise((r) => setTimeout(r, 1_100));
    await w.call({ type: 'generatorHistory' });
    expect(await deadline()).toBeGreaterThan(first!);
    // Past the deadline with no activity, the next request finds the vault locked.
    while (Date.now() <= ((await deadline()) ?? 0)) await new Promise((r) => setTimeout(r, 200));
    expect((await w.call<AppState>({ type: 'getState' })).phase).toBe('locked');
  }, 60_000);
});
