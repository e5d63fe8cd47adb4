// The built extension in Chromium behind a hostile server (an HTTP man in the middle in front of
// the real one): a forged deletion is set aside and said so, the item stays; a record the
// server hides from this browser, and that another device wrote, shows as "the server may be
// hiding or rolling back items". Nothing in the vault changes.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullOutput } from '../../shared/protocol/sync.ts';
import { login, otherDevice } from '../helpers/hostile-server.ts';
import { type Mitm, startMitm } from '../helpers/mitm-proxy.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import {
  addItem,
  eventually,
  fieldValue,
  itemNames,
  onboard,
  openItem,
  openVault,
  screenshot,
  waitSynced,
} from './cofre-pages.ts';
import { type LoadedExtension, launchExtension } from './extension.ts';

const PASSWORD = 'correct horse battery staple 42!';
const email = `hostile-${Date.now()}@example.com`;

let server: TestServer;
let mitm: Mitm;
let ext: LoadedExtension;
let page: Page;

beforeAll(async () => {
  server = await startTestServer();
  mitm = await startMitm(server.url);
  ext = await launchExtension();
}, 60_000);

afterAll(async () => {
  await ext?.close();
  await mitm?.close();
  await server?.close();
});

const notice = () => page.getByTestId('trust-notice');

describe('behind a hostile server', () => {
  it('should set a forged deletion aside, keep the item and say what happened', async () => {
    page = await openVault(ext);
    await onboard(page, { mode: 'Create account', server: mitm.url, email, password: PASSWORD });
    await addItem(page, { type: 'login', name: 'Bank', username: 'ana', password: 'b4nk-Secret!' });
    await waitSynced(page);
    // The extension talks to the server through the man in the middle.
    expect(mitm.pushed().length).toBeGreaterThan(0);
    // The next pull ends with a deletion of every record, without a seal.
    let forged = false;
    mitm.rewrite('sync.pull', (p: PullOutput) => {
      if (forged || p.hasMore || p.reset) return p;
      forged = true;
      const seq = p.cursor + 1;
      const ids = mitm.pushed();
      return {
        ...p,
        items: [
          ...p.items,
          ...ids.map((id, i) => ({
            id,
            version: 9,
            seq: seq + i,
            deleted: true,
            ct: null,
            updatedAt: null,
          })),
        ],
        cursor: seq + ids.length - 1,
      };
    });
    await page.getByRole('button', { name: 'Sync now' }).click();
    await eventually(async () =>
      expect(await notice().textContent()).toMatch(/failed (its|their) check/),
    );
    expect(await itemNames(page)).toEqual(['Bank']);
    await openItem(page, 'Bank');
    expect(await fieldValue(page, 'password')).toBe('b4nk-Secret!');
    await screenshot(page, 'trust-notice');
    mitm.honest();
  }, 90_000);

  it('should show a record hidden from this browser as the server hiding items', async () => {
    // Another device of the same account writes; the server keeps it from this browser.
    const { engine: other } = await otherDevice(server, email, PASSWORD);
    const hidden = randomUUID();
    mitm.rewrite('sync.pull', (p: PullOutput) => ({
      ...p,
      items: p.items.filter((r) => r.id !== hidden),
    }));
    await other.save(hidden, login('Hidden', 'kept from the browser'));
    await other.sync();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await eventually(async () =>
      expect(await notice().textContent()).toMatch(/hiding or rolling back/),
    );
    expect(await itemNames(page)).toEqual(['Bank']);
    mitm.honest();
  }, 90_000);
});
