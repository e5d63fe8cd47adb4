// Page objects for the e2e suite: what a user does in the vault page and the popup, in words a
// test can read. Everything goes through the real UI; the worker is reached only by clicks.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CDPSession, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { LoadedExtension } from './extension.ts';

export const screenshotDir = fileURLToPath(new URL('../../docs/screenshots', import.meta.url));

export async function screenshot(page: Page, name: string) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}

/** Polls until `fn` stops throwing (an assertion) or the time runs out. */
export async function eventually<T>(fn: () => Promise<T>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export async function openVault(ext: LoadedExtension, hash = ''): Promise<Page> {
  const page = await ext.context.newPage();
  await page.goto(`chrome-extension://${ext.extensionId}/vault.html${hash}`);
  return page;
}

export async function openPopup(ext: LoadedExtension): Promise<Page> {
  const page = await ext.context.newPage();
  await page.setViewportSize({ width: 380, height: 560 });
  await page.goto(`chrome-extension://${ext.extensionId}/popup.html`);
  return page;
}

export async function addAuthenticator(ext: LoadedExtension, page: Page): Promise<CDPSession> {
  const cdp = await ext.context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      hasPrf: true,
      automaticPresenceSimulation: true,
    },
  });
  return cdp;
}

export const syncKind = (page: Page) =>
  page.getByTestId('sync-status').first().getAttribute('data-kind');

export async function waitSynced(page: Page, ms = 20_000) {
  await eventually(async () => {
    const badge = page.getByTestId('sync-status').first();
    expect(await badge.getAttribute('data-kind')).toBe('synced');
    expect(await badge.textContent()).toMatch(/Synced|Sincronizado/);
  }, ms);
}

export async function onboard(
  page: Page,
  o: { mode: 'Create account' | 'Sign in'; server: string; email: string; password: string },
) {
  await page.getByRole('tab', { name: o.mode, exact: true }).click();
  await page.locator('input[name=server]').fill(o.server);
  await page.locator('input[name=email]').fill(o.email);
  await page.locator('input[name=password]').fill(o.password);
  if (o.mode === 'Create account') await page.locator('input[name=confirm]').fill(o.password);
  await page.locator('form button[type=submit]').click();
  await page.getByRole('navigation', { name: 'Vault' }).waitFor({ timeout: 60_000 });
}

export type NewItem =
  | {
      type: 'login';
      name: string;
      username?: string;
      password?: string;
      uri?: string;
      totp?: string;
      notes?: string;
    }
  | { type: 'note'; name: string; notes: string }
  | {
      type: 'card';
      name: string;
      cardholderName?: string;
      brand?: string;
      number?: string;
      code?: string;
      expMonth?: string;
      expYear?: string;
    }
  | { type: 'identity'; name: string; [field: string]: string | undefined };

const NEW_ITEM_LABEL = { login: 'Login', note: 'Secure note', card: 'Card', identity: 'Identity' };

/** "+ New item" → the type, from the in-app menu. */
export async function startNewItem(page: Page, type: NewItem['type']) {
  await page.getByRole('button', { name: 'New item' }).click();
  await page.getByRole('menuitem', { name: NEW_ITEM_LABEL[type] }).click();
  await page.getByRole('form', { name: 'Edit item' }).waitFor();
}

/** Answers the in-app confirmation dialog with its button named `button`. */
export async function confirmDialog(page: Page, button: string | RegExp) {
  const dialog = page.getByTestId('confirm-dialog');
  await dialog.waitFor();
  await dialog.getByRole('button', { name: button }).click();
  await dialog.waitFor({ state: 'detached' });
}

export async function addItem(page: Page, item: NewItem) {
  await startNewItem(page, item.type);
  const form = page.getByRole('form', { name: 'Edit item' });
  for (const [k, v] of Object.entries(item)) {
    if (k === 'type' || v === undefined) continue;
    const name = k === 'uri' ? 'uri-0' : k;
    const field = form.locator(`[name="${name}"]`);
    if ((await field.evaluate((el) => el.localName)) === 'select')
      await field.selectOption(String(v));
    else await field.fill(String(v));
  }
  await form.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('article', { name: item.name }).waitFor();
}

export async function openSettings(page: Page) {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('region', { name: 'Settings' }).waitFor();
}

export async function openItem(page: Page, name: string) {
  await page.locator(`[data-testid=item-row][data-name="${name}"] .item-main`).click();
  await page.getByRole('article', { name }).waitFor();
}

export async function editItem(page: Page, name: string, fields: Record<string, string>) {
  await openItem(page, name);
  await page
    .getByRole('article', { name })
    .getByRole('button', { name: 'Edit', exact: true })
    .click();
  const form = page.getByRole('form', { name: 'Edit item' });
  for (const [k, v] of Object.entries(fields)) await form.locator(`[name="${k}"]`).fill(v);
  await form.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('article', { name: fields.name ?? name }).waitFor();
}

export const itemNames = async (page: Page) =>
  (
    await page
      .locator('[data-testid=item-row]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')))
  ).sort();

/** A field's value in the open item, revealed. */
export async function fieldValue(page: Page, label: string) {
  const field = page.locator(`.detail [data-field="${label}"]`).first();
  const reveal = field.getByRole('button', { name: 'Show' });
  if (await reveal.count()) await reveal.click();
  return field.getByTestId(`value-${label}`).textContent();
}

export async function unlock(page: Page, secret: string, mode: 'password' | 'pin' = 'password') {
  const input = page.locator(`form.unlock input[name=${mode}]`);
  await input.fill(secret);
  await page.locator('form.unlock button[type=submit]').click();
}

/** What the system clipboard holds, read from an ordinary page allowed to read it. */
export async function readClipboard(ext: LoadedExtension, origin: string): Promise<string> {
  await ext.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const page = await ext.context.newPage();
  try {
    await page.goto(`${origin}/healthz`);
    await page.bringToFront();
    return await page.evaluate(() => navigator.clipboard.readText());
  } finally {
    await page.close();
  }
}

export { freePort } from '../helpers/load-balancer.ts';

/** Locks from the page's lock button and waits for the unlock form. */
export async function lockNow(p: Page) {
  await p.getByTestId('lock').first().click();
  await p.locator('form.unlock').waitFor();
}

/**
 * Clicks a button that ends its page (Cofre's passkey window closes once it has answered): the
 * page may be gone before Playwright hears the click finish, which is the expected outcome.
 */
export async function lastClick(button: Locator) {
  await button.click().catch((e: Error) => {
    if (!/Target page, context or browser has been closed|Target closed/.test(e.message)) throw e;
  });
}
