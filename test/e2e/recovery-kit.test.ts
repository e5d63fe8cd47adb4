// The recovery kit in the built extension: a 2-of-3 kit made in settings and shown as a printable
// sheet with QR codes; a fresh browser that regains the vault with two shares and a new master
// password; the first browser signed out and back in with the new password; and the kit revoked
// by rotating the account key.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import {
  eventually,
  itemNames,
  onboard,
  openSettings,
  openVault,
  screenshot,
  waitSynced,
} from './cofre-pages.ts';
import { type LoadedExtension, launchExtension } from './extension.ts';

const PASSWORD = 'correct horse battery staple 42!';
const NEW_PASSWORD = 'my brand new master passphrase 77';
const email = `kit-${Date.now()}@example.com`;

let server: TestServer;
let a: LoadedExtension;
let b: LoadedExtension;
let pageA: Page;
let pageB: Page;
let shares: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  [a, b] = await Promise.all([launchExtension(), launchExtension()]);
  pageA = await openVault(a);
  await onboard(pageA, { mode: 'Create account', server: server.url, email, password: PASSWORD });
  await pageA.evaluate(`chrome.runtime.sendMessage({ type: 'importItems', skipDuplicates: false, items: [
    { folder: null, body: { type: 'login', name: 'Bank', username: 'ana', password: 'bank-pw' } },
    { folder: null, body: { type: 'note', name: 'Safe combination', notes: '12-34-56' } },
  ] })`);
  await waitSynced(pageA);
}, 90_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  await server?.close();
});

const kitForm = (p: Page) => p.getByRole('form', { name: 'Recovery kit' });

async function recover(p: Page, lines: string[], password: string) {
  await p.getByRole('tab', { name: 'Recover with a kit' }).click();
  await p.locator('input[name=server]').fill(server.url);
  await p.locator('input[name=email]').fill(email);
  await p.locator('textarea[name=shares]').fill(lines.join('\n'));
  await p.locator('input[name=password]').fill(password);
  await p.locator('input[name=confirm]').fill(password);
  await p.locator('form button[type=submit]').click();
}

describe('recovery kit', () => {
  it('should make a 2-of-3 kit and show it as a printable sheet with a QR code per share', async () => {
    await openSettings(pageA);
    await kitForm(pageA).locator('select[name=kit-threshold]').selectOption('2');
    await kitForm(pageA).locator('select[name=kit-shares]').selectOption('3');
    await kitForm(pageA).getByLabel('Master password to make a recovery kit').fill('wrong one');
    await kitForm(pageA).getByRole('button', { name: 'Make a recovery kit' }).click();
    await expect
      .poll(() => kitForm(pageA).getByRole('alert').textContent())
      .toBe('Wrong master password.');
    await kitForm(pageA).getByLabel('Master password to make a recovery kit').fill(PASSWORD);
    await kitForm(pageA).getByRole('button', { name: 'Make a recovery kit' }).click();
    const sheet = pageA.getByRole('region', { name: 'Emergency sheet' });
    await sheet.waitFor();
    await expect.poll(() => sheet.getByRole('img').count()).toBe(3);
    shares = await sheet.getByTestId('share-text').allTextContents();
    expect(shares).toHaveLength(3);
    for (const s of shares) expect(s).toMatch(/^cofre-kit1\./);
    expect(await sheet.textContent()).toContain(email);
    await sheet.getByTestId('kit-share').first().scrollIntoViewIfNeeded();
    await screenshot(pageA, 'recovery-kit-sheet');
    expect(await kitForm(pageA).getByTestId('recovery-kit').count()).toBe(1);
  }, 60_000);

  it('should regain the vault on a fresh browser with two shares and a new master password', async () => {
    pageB = await openVault(b);
    await recover(pageB, [shares[1]!], NEW_PASSWORD);
    await expect
      .poll(() => pageB.getByRole('alert').textContent())
      .toBe('This kit needs 2 different shares; 1 entered.');
    await recover(pageB, [shares[2]!, shares[0]!], NEW_PASSWORD);
    await pageB.getByRole('navigation', { name: 'Vault' }).waitFor({ timeout: 60_000 });
    await waitSynced(pageB);
    await eventually(async () =>
      expect(await itemNames(pageB)).toEqual(['Bank', 'Safe combination']),
    );
  }, 90_000);

  it('should sign the old device out; it signs in again with the new password', async () => {
    await pageA.getByRole('button', { name: 'Sync now' }).click();
    await eventually(async () =>
      expect(await pageA.getByTestId('sync-status').first().textContent()).toMatch(
        /session: sign in again/,
      ),
    );
    await pageA.getByLabel('Master password', { exact: true }).fill(NEW_PASSWORD);
    await pageA.getByRole('button', { name: 'Sign in again' }).click();
    await waitSynced(pageA);
  }, 60_000);

  it('should stop the kit from working once the account key is rotated', async () => {
    await openSettings(pageA);
    await pageA.getByLabel('Master password to rotate the account key').fill(NEW_PASSWORD);
    await pageA.getByRole('button', { name: 'Rotate key' }).click();
    await expect
      .poll(() => pageA.getByText('New account key made').count(), { timeout: 30_000 })
      .toBe(1);
    await openSettings(pageA);
    await expect.poll(() => kitForm(pageA).getByTestId('recovery-kit').count()).toBe(0);

    await pageB.evaluate(`chrome.runtime.sendMessage({ type: 'signOut' })`);
    await pageB.reload();
    await recover(pageB, shares.slice(0, 2), 'yet another strong passphrase 88');
    await expect
      .poll(() => pageB.getByRole('alert').textContent(), { timeout: 30_000 })
      .toMatch(/The server did not accept this kit/);
  }, 90_000);
});
