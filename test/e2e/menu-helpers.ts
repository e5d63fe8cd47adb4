// The inline menu as a test meets it: its frame (in a closed shadow root; CDP still sees it),
// the moment clicks in it start to count, and a pick of one row.
import type { Frame, Page } from 'playwright-core';
import { expect } from 'vitest';
import { eventually, screenshot } from './cofre-pages.ts';

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
