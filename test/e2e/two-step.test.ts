// Who may join and two-step sign-in in the built extension, with the real server: a fresh server
// claimed by its first account; a second person who needs an invitation code; an authenticator
// app set up from its QR code (codes made here as the phone would) and a security key (Chromium's
// virtual authenticator); a new browser asked for the second step, remembered, then unlocking
// offline with the password alone; a locked account's owner getting in with a recovery code.
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignupInvitation } from '../../server/services/signups.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import {
  addAuthenticator,
  confirmDialog,
  eventually,
  freePort,
  lockNow,
  onboard,
  openSettings,
  openVault,
  screenshot,
  unlock,
  waitSynced,
} from './cofre-pages.ts';
import { type LoadedExtension, launchExtension } from './extension.ts';

const PASSWORD = 'correct horse battery staple 42!';
const email = `owner-${Date.now()}@example.com`;

let db: TestDb;
let port: number;
let server: TestServer | null = null;
let a: LoadedExtension;
let b: LoadedExtension;
let c: LoadedExtension;
let pageA: Page;
let secret = '';
let recoveryCodes: string[] = [];

const serverUrl = () => `http://127.0.0.1:${port}`;
// SIGNUPS unset: the first account claims the server, invitations after.
const startServer = async () => {
  server = await startTestServer({ SIGNUPS: '' }, db, port);
};
const stopServer = async () => {
  await server?.server.close();
  server = null;
};
/** The code the phone shows `steps` steps from now. */
const code = (steps = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
    timestamp: Date.now() + steps * 30_000,
  });

async function signOut(page: Page) {
  await openSettings(page);
  await page.getByRole('button', { name: 'Sign out and remove local data' }).click();
  await confirmDialog(page, 'Sign out');
  await page.getByRole('tab', { name: 'Sign in', exact: true }).waitFor();
}

beforeAll(async () => {
  db = await createTestDb();
  port = await freePort();
  await startServer();
  [a, b, c] = await Promise.all([launchExtension(), launchExtension(), launchExtension()]);
  pageA = await openVault(a);
  await onboard(pageA, { mode: 'Create account', server: serverUrl(), email, password: PASSWORD });
  await pageA.evaluate(`chrome.runtime.sendMessage({ type: 'importItems', skipDuplicates: false, items: [
    { folder: null, body: { type: 'login', name: 'Bank', username: 'ana', password: 'bank-pw' } },
  ] })`);
  await waitSynced(pageA);
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.close(), b?.close(), c?.close()]);
  await stopServer();
  await db?.drop();
});

describe('who may join, in the extension', () => {
  it('should ask a second person for an invitation code, refuse a wrong one in words, and take the right one', async () => {
    const page = await openVault(c);
    await page.getByRole('tab', { name: 'Create account', exact: true }).click();
    await page.locator('input[name=server]').fill(serverUrl());
    const field = page.locator('input[name=invitation]');
    await field.waitFor();
    expect(await field.getAttribute('required')).not.toBeNull();
    await page.locator('input[name=email]').fill('ben@example.com');
    await page.locator('input[name=password]').fill(PASSWORD);
    await page.locator('input[name=confirm]').fill(PASSWORD);
    await field.fill('AAAA-BBBB-CCCC-DDDD');
    await page.locator('form button[type=submit]').click();
    await expect
      .poll(() => page.getByRole('alert').first().textContent(), { timeout: 60_000 })
      .toMatch(/This invitation code does not work/);
    await screenshot(page, 'signup-invitation');
    const inv = await createSignupInvitation(db.database.db, {
      email: 'ben@example.com',
      kind: 'admin',
      createdBy: null,
    });
    await field.fill(inv.code.toLowerCase());
    await page.locator('form button[type=submit]').click();
    await page.getByRole('navigation', { name: 'Vault' }).waitFor({ timeout: 60_000 });
    await page.close();
  });
});

describe('two-step sign-in, in the extension', () => {
  it('should set up an authenticator app from its QR code and a security key, and show ten recovery codes once', async () => {
    await openSettings(pageA);
    const panel = pageA.getByRole('region', { name: 'Two-step sign-in' });
    await expect.poll(() => panel.getByTestId('two-step-state').textContent()).toMatch(/^Off/);
    await panel.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await panel.locator('input[name=two-step-password]').fill('not my password');
    await panel.getByRole('button', { name: 'Continue' }).click();
    await expect
      .poll(() => panel.getByRole('alert').textContent())
      .toMatch(/Wrong master password/);
    await panel.locator('input[name=two-step-password]').fill(PASSWORD);
    await panel.getByRole('button', { name: 'Continue' }).click();
    const qr = panel.getByRole('img', { name: 'QR code of the secret for your authenticator app' });
    await qr.waitFor({ timeout: 30_000 });
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    secret = ((await panel.getByTestId('totp-secret').textContent()) ?? '').replaceAll(' ', '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await screenshot(pageA, 'two-step-setup');
    await panel.locator('input[name=totp-confirm]').fill(code());
    await panel.getByRole('button', { name: 'Turn on' }).click();
    const codes = panel.getByTestId('recovery-codes').locator('li');
    await expect.poll(() => codes.count()).toBe(10);
    recoveryCodes = await codes.allTextContents();
    for (const rc of recoveryCodes) expect(rc).toMatch(/^([A-Z0-9]{4}-){3}[A-Z0-9]{4}$/);
    await screenshot(pageA, 'two-step-recovery-codes');
    await panel.getByRole('button', { name: 'I have saved them' }).click();
    await expect.poll(() => panel.getByTestId('two-step-state').textContent()).toMatch(/^On/);
    expect(await panel.getByTestId('recovery-codes-left').textContent()).toMatch(/10 codes left/);

    await addAuthenticator(a, pageA);
    await panel.getByRole('button', { name: 'Add a security key' }).click();
    await expect.poll(() => panel.getByTestId('security-key').count(), { timeout: 30_000 }).toBe(1);
    await screenshot(pageA, 'two-step-settings');
  });

  it('should ask a new browser for the second step, remember it, and unlock it offline with the password alone', async () => {
    const page = await openVault(b);
    await page.getByRole('tab', { name: 'Sign in', exact: true }).click();
    await page.locator('input[name=server]').fill(serverUrl());
    await page.locator('input[name=email]').fill(email);
    await page.locator('input[name=password]').fill(PASSWORD);
    await page.locator('form button[type=submit]').click();
    const step = page.getByRole('form', { name: 'Two-step sign-in' });
    await step.waitFor({ timeout: 60_000 });
    expect(await step.textContent()).toMatch(/even offline/);
    await screenshot(page, 'two-step-sign-in');
    await step.locator('input[name=second-factor-code]').fill('000000');
    await step.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => step.getByRole('alert').textContent()).toMatch(/not accepted/);
    // The code of the next step (the current one was used to turn the app on).
    await step.locator('input[name=second-factor-code]').fill(code(1));
    await step.locator('input[name=remember-browser]').check();
    await step.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('navigation', { name: 'Vault' }).waitFor({ timeout: 60_000 });
    await waitSynced(page);
    await expect.poll(() => page.getByText('Bank').count()).toBeGreaterThan(0);

    // The factor gates the server session only: with the server down, the password unlocks.
    await lockNow(page);
    await stopServer();
    try {
      await unlock(page, PASSWORD);
      await page.getByRole('navigation', { name: 'Vault' }).waitFor({ timeout: 30_000 });
      await expect.poll(() => page.getByText('Bank').count()).toBeGreaterThan(0);
    } finally {
      await startServer();
    }
    // It is listed as remembered, on the first browser too.
    await openSettings(pageA);
    const panel = pageA.getByRole('region', { name: 'Two-step sign-in' });
    await eventually(async () => {
      await pageA.reload();
      await openSettings(pageA);
      expect(await panel.getByTestId('remembered-browser').count()).toBe(1);
    }, 30_000);
    await page.close();
  });

  it('should sign a browser in with the security key as the second step', async () => {
    // The first browser holds the virtual authenticator: sign it out and in again there.
    await signOut(pageA);
    await pageA.getByRole('tab', { name: 'Sign in', exact: true }).click();
    await pageA.locator('input[name=server]').fill(serverUrl());
    await pageA.locator('input[name=email]').fill(email);
    await pageA.locator('input[name=password]').fill(PASSWORD);
    await pageA.locator('form button[type=submit]').click();
    const step = pageA.getByRole('form', { name: 'Two-step sign-in' });
    await step.waitFor({ timeout: 60_000 });
    await step.getByRole('button', { name: 'Use a security key or passkey' }).click();
    await pageA.getByRole('navigation', { name: 'Vault' }).waitFor({ timeout: 60_000 });
    await waitSynced(pageA);
  });

  it('should have a new account on a server that requires two-step sign-in set it up before it syncs', async () => {
    const strict = await startTestServer({ REQUIRE_2FA: 'true' });
    const d = await launchExtension();
    try {
      const page = await openVault(d);
      await onboard(page, {
        mode: 'Create account',
        server: strict.url,
        email: `strict-${Date.now()}@example.com`,
        password: PASSWORD,
      });
      await expect
        .poll(() => page.getByTestId('sync-status').first().getAttribute('title'), {
          timeout: 30_000,
        })
        .toMatch(/requires two-step sign-in/);
      await openSettings(page);
      const panel = page.getByRole('region', { name: 'Two-step sign-in' });
      expect(await panel.getByRole('alert').first().textContent()).toMatch(
        /requires two-step sign-in: set it up to keep syncing/,
      );
      await panel.getByRole('button', { name: 'Set up an authenticator app' }).click();
      await panel.locator('input[name=two-step-password]').fill(PASSWORD);
      await panel.getByRole('button', { name: 'Continue' }).click();
      const shown = panel.getByTestId('totp-secret');
      await shown.waitFor({ timeout: 30_000 });
      const own = new TOTP({
        secret: Secret.fromBase32(((await shown.textContent()) ?? '').replaceAll(' ', '')),
      });
      await panel.locator('input[name=totp-confirm]').fill(own.generate());
      await panel.getByRole('button', { name: 'Turn on' }).click();
      await panel.getByRole('button', { name: 'I have saved them' }).click();
      await page.getByRole('button', { name: 'Sync now' }).click();
      await waitSynced(page, 30_000);
    } finally {
      await d.close();
      await strict.close();
    }
  });

  it('should let a locked account’s owner in with the password and a recovery code', async () => {
    const page = await openVault(c);
    // Signed in as Ben in this browser (the first test): sign out first.
    await signOut(page);
    await page.getByRole('tab', { name: 'Sign in', exact: true }).click();
    await page.locator('input[name=server]').fill(serverUrl());
    await page.locator('input[name=email]').fill(email);
    // Someone guessed: ten wrong passwords lock the account.
    for (let i = 0; i < 10; i++) {
      await page.locator('input[name=password]').fill(`wrong guess ${i} of a password`);
      await page.locator('form button[type=submit]').click();
      await expect
        .poll(() => page.getByRole('alert').first().textContent(), { timeout: 60_000 })
        .toMatch(/Wrong email or password|Too many wrong passwords/);
      await page.getByRole('progressbar').waitFor({ state: 'detached' });
    }
    await page.locator('input[name=password]').fill(PASSWORD);
    await page.locator('form button[type=submit]').click();
    await expect
      .poll(() => page.getByRole('alert').first().textContent(), { timeout: 60_000 })
      .toMatch(/locked it for a while/);
    const lockedCode = page.locator('input[name=locked-code]');
    await lockedCode.waitFor();
    await screenshot(page, 'account-locked');
    await lockedCode.fill(recoveryCodes[0]!);
    await page.locator('form button[type=submit]').click();
    await page.getByRole('navigation', { name: 'Vault' }).waitFor({ timeout: 60_000 });
    await page.close();
  });
});
