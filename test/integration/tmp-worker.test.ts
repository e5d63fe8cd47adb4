import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Mitm, startMitm } from '../helpers/mitm-proxy.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { freshProfile, loadWorker } from '../helpers/worker-harness.ts';

let ts: TestServer;
let mitm: Mitm;
const rejections: unknown[] = [];
const onRejection = (e: unknown) => rejections.push(e);
beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  ts = await startTestServer();
  mitm = await startMitm(ts.url);
});
afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  await mitm.close();
  await ts.close();
});

it('worker locks while syncing', async () => {
  freshProfile();
  const w = await loadWorker();
  await w.call({
    type: 'register',
    serverUrl: mitm.url,
    email: `w-${Date.now()}@example.com`,
    password: 'a strong master password 2026',
  });
  for (let i = 0; i < 20; i++) {
    for (let j = 0; j < 5; j++)
      await w.call({
        type: 'saveItem',
        id: null,
        body: { type: 'login', name: `B${i}-${j}`, password: 'pw1' },
      });
    void w.answer({ type: 'syncNow' });
    await w.call({ type: 'lock' });
    await w.call({ type: 'unlockPassword', password: 'a strong master password 2026' });
  }
  await w.call({ type: 'lock' });
  await new Promise((r) => setTimeout(r, 2000));
  console.log(
    'REJECTIONS',
    rejections.length,
    rejections
      .slice(0, 3)
      .map(
        (e) =>
          String((e as Error)?.name) +
          ' ' +
          String((e as Error)?.message) +
          (e as Error)?.stack?.split('\n').slice(1, 6).join('|'),
      ),
  );
}, 120_000);
