// The trash keeps an item 30 days, then the first device unlocked deletes it for good (a sealed
// tombstone like any deletion), through the worker's real handlers against the real server;
// the other devices see it go. An item trashed 29 days ago stays.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { otherDevice } from '../helpers/hostile-server.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { freshProfile, loadWorker, type Worker } from '../helpers/worker-harness.ts';

const PASSWORD = 'a strong master password 2026';
const DAY = 86_400_000;
let ts: TestServer;
let w: Worker;

beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(async () => {
  await w?.call({ type: 'lock' }).catch(() => {});
  await ts.close();
});

describe('trash retention', () => {
  it('should delete for good at the next unlock what has been in the trash over 30 days, everywhere', async () => {
    freshProfile();
    w = await loadWorker();
    const email = `trash-${randomUUID()}@example.com`;
    await w.call({ type: 'register', serverUrl: ts.url, email, password: PASSWORD });
    const trashed = async (name: string, days: number) => {
      const at = new Date(Date.now() - days * DAY).toISOString();
      return (
        await w.call<{ id: string }>({
          type: 'saveItem',
          id: null,
          body: { type: 'note', name, notes: '', trashedAt: at },
        })
      ).id;
    };
    const old = await trashed('Old', 31);
    const recent = await trashed('Recent', 29);
    await w.call({ type: 'syncNow' });
    const { engine } = await otherDevice(ts, email, PASSWORD);
    expect([...(await engine.read()).keys()].sort()).toEqual([old, recent].sort());

    await w.call({ type: 'lock' });
    await w.call({ type: 'unlockPassword', password: PASSWORD });
    // The purge runs once the unlocked index is current; an item read then waits for it.
    let gone = false;
    for (let i = 0; i < 100 && !gone; i++) {
      gone = !(await w.answer({ type: 'getItem', id: old })).ok;
      if (!gone) await new Promise((r) => setTimeout(r, 50));
    }
    expect(gone).toBe(true);
    expect(
      (await w.call<{ body: { name: string } }>({ type: 'getItem', id: recent })).body.name,
    ).toBe('Recent');
    await w.call({ type: 'syncNow' });
    await engine.sync();
    expect([...(await engine.read()).keys()]).toEqual([recent]);
  });
});
