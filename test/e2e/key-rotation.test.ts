// Changing the keys of an account in the built extension: a stronger master password, then a
// rotation of the account key with its progress, the browser closed while it re-encrypts and the
// work resumed after the next unlock, and a second device that takes up the new key when it
// signs in again, reading everything.
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../helpers/test-db.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import {
  eventually,
  fieldValue,
  itemNames,
  onboard,
  openItem,
  openSettings,
  openVault,
  screenshot,
  unlock,
  waitSynced,
} from './cofre-pages.ts';
import { type LoadedExtension, launchExtension } from './extension.ts';

const PASSWORD = 'correct horse battery staple 42!';
const NEW_PASSWORD = 'a stronger passphrase for the vault 9';
const email = `rotation-${Date.now()}@example.com`;
const ITEMS = 1_500;

let server: TestServer;
let a: LoadedExtension;
let b: LoadedExtension;
let pageA: Page;
let pageB: Page;

beforeAll(async () => {
  server = await startTestServer();
  [a, b] = await Promise.all([launchExtension(), launchExtension()]);
}, 60_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  await server?.close();
});

/** Saves `n` logins through the worker's import message, 500 per transaction. */
function seed(page: Page, n: number) {
  return page.evaluate(`(async () => {
    for (let i = 0; i < ${n}; i += 500) {
      const items = Array.from({ length: Math.min(500, ${n} - i) }, (_, k) => ({
        folder: null,
        body: { type: 'login', name: 'Seeded ' + String(i + k).padStart(4, '0'),
          username: 'user' + (i + k), password: 'pw-' + (i + k) },
      }));
      const answer = await chrome.runtime.sendMessage({ type: 'importItems', items, skipDuplicates: false });
      if (!answer.ok) throw new Error(answer.error.message);
    }
  })()`);
}

const appState = (page: Page) =>
  page.evaluate(`chrome.runtime.sendMessage({ type: 'getState' }).then((a) => a.data)`) as Promise<{
    rekey: { done: number; total: number } | null;
    itemCount: number;
    pending: number;
  }>;

/** Live records on the server still at the version the seeding wrote (not re-encrypted). */
const notReencrypted = async () =>
  (
    await queryRows<{ n: number | string }>(
      server.testDb.database.db,
      sql`select count(*) as n from records where not deleted and version < 2`,
    )
  )[0]!.n;

describe('changing the keys of an account', () => {
  it('should set a stronger master password, which a second device then signs in with', async () => {
    pageA = await openVault(a);
    await onboard(pageA, { mode: 'Create account', server: server.url, email, password: PASSWORD });
    await seed(pageA, ITEMS);
    await waitSynced(pageA, 60_000);
    expect((await appState(pageA)).itemCount).toBe(ITEMS);

    await openSettings(pageA);
    await pageA.getByLabel('Current master password').fill(PASSWORD);
    await pageA.getByLabel('New master password', { exact: true }).fill(NEW_PASSWORD);
    await pageA.getByLabel('Repeat new master password').fill(NEW_PASSWORD);
    await pageA.locator('select[name=kdf-strength]').selectOption('strong');
    await pageA.getByRole('button', { name: 'Change', exact: true }).click();
    await expect
      .poll(() => pageA.getByText('Master password changed').count(), { timeout: 30_000 })
      .toBe(1);
    const [user] = await queryRows<{ kdf_m: number; kdf_t: number }>(
      server.testDb.database.db,
      sql`select kdf_m, kdf_t from users`,
    );
    expect(user).toEqual({ kdf_m: 131_072, kdf_t: 4 });

    pageB = await openVault(b);
    await onboard(pageB, { mode: 'Sign in', server: server.url, email, password: NEW_PASSWORD });
    await waitSynced(pageB, 60_000);
    await eventually(async () => expect((await appState(pageB)).itemCount).toBe(ITEMS), 60_000);
  }, 180_000);

  it('should rotate the account key with progress, resume after the browser closed halfway, and re-encrypt every item', async () => {
    await pageA.getByLabel('Master password to rotate the account key').fill(NEW_PASSWORD);
    await pageA.getByRole('button', { name: 'Rotate key' }).click();
    // Close the browser as soon as the first batch is written. The state that showed it is the
    // one kept: read again later (after the screenshot), the rotation may have finished.
    let before = await appState(pageA);
    await eventually(async () => {
      before = await appState(pageA);
      expect(before.rekey?.done ?? 0).toBeGreaterThan(0);
    }, 30_000);
    await screenshot(pageA, 'settings-rotate-key');
    await a.close({ keepProfile: true });
    a = await launchExtension({ profile: a.profile });
    pageA = await openVault(a);
    await unlock(pageA, NEW_PASSWORD);
    await pageA.getByRole('navigation', { name: 'Vault' }).waitFor({ timeout: 30_000 });
    // The browser closed halfway: some batches were written, the rest is done after the unlock.
    expect(before.rekey!.done).toBeLessThan(ITEMS);
    await eventually(async () => {
      const s = await appState(pageA);
      expect(s.rekey).toBeNull();
      expect(s.pending).toBe(0);
      expect(Number(await notReencrypted())).toBe(0);
    }, 90_000);
    await waitSynced(pageA, 60_000);
    expect((await appState(pageA)).itemCount).toBe(ITEMS);
    const names = await itemNames(pageA);
    expect(names).toContain('Seeded 0000');
  }, 180_000);

  it('should sign the other device out, and give it the new key when it signs in again', async () => {
    await pageB.getByRole('button', { name: 'Sync now' }).click();
    await eventually(async () => {
      const badge = pageB.getByTestId('sync-status').first();
      expect(await badge.textContent()).toMatch(/session: sign in again/);
    }, 30_000);
    await pageB.getByLabel('Master password').fill(NEW_PASSWORD);
    await pageB.getByRole('button', { name: 'Sign in again' }).click();
    await waitSynced(pageB, 60_000);
    await eventually(async () => {
      const s = await appState(pageB);
      expect(s.itemCount).toBe(ITEMS);
      expect(s.pending).toBe(0);
    }, 60_000);
    // Items re-encrypted under the new key open on B, with their secrets.
    await pageB.getByLabel('Search', { exact: true }).fill('Seeded 1499');
    await openItem(pageB, 'Seeded 1499');
    expect(await fieldValue(pageB, 'username')).toBe('user1499');
    expect(await fieldValue(pageB, 'password')).toBe('pw-1499');
  }, 120_000);
});
