// A vault longer than any page of rows: 3,000 logins imported from a CSV. The vault page and the
// popup draw only the rows in view (no cap on what can be reached), fetch the rest from the
// worker as the person scrolls, tell assistive technology each row's place in the whole list,
// and walk the whole list from the keyboard.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import {
  editItem,
  eventually,
  fieldValue,
  onboard,
  openItem,
  openPopup,
  openVault,
  waitSynced,
} from './cofre-pages.ts';
import { type LoadedExtension, launchExtension } from './extension.ts';

const PASSWORD = 'correct horse battery staple 42!';
const N = 3_000;
const name = (i: number) => `Site ${String(i).padStart(4, '0')}`;

const email = `long-${Date.now()}@example.com`;

let server: TestServer;
let ext: LoadedExtension;
let page: Page;

const rows = (p: Page) => p.locator('[data-testid=item-row]');
const focusedRow = (p: Page) =>
  p.evaluate(() =>
    document.activeElement?.closest('[data-testid=item-row]')?.getAttribute('data-name'),
  );

beforeAll(async () => {
  server = await startTestServer();
  ext = await launchExtension();
  page = await openVault(ext);
  await page.setViewportSize({ width: 1100, height: 700 });
  await onboard(page, {
    mode: 'Create account',
    server: server.url,
    email,
    password: PASSWORD,
  });
  // Written in reverse: the list's order is its own (by name), not the file's.
  const lines = Array.from({ length: N }, (_, k) => {
    const i = N - k;
    return `${name(i)},https://site${i}.example.com/login,user${i},pass-${i}`;
  });
  await page.getByRole('button', { name: 'Import and export' }).click();
  const form = page.getByRole('form', { name: 'Import' });
  await form.getByLabel('File to import').setInputFiles({
    name: 'Chrome Passwords.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`name,url,username,password\n${lines.join('\n')}\n`),
  });
  await form.getByRole('button', { name: 'Read file' }).click();
  await page.getByRole('button', { name: 'Import 3,000 items' }).click();
  await form.getByTestId('import-report').filter({ hasText: 'Imported 3,000 items.' }).waitFor({
    timeout: 90_000,
  });
  await waitSynced(page, 90_000);
  await page.getByRole('button', { name: 'All items' }).click();
}, 180_000);

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe('a list of 3,000 items', () => {
  it('should draw only the rows in view, each telling its place in the whole list', async () => {
    await expect.poll(() => rows(page).first().getAttribute('data-name')).toBe(name(1));
    const drawn = await rows(page).count();
    expect(drawn).toBeGreaterThan(5);
    expect(drawn).toBeLessThan(60);
    expect(await rows(page).first().getAttribute('aria-setsize')).toBe(String(N));
    expect(await rows(page).first().getAttribute('aria-posinset')).toBe('1');
    // No cap: nothing says "refine the search" to reach the rest.
    expect(await page.getByText(/Showing \d/).count()).toBe(0);
  });

  it('should fetch the rows scrolled to, anywhere in the list, and open them', async () => {
    const pane = page.locator('.list-scroll');
    // Straight to the middle: the rows there arrive from the worker (placeholders meanwhile).
    await pane.evaluate((el) => {
      el.scrollTop = el.scrollHeight / 2;
    });
    await expect
      .poll(async () => {
        const names = await rows(page).evaluateAll((r) =>
          r.map((x) => x.getAttribute('data-name')),
        );
        return names.some((n) => n && Math.abs(Number(n.slice(5)) - N / 2) < 40);
      })
      .toBe(true);
    expect(await page.locator('.item-row.waiting').count()).toBe(0);
    await pane.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    const last = rows(page).filter({ has: page.getByText(name(N), { exact: true }) });
    await last.waitFor();
    expect(await last.getAttribute('aria-posinset')).toBe(String(N));
    await last.locator('.item-main').click();
    await page.getByRole('heading', { name: name(N) }).waitFor();
    expect(await rows(page).count()).toBeLessThan(60);
  });

  it('should walk the whole list from the keyboard: arrows, Home and End', async () => {
    await page.getByLabel('Search', { exact: true }).focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => focusedRow(page)).toBe(name(1));
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => focusedRow(page)).toBe(name(2));
    await page.keyboard.press('End');
    await expect.poll(() => focusedRow(page)).toBe(name(N));
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => focusedRow(page)).toBe(name(N - 1));
    await page.keyboard.press('Home');
    await expect.poll(() => focusedRow(page)).toBe(name(1));
    await page.keyboard.press('ArrowUp');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('type')))
      .toBe('search');
  });

  it('should search the whole list, narrowing as the person types', async () => {
    const box = page.getByLabel('Search', { exact: true });
    const size = () => rows(page).first().getAttribute('aria-setsize');
    await box.fill('site 299');
    await expect.poll(size).not.toBe(String(N));
    const wider = Number(await size());
    expect(wider).toBeGreaterThan(10);
    await box.press('5');
    await expect.poll(size).toBe('1');
    expect(await rows(page).evaluateAll((r) => r.map((x) => x.getAttribute('data-name')))).toEqual([
      name(2995),
    ]);
    // Deleting a character widens it again (not narrowed from the last answer).
    await box.press('Backspace');
    await expect.poll(size).toBe(String(wider));
    await box.fill('');
    await expect.poll(size).toBe(String(N));
  });

  it('should keep the popup light too, with the keyboard selection kept in view', async () => {
    const popup = await openPopup(ext);
    await popup.setViewportSize({ width: 380, height: 560 });
    await rows(popup).first().waitFor();
    expect(await rows(popup).count()).toBeLessThan(30);
    const search = popup.getByRole('searchbox');
    await expect.poll(() => rows(popup).first().getAttribute('data-name')).toBe(name(1));
    for (let i = 0; i < 40; i++) await search.press('ArrowDown');
    const selected = popup.locator('[data-testid=item-row].selected');
    await expect.poll(() => selected.getAttribute('data-name')).toBe(name(41));
    expect(await selected.isVisible()).toBe(true);
    const inView = await selected.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const list = el.closest('.popup-list')!.getBoundingClientRect();
      return box.top >= list.top - 1 && box.bottom <= list.bottom + 1;
    });
    expect(inView).toBe(true);
    // A new search is a new list: drawn from its top, with its first row selected.
    await search.fill('site 1');
    await expect.poll(() => popup.locator('.popup-list').evaluate((el) => el.scrollTop)).toBe(0);
    await expect.poll(() => selected.getAttribute('data-name')).toBe(name(1));
    // Typed fast, the last keystroke's rows show; Escape empties the box and brings the whole
    // list back.
    await search.fill('');
    await search.pressSequentially('site 12');
    const names = () => rows(popup).evaluateAll((r) => r.map((x) => x.getAttribute('data-name')));
    await expect.poll(async () => (await names()).every((n) => n?.includes('12'))).toBe(true);
    await search.press('Escape');
    expect(await search.inputValue()).toBe('');
    await expect.poll(() => rows(popup).first().getAttribute('data-name')).toBe(name(1));
    await expect.poll(() => rows(popup).count()).toBeGreaterThan(5);
    await popup.close();
  });

  it('should ask for the rows once per edit, and not again when the server acknowledges it', async () => {
    // Every request the page makes and every broadcast it hears, in order. The listener here is
    // added last, so it runs after the page's own: what they asked for a broadcast is logged
    // before the broadcast's line.
    await page.evaluate(() => {
      const { chrome } = globalThis as unknown as { chrome: typeof import('wxt/browser').browser };
      const log: string[] = [];
      (window as unknown as { cofreLog: string[] }).cofreLog = log;
      const runtime = chrome.runtime as unknown as { sendMessage: (...a: unknown[]) => unknown };
      const send = runtime.sendMessage.bind(runtime);
      runtime.sendMessage = (m: unknown, ...rest: unknown[]) => {
        log.push(`ask ${(m as { type: string }).type}`);
        return send(m, ...rest);
      };
      chrome.runtime.onMessage.addListener((m: unknown) => {
        const b = m as { type?: string; items?: boolean };
        if (b?.type === 'cofre:state-changed') log.push(`told ${b.items ? 'items' : 'state'}`);
      });
    });
    const log = () => page.evaluate(() => (window as unknown as { cofreLog: string[] }).cofreLog);
    const saved: { id: string } = await page.evaluate(() =>
      (globalThis as unknown as { chrome: typeof import('wxt/browser').browser }).chrome.runtime
        .sendMessage({
          type: 'saveItem',
          id: null,
          body: { type: 'login', name: 'Site 0000 edited', password: 'fresh' },
        })
        .then((a: { data: { id: string } }) => a.data),
    );
    // The save changes the list; the acknowledgement only the count of edits waiting.
    await expect.poll(log, { timeout: 30_000 }).toContain('told state');
    await waitSynced(page);
    const told = await log();
    // The save's broadcast asked for the rows (once); the acknowledgement's only for the state,
    // and the sync's end told nothing more (the landed edit is the same ciphertext).
    const save = told.indexOf('told items');
    expect(told.slice(0, save)).toContain('ask listItems');
    const after = told.slice(save + 1);
    expect(after).toContain('told state');
    expect(after.filter((l) => l.startsWith('ask ') && l !== 'ask getState')).toEqual([]);
    expect(after).not.toContain('told items');
    await page.evaluate(
      (id) =>
        (
          globalThis as unknown as { chrome: typeof import('wxt/browser').browser }
        ).chrome.runtime.sendMessage({ type: 'trashItem', id }),
      saved.id,
    );
  });

  it('should keep what a sync brings in chunks, and sync edits of chunked items both ways with a second device', async () => {
    // How a device's store holds its records: chunk rows (server copies that came together)
    // and rows of their own, read from the vault's database in the extension's origin.
    const rowsOf = (p: Page) =>
      p.evaluate(async () => {
        const name = (await indexedDB.databases())
          .map((d) => d.name ?? '')
          .find((n) => n.startsWith('cofre-vault-'));
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const open = indexedDB.open(name!);
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        const count = (store: string) =>
          new Promise<number>((resolve, reject) => {
            const q = db.transaction(store).objectStore(store).count();
            q.onsuccess = () => resolve(q.result);
            q.onerror = () => reject(q.error);
          });
        const out = { chunks: await count('chunks'), records: await count('records') };
        db.close();
        return out;
      });
    // The import's pushes were acknowledged in batches: their server copies are chunks.
    const mine = await rowsOf(page);
    expect(mine.chunks).toBeGreaterThan(0);
    expect(mine.records).toBeLessThan(N / 2);

    const other = await launchExtension();
    try {
      const pageB = await openVault(other);
      await pageB.setViewportSize({ width: 1100, height: 700 });
      await onboard(pageB, { mode: 'Sign in', server: server.url, email, password: PASSWORD });
      // "Synced" only once the first sync is over (a new device is syncing from the start).
      await waitSynced(pageB, 90_000);
      // A first sync writes its pages as chunks: 3,000 records in a dozen rows, none of their own.
      const theirs = await rowsOf(pageB);
      expect(theirs.chunks).toBeGreaterThanOrEqual(N / 250);
      expect(theirs.chunks).toBeLessThan(N / 100);
      expect(theirs.records).toBeLessThan(10);
      await pageB.getByRole('button', { name: 'All items' }).click();
      await expect.poll(() => rows(pageB).first().getAttribute('aria-setsize')).toBe(String(N));

      // Each device edits an item its store holds in a chunk; each sees the other's edit.
      const search = async (p: Page, q: string) => {
        await p.getByLabel('Search', { exact: true }).fill(q);
        await expect.poll(() => rows(p).first().getAttribute('aria-setsize')).toBe('1');
      };
      await search(pageB, name(1500));
      await editItem(pageB, name(1500), { username: 'edited-on-b' });
      await waitSynced(pageB);
      await search(page, name(1501));
      await editItem(page, name(1501), { username: 'edited-on-a' });
      await waitSynced(page);
      for (const [p, item, value] of [
        [page, name(1500), 'edited-on-b'],
        [pageB, name(1501), 'edited-on-a'],
      ] as const) {
        await eventually(async () => {
          await p.getByRole('button', { name: 'Sync now' }).click();
          await waitSynced(p);
          await search(p, item);
          await openItem(p, item);
          expect(await fieldValue(p, 'username')).toBe(value);
        }, 30_000);
      }
      // The edits live in rows of their own, over the chunks.
      expect((await rowsOf(pageB)).records).toBeGreaterThanOrEqual(1);
    } finally {
      await other.close();
    }
  }, 180_000);
});
