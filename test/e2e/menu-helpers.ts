// The inline menu as a test meets it: its frame (in a closed shadow root; CDP still sees it),
// the moment clicks in it start to count, and a pick of one row — and the world the autofill
// e2e files run in (a server, the fixture sites, a signed-up browser).
import type { Frame, Page } from 'playwright-core';
import { expect } from 'vitest';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { startTestServer } from '../helpers/test-server.ts';
import { addItem, eventually, onboard, openVault, screenshot } from './cofre-pages.ts';
import { type LoadedExtension, launchExtension } from './extension.ts';
import { HOST_RULES, startFixtureSites } from './fixture-sites.ts';

/** The inline menu's frame in `page`, once it is there. */
export async function menuFrame(page: Page): Promise<Frame> {
  return eventually(async () => {
    const f = page.frames().find((x) => x.url().includes('/inline-menu.html#'));
    expect(f, 'inline menu').toBeTruthy();
    return f!;
  }, 8_000);
}

export const menuOpen = (page: Page) =>
  page.frames().some((x) => x.url().includes('/inline-menu.html#'));

/** Waits until the menu has been fully visible long enough for a click to count. */
export async function settled(frame: Frame) {
  await frame.locator('body[data-visible=true]').waitFor({ timeout: 8_000 });
}

/** Clicks `field`, waits for the menu, and clicks the row naming `itemName`. */
export async function pick(page: Page, field: string, itemName: string, shot?: string) {
  await page.locator(field).click();
  const menu = await menuFrame(page);
  const row = menu.getByRole('button', { name: new RegExp(itemName) });
  await row.waitFor();
  await settled(menu);
  if (shot) await screenshot(page, shot);
  await row.click();
  return menu;
}

/** Nothing happened for a while: the negative cases wait this long before asserting. */
export const quiet = (page: Page, ms = 1_500) => page.waitForTimeout(ms);

/** What an autofill e2e file runs against: a server, the fixture sites, one signed-up browser. */
export interface AutofillWorld {
  ext: LoadedExtension;
  sites: Awaited<ReturnType<typeof startFixtureSites>>;
  vault: Page;
  /** A fixture site's URL. */
  at(host: string, path?: string): string;
  openSite(url: string): Promise<Page>;
  /** Saves logins through the vault page: [name, username, password, uri, totp?]. */
  addLogins(logins: Array<[string, string, string, string, string?]>): Promise<void>;
  close(): Promise<void>;
}

export async function startAutofillWorld(name: string, password: string): Promise<AutofillWorld> {
  const db: TestDb = await createTestDb();
  const server = await startTestServer({}, db, 0);
  const sites = await startFixtureSites();
  const ext = await launchExtension({ args: [HOST_RULES] });
  const vault = await openVault(ext);
  await onboard(vault, {
    mode: 'Create account',
    server: server.url,
    email: `${name}-${Date.now()}@example.com`,
    password,
  });
  return {
    ext,
    sites,
    vault,
    at: (host, path = '/') => sites.url(host, path),
    async openSite(url) {
      const page = await ext.context.newPage();
      await page.goto(url);
      return page;
    },
    async addLogins(logins) {
      for (const [itemName, username, pw, uri, totp] of logins)
        await addItem(vault, {
          type: 'login',
          name: itemName,
          username,
          password: pw,
          uri,
          ...(totp ? { totp } : {}),
        });
    },
    async close() {
      await ext.close();
      await sites.close();
      await server.server.close();
      await db.drop();
    },
  };
}
