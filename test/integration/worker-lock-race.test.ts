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

describe('locking while the vault opens', () => {
  it('should stay locked when the lock comes while a restarted worker reopens the vault', async () => {
    freshProfile();
    let w = await loadWorker();
    const email = `race-${randomUUID()}@example.com`;
    await w.call({ type: 'register', serverUrl: ts.url, email, password: PASSWORD });
    w = await restartWorker(w);
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
});
