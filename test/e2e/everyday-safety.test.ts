// Everyday use, through the real UI of the built extension and the real server: nothing is
// revealed, deleted or discarded by surprise. Two browsers on one account: reveal resets, every
// destructive action asks in an in-app dialog, a trash move can be undone and the trash keeps
// items 30 days, the editor guards unsaved changes, generated passwords are kept (and synced),
// a password both devices changed offline is reviewed with each side named, a device removed
// from another erases itself and says why, and the lock screen is never a dead end.
import { createServer as createHttpServer } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solidPng } from '../../extension/ui/png.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import {
  addItem,
  confirmDialog,
  eventually,
  fieldValue,
  freePort,
  itemNames,
  lockNow,
  onboard,
  openItem,
  openPopup,
  openSettings,
  openVault,
  screenshot,
  waitSynced,
} from './cofre-pages.ts';
import { type LoadedExtension, launchExtension } from './extension.ts';

const PASSWORD = 'correct horse battery staple 42!';
/** The master password after device B changes it ("two browsers"). */
const CHANGED_PASSWORD = 'another long master passphrase 12';
const email = `everyday-${Date.now()}@example.com`;
const TOTP = 'JBSWY3DPEHPK3PXP';

let db: TestDb;
let port: number;
let server: TestServer | null = null;
let a: LoadedExtension;
let b: LoadedExtension;
let page: Page;
let pageB: Page;

const serverUrl = () => `http://127.0.0.1:${port}`;
const startServer = async () => {
  server = await startTestServer({}, db, port);
};
const stopServer = async () => {
  await server?.server.close();
  server = null;
};
const send = (p: Page, message: Record<string, unknown>) =>
  p.evaluate(
    (m) =>
      (
        globalThis as unknown as {
          chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } };
        }
      ).chrome.runtime.sendMessage(m),
    message,
  );
/** Uncaught exceptions of the vault page: none, ever (checked at the end). */
const pageErrors: string[] = [];
const detail = (p: Page, name: string) => p.getByRole('article', { name });
const focused = (p: Page) =>
  p.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { tag: el?.tagName ?? '', cls: el?.className ?? '', text: el?.textContent ?? '' };
  });

beforeAll(async () => {
  db = await createTestDb();
  port = await freePort();
  await startServer();
  a = await launchExtension();
  b = await launchExtension();
}, 60_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  await stopServer();
  await db?.drop();
});

describe('one browser', () => {
  it('should refuse a guessable master password and say why', async () => {
    page = await openVault(a);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.getByRole('tab', { name: 'Create account', exact: true }).click();
    await page.locator('input[name=server]').fill(serverUrl());
    await page.locator('input[name=email]').fill(email);
    for (const [weak, reason] of [
      ['qwerty2024juan', /Too easy to guess/],
      ['Tr0ub4dor&3', /at least 12 characters \(this one has 11\)/],
    ] as const) {
      await page.locator('input[name=password]').fill(weak);
      await page.locator('input[name=confirm]').fill(weak);
      await page.locator('form button[type=submit]').click();
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(reason);
    }
    // A server that answers but is not Cofre is named as such, not as unreachable.
    const other = createHttpServer((_req, res) => res.end('<html>It works!</html>'));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const otherUrl = `http://127.0.0.1:${(other.address() as { port: number }).port}`;
    await page.locator('input[name=server]').fill(otherUrl);
    await page.locator('input[name=password]').fill(PASSWORD);
    await page.locator('input[name=confirm]').fill(PASSWORD);
    await page.locator('form button[type=submit]').click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe(`Something answers at ${otherUrl}, but it is not a Cofre server. Check the address.`);
    await new Promise((r) => other.close(r));
    await onboard(page, { mode: 'Create account', server: serverUrl(), email, password: PASSWORD });
    await waitSynced(page);
  }, 90_000);

  it('should hide a revealed password again when another item opens', async () => {
    await addItem(page, {
      type: 'login',
      name: 'Bank',
      username: 'ana',
      password: 'b4nk-Secret!',
      uri: 'https://bank.example.com',
      totp: TOTP,
    });
    await addItem(page, {
      type: 'login',
      name: 'Mail',
      username: 'ana@mail',
      password: 'm41l-pw!',
    });
    await openItem(page, 'Bank');
    // Only what a person reads: no bookkeeping field (the device of the last edit) is listed.
    const text = (await detail(page, 'Bank').textContent()) ?? '';
    expect(text).not.toMatch(/editedBy|\[object/);
    const show = detail(page, 'Bank').getByRole('button', { name: 'Show Password' });
    await show.click();
    expect(await page.getByTestId('value-password').textContent()).toBe('b4nk-Secret!');
    await openItem(page, 'Mail');
    expect(await page.getByTestId('value-password').textContent()).toBe('••••••••••');
    expect(
      await detail(page, 'Mail')
        .getByRole('button', { name: 'Show Password' })
        .getAttribute('aria-pressed'),
    ).toBe('false');
    await openItem(page, 'Bank');
    expect(await page.getByTestId('value-password').textContent()).toBe('••••••••••');
  }, 60_000);

  it('should name what each copy button copies, and count the TOTP period down', async () => {
    const bank = detail(page, 'Bank');
    for (const name of ['Copy Username', 'Copy Password', 'Copy TOTP'])
      expect(await bank.getByRole('button', { name, exact: true }).count()).toBe(1);
    const clock = page.getByTestId('totp-remaining');
    const first = Number(await clock.getAttribute('data-remaining'));
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThanOrEqual(30);
    // It moves: a later reading differs (down by the seconds passed, or a new period).
    await eventually(async () =>
      expect(Number(await clock.getAttribute('data-remaining'))).not.toBe(first),
    );
    expect(await clock.getAttribute('title')).toMatch(/^\d+ seconds? left$/);
  }, 30_000);

  it('should offer Undo after a move to the trash, and keep focus in the list', async () => {
    await openItem(page, 'Mail');
    await detail(page, 'Mail').getByRole('button', { name: 'Move to trash' }).click();
    const toast = page.getByTestId('toast');
    await expect.poll(() => toast.textContent()).toMatch(/“Mail” moved to the trash/);
    await eventually(async () => expect(await itemNames(page)).toEqual(['Bank']));
    // Focus went to the list, not to <body>.
    expect((await focused(page)).cls).toContain('item-main');
    await toast.getByRole('button', { name: 'Undo' }).click();
    await eventually(async () => expect(await itemNames(page)).toEqual(['Bank', 'Mail']));
  }, 30_000);

  it('should ask in the page before deleting forever, and show the 30 days of the trash', async () => {
    await openItem(page, 'Mail');
    await detail(page, 'Mail').getByRole('button', { name: 'Move to trash' }).click();
    await page.getByRole('button', { name: 'Trash', exact: true }).click();
    await eventually(async () => expect(await itemNames(page)).toEqual(['Mail']));
    await openItem(page, 'Mail');
    expect(await page.getByTestId('trash-notice').textContent()).toMatch(
      /deleted for good in 30 days/,
    );
    await detail(page, 'Mail').getByRole('button', { name: 'Delete forever' }).click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.waitFor();
    // A real modal dialog, with Cancel focused: Enter on it destroys nothing.
    expect(await dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
    expect((await focused(page)).text).toBe('Cancel');
    await screenshot(page, 'confirm-delete');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await itemNames(page)).toEqual(['Mail']);
    await detail(page, 'Mail').getByRole('button', { name: 'Delete forever' }).click();
    await confirmDialog(page, 'Delete forever');
    await eventually(async () => expect(await itemNames(page)).toEqual([]));
  }, 30_000);

  it('should delete for good what has been in the trash longer than 30 days', async () => {
    await page.getByRole('button', { name: 'All items' }).click();
    await addItem(page, { type: 'note', name: 'Old note', notes: 'from last year' });
    // Thirty-one days in the trash, as the worker's own message API writes it (no clock to
    // move in a browser): the next unlock deletes it for good.
    const listed = (await send(page, {
      type: 'listItems',
      query: 'Old note',
      filter: { kind: 'all' },
    })) as { data: { items: Array<{ id: string }> } };
    const id = listed.data.items[0]!.id;
    const got = (await send(page, { type: 'getItem', id })) as {
      data: { body: Record<string, unknown> };
    };
    const longAgo = new Date(Date.now() - 31 * 86_400_000).toISOString();
    await send(page, { type: 'saveItem', id, body: { ...got.data.body, trashedAt: longAgo } });
    // Opening the trash deletes what has been there too long (so does every unlock).
    await page.getByRole('button', { name: 'Trash', exact: true }).click();
    await eventually(async () => expect(await itemNames(page)).toEqual([]));
    await page.getByRole('button', { name: 'All items' }).click();
    await eventually(async () => expect(await itemNames(page)).toEqual(['Bank']));
  }, 60_000);

  it('should ask before leaving an editor with unsaved changes', async () => {
    await addItem(page, { type: 'note', name: 'Recipe', notes: 'flour' });
    await openItem(page, 'Bank');
    await detail(page, 'Bank').getByRole('button', { name: 'Edit', exact: true }).click();
    const form = page.getByRole('form', { name: 'Edit item' });
    await form.locator('[name=username]').fill('ana-edited');
    await page.locator('[data-testid=item-row][data-name="Recipe"] .item-main').click();
    const dialog = page.getByTestId('confirm-dialog');
    await expect.poll(() => dialog.locator('h2').textContent()).toBe('Discard unsaved changes?');
    await confirmDialog(page, 'Keep editing');
    expect(await form.locator('[name=username]').inputValue()).toBe('ana-edited');
    await page.locator('[data-testid=item-row][data-name="Recipe"] .item-main').click();
    await confirmDialog(page, 'Discard changes');
    await detail(page, 'Recipe').waitFor();
    await openItem(page, 'Bank');
    expect(await fieldValue(page, 'username')).toBe('ana');
    // An editor left unchanged asks nothing.
    await detail(page, 'Bank').getByRole('button', { name: 'Edit', exact: true }).click();
    await page.locator('[data-testid=item-row][data-name="Recipe"] .item-main').click();
    await detail(page, 'Recipe').waitFor();
  }, 30_000);

  it('should keep every generated password in a history, with the site it was made for', async () => {
    await openItem(page, 'Bank');
    await detail(page, 'Bank').getByRole('button', { name: 'Edit', exact: true }).click();
    const form = page.getByRole('form', { name: 'Edit item' });
    const made: string[] = [];
    for (let i = 0; i < 2; i++) {
      await form.getByRole('button', { name: 'Generate a password' }).click();
      made.push(await form.locator('[name=password]').inputValue());
    }
    // The first one was replaced before saving: it is still in the history.
    await form.getByRole('button', { name: 'Save' }).click();
    await detail(page, 'Bank').waitFor();
    await page.getByRole('button', { name: 'Generator' }).click();
    const entries = page.getByTestId('generated-entry');
    await eventually(async () => expect(await entries.count()).toBe(2));
    expect(await entries.first().textContent()).toMatch(/bank\.example\.com · Bank/);
    for (let i = 0; i < 2; i++) {
      await entries.nth(i).getByRole('button', { name: 'Show password' }).click();
    }
    const values = await entries.locator('code').allTextContents();
    expect(values.sort()).toEqual([...made].sort());
    // The password the item kept is the last one made; the old one is in its history.
    await page.getByRole('button', { name: 'All items' }).click();
    await openItem(page, 'Bank');
    expect(await fieldValue(page, 'password')).toBe(made[1]);
  }, 30_000);

  it('should file items in nested folders, rename them and delete one keeping its items', async () => {
    const newFolder = async (name: string, inside?: string) => {
      if (inside) {
        await page.getByRole('button', { name: `Folder actions: ${inside}`, exact: true }).click();
        await page.getByRole('menuitem', { name: 'New folder inside' }).click();
      } else await page.getByRole('button', { name: '+ New folder' }).click();
      await page.getByTestId('confirm-dialog').getByLabel('Folder name').fill(name);
      await confirmDialog(page, 'Create');
      await page.getByRole('button', { name: name, exact: true }).waitFor();
    };
    await newFolder('Home');
    await newFolder('Kitchen', 'Home');
    await openItem(page, 'Recipe');
    await detail(page, 'Recipe').getByRole('button', { name: 'Edit', exact: true }).click();
    await page.locator('select[name=folder]').selectOption({ label: 'Home/Kitchen' });
    await page.getByRole('button', { name: 'Save' }).click();
    await detail(page, 'Recipe').waitFor();
    // Renaming the parent renames the path of its children.
    await page.getByRole('button', { name: 'Folder actions: Home', exact: true }).click();
    await page.getByRole('menuitem', { name: 'Rename' }).click();
    await page.getByTestId('confirm-dialog').getByLabel('Folder name').fill('House');
    await confirmDialog(page, 'Rename');
    await page.getByRole('button', { name: 'Kitchen', exact: true }).click();
    await eventually(async () => expect(await itemNames(page)).toEqual(['Recipe']));
    await page.getByRole('button', { name: 'Folder actions: House/Kitchen' }).click();
    await page.getByRole('menuitem', { name: 'Delete folder' }).click();
    await confirmDialog(page, 'Delete folder');
    await eventually(async () =>
      expect(await page.getByRole('button', { name: 'Kitchen', exact: true }).count()).toBe(0),
    );
    await page.getByRole('button', { name: 'All items' }).click();
    await eventually(async () => expect(await itemNames(page)).toEqual(['Bank', 'Recipe']));
  }, 60_000);

  it('should walk the list with the arrow keys and open with Enter', async () => {
    const search = page.getByRole('searchbox', { name: 'Search' });
    await search.focus();
    await page.keyboard.press('ArrowDown');
    expect((await focused(page)).text).toMatch(/^Bank/);
    await page.keyboard.press('ArrowDown');
    expect((await focused(page)).text).toMatch(/^Recipe/);
    await page.keyboard.press('Enter');
    await detail(page, 'Recipe').waitFor();
    await page.keyboard.press('ArrowUp');
    expect((await focused(page)).text).toMatch(/^Bank/);
    await page.keyboard.press('ArrowUp');
    expect(await focused(page)).toMatchObject({ tag: 'INPUT' });
  }, 30_000);

  it('should say what is wrong with a card in the UI’s language, with month and year picked from lists', async () => {
    await openSettings(page);
    await page.getByRole('combobox', { name: 'Language' }).selectOption('es');
    await page.getByRole('button', { name: 'Bloquear' }).waitFor();
    await page.getByRole('button', { name: 'Elemento nuevo' }).click();
    await page.getByRole('menuitem', { name: 'Tarjeta' }).click();
    const form = page.locator('form.editor');
    await form.locator('[name=name]').fill('Visa');
    await form.locator('[name=number]').fill('1234');
    // The expiry is chosen, month names in the UI's language: no format to get wrong.
    const month = form.getByRole('combobox', { name: 'Mes de caducidad' });
    expect(await month.locator('option').allTextContents()).toContain('12 · diciembre');
    await month.selectOption({ label: '12 · diciembre' });
    await form.getByRole('combobox', { name: 'Año de caducidad' }).selectOption('2027');
    await form.locator('button[type=submit]').click();
    await expect
      .poll(() => form.locator('#err-number').textContent())
      .toBe('Un número de tarjeta tiene de 8 a 19 cifras.');
    expect(await form.locator('[name=number]').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'card-es');
    // The error goes as soon as the field changes.
    await form.locator('[name=number]').fill('4111 1111 1111 1111');
    expect(await form.locator('#err-number').count()).toBe(0);
    await form.locator('button[type=submit]').click();
    await page.getByRole('article', { name: 'Visa' }).waitFor();
    expect(await fieldValue(page, 'expMonth')).toBe('12');
    expect(await fieldValue(page, 'expYear')).toBe('2027');
    // Plurals in Spanish: "1 elemento", "3 elementos".
    const n = (await itemNames(page)).length;
    expect(
      await page
        .locator('.list-head input[type=search]')
        .getAttribute('placeholder', { timeout: 5_000 }),
    ).toBe(n === 1 ? 'Buscar 1 elemento  ( / )' : `Buscar ${n} elementos  ( / )`);
    await page.getByRole('button', { name: 'Ajustes' }).click();
    await page.getByRole('combobox', { name: 'Idioma' }).selectOption('en');
    await page.getByRole('button', { name: 'Lock' }).waitFor();
  }, 30_000);
});

describe('two browsers', () => {
  it('should receive the generator history on the other device', async () => {
    pageB = await openVault(b);
    await onboard(pageB, { mode: 'Sign in', server: serverUrl(), email, password: PASSWORD });
    await waitSynced(pageB);
    await pageB.getByRole('button', { name: 'Generator' }).click();
    await eventually(async () =>
      expect(await pageB.getByTestId('generated-entry').count()).toBe(2),
    );
    await pageB.getByRole('button', { name: 'All items' }).click();
  }, 90_000);

  it('should show a password both devices changed offline for review, each side named', async () => {
    for (const [p, name] of [
      [page, 'Laptop'],
      [pageB, 'Work desktop'],
    ] as const) {
      await openSettings(p);
      await p.getByLabel('This device’s name').fill(name);
      await p.getByRole('button', { name: 'Rename', exact: true }).click();
      await expect.poll(() => p.getByText('Device renamed.').count(), { timeout: 10_000 }).toBe(1);
      await p.getByRole('button', { name: 'All items' }).click();
    }
    await stopServer();
    for (const [p, pw] of [
      [page, 'pw-from-laptop'],
      [pageB, 'pw-from-desktop'],
    ] as const) {
      await openItem(p, 'Bank');
      await detail(p, 'Bank').getByRole('button', { name: 'Edit', exact: true }).click();
      await p.locator('form.editor [name=password]').fill(pw);
      await p.getByRole('button', { name: 'Save' }).click();
      await detail(p, 'Bank').waitFor();
    }
    // The toolbar badge counts the edit waiting, and says so in its title.
    const action = (ext: LoadedExtension) =>
      ext.context.serviceWorkers()[0]!.evaluate(async () => {
        const c = (
          globalThis as unknown as {
            chrome: {
              action: {
                getBadgeText(o: object): Promise<string>;
                getTitle(o: object): Promise<string>;
              };
            };
          }
        ).chrome;
        return { text: await c.action.getBadgeText({}), title: await c.action.getTitle({}) };
      });
    await eventually(async () =>
      expect(await action(a)).toEqual({
        text: '1',
        title: 'Cofre — 1 edit waiting to sync (offline)',
      }),
    );
    await startServer();
    for (const p of [page, pageB, page, pageB]) {
      await p.getByRole('button', { name: 'Sync now' }).click();
      await waitSynced(p);
    }
    // Whichever reached the server first is current; the other is a conflict to review, on both.
    for (const [p, me] of [
      [page, 'Laptop'],
      [pageB, 'Work desktop'],
    ] as const) {
      await eventually(async () => {
        await openItem(p, 'Bank');
        const conflict = p.locator('[data-testid=conflict][data-conflict-field=password]');
        expect(await conflict.count()).toBe(1);
        const current = await conflict.getByTestId('conflict-current-label').textContent();
        const other = await conflict.getByTestId('conflict-other-label').textContent();
        // Each side is named: this device's own edit says "this device", the other its name.
        const names = `${current} ${other}`;
        expect(names).toMatch(/this device/);
        expect(names).toContain(me === 'Laptop' ? 'Work desktop' : 'Laptop');
        expect(names).not.toContain(me);
        // Edit times, not the merge time: a date on both sides.
        expect(current).toMatch(/\d{4}/);
        expect(other).toMatch(/\d{4}/);
      });
    }
    await screenshot(page, 'password-conflict');
    const conflict = page.locator('[data-testid=conflict][data-conflict-field=password]');
    for (const side of ['current', 'other'])
      await conflict.getByRole('button', { name: `Show ${side} Password` }).click();
    const current = await conflict.getByTestId('conflict-current').textContent();
    const other = await conflict.getByTestId('conflict-other').textContent();
    expect([current, other].sort()).toEqual(['pw-from-desktop', 'pw-from-laptop']);
    await conflict.getByRole('button', { name: 'Keep current' }).click();
    await eventually(async () => {
      await openItem(pageB, 'Bank');
      expect(await pageB.getByTestId('conflict').count()).toBe(0);
      expect(await fieldValue(pageB, 'password')).toBe(current);
    });
    // The other password is in history, once; no password is there twice.
    await pageB.locator('details.history summary').click();
    const history = pageB.locator('details.history .field');
    const values: string[] = [];
    for (let i = 0; i < (await history.count()); i++) {
      await history.nth(i).getByRole('button', { name: /^Show/ }).click();
      values.push((await history.nth(i).locator('.field-value').textContent()) ?? '');
    }
    expect(values).toContain(other);
    expect(new Set(values).size).toBe(values.length);
  }, 120_000);

  it('should erase a device removed from another one, and say why on it', async () => {
    await openSettings(pageB);
    const row = pageB.getByTestId('session').filter({ hasText: 'Laptop' });
    await row.getByRole('button', { name: 'Remove Laptop' }).click();
    await expect
      .poll(() => pageB.getByTestId('confirm-dialog').locator('h2').textContent())
      .toBe('Remove “Laptop” from your account?');
    await confirmDialog(pageB, 'Remove device');
    // The removed browser erases itself at its next contact with the server (here a sync).
    await page.getByRole('button', { name: 'Sync now' }).click();
    const notice = page.getByTestId('removed-notice');
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.textContent()).toMatch(
      /“Work desktop” removed this browser from the account .* Its copy of the vault and its keys were erased/,
    );
    await eventually(async () => {
      const dbs = await page.evaluate(async () =>
        (await indexedDB.databases()).map((d) => d.name ?? ''),
      );
      expect(dbs.filter((n) => n.startsWith('cofre-vault-'))).toEqual([]);
    }, 10_000);
    expect(await itemNames(page)).toEqual([]);
    await screenshot(page, 'device-removed');
    // The account and the other device go on.
    await eventually(async () => expect(await pageB.getByTestId('session').count()).toBe(1));
  }, 60_000);

  it('should not erase a device whose session the server merely refuses', async () => {
    // A password change ends other sessions without a removal order: that device is asked to
    // sign in again, and keeps its vault.
    await notice(page).getByRole('button', { name: 'Dismiss' }).click();
    await onboard(page, { mode: 'Sign in', server: serverUrl(), email, password: PASSWORD });
    await waitSynced(page);
    await openSettings(pageB);
    await pageB.getByLabel('Current master password').fill(PASSWORD);
    await pageB.getByLabel('New master password', { exact: true }).fill(CHANGED_PASSWORD);
    await pageB.getByLabel('Repeat new master password').fill(CHANGED_PASSWORD);
    await pageB.getByRole('button', { name: 'Change', exact: true }).click();
    await expect
      .poll(() => pageB.getByText('Master password changed').count(), { timeout: 20_000 })
      .toBe(1);
    await page.getByRole('button', { name: 'Sync now' }).click();
    await eventually(async () =>
      expect(await page.getByTestId('sync-status').first().textContent()).toMatch(
        /session: sign in again/,
      ),
    );
    expect(await page.getByRole('navigation', { name: 'Vault' }).count()).toBe(1);
    expect(await itemNames(page)).toEqual(['Bank', 'Recipe', 'Visa']);
  }, 60_000);

  it('should offer Sign out on the lock screen, reaching the recovery kit', async () => {
    await lockNow(pageB);
    // The toolbar button turns grey and says so (once the state settles).
    await eventually(async () =>
      expect(
        await b.context.serviceWorkers()[0]!.evaluate(async () =>
          (
            globalThis as unknown as {
              chrome: { action: { getTitle(o: object): Promise<string> } };
            }
          ).chrome.action.getTitle({}),
        ),
      ).toBe('Cofre — locked'),
    );
    await pageB.getByRole('button', { name: 'Sign out' }).click();
    await confirmDialog(pageB, 'Sign out');
    await pageB.getByRole('tab', { name: 'Recover with a kit' }).waitFor();
  }, 60_000);
});

const notice = (p: Page) => p.getByTestId('removed-notice');

describe('site icons', () => {
  it('should show the icon the browser keeps for a visited site, a letter otherwise, asking no site', async () => {
    // A site with a red favicon, visited once in this browser as a person would.
    const asked: string[] = [];
    const site = createHttpServer((req, res) => {
      asked.push(req.url ?? '');
      if (req.url === '/shop.png') {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end(solidPng(32, [220, 20, 20]));
      } else {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(
          '<!doctype html><title>Shop</title><link rel="icon" href="/shop.png"><h1>Shop</h1>',
        );
      }
    });
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
    const shop = `http://127.0.0.1:${(site.address() as { port: number }).port}/login`;
    const home = new URL('/', shop).href;
    const tab = await a.context.newPage();
    await tab.goto(shop);
    await eventually(async () => expect(asked).toContain('/shop.png'));
    const homeTab = await a.context.newPage();
    await homeTab.goto(home);
    // The tabs stay open: the browser stores the icon once it has it (a tab closed at once may
    // leave nothing in the cache, as for a person who closed it as fast).
    asked.length = 0;

    await addItem(page, { type: 'login', name: 'Shop', username: 'ana', uri: shop });
    // Saved for a page never visited, on a site that was: the site's home page icon.
    await addItem(page, {
      type: 'login',
      name: 'Shop account',
      uri: new URL('/account', shop).href,
    });
    await addItem(page, {
      type: 'login',
      name: 'Forum',
      username: 'ana',
      uri: 'forum.example/login',
    });
    await page.getByRole('button', { name: 'All items' }).click();
    const row = (name: string) => page.locator(`[data-testid=item-row][data-name="${name}"]`);
    // The visited site's own icon, read back pixel by pixel from the row.
    for (const name of ['Shop', 'Shop account'])
      await eventually(async () =>
        expect(
          await row(name)
            .locator('[data-testid=site-icon] img')
            .first()
            .evaluate(
              (img: HTMLImageElement) => {
                const c = document.createElement('canvas');
                c.width = c.height = 20;
                const g = c.getContext('2d') as CanvasRenderingContext2D;
                g.drawImage(img, 0, 0, 20, 20);
                return [...g.getImageData(10, 10, 1, 1).data];
              },
              undefined,
              { timeout: 2_000 },
            ),
        ).toEqual([220, 20, 20, 255]),
      );
    // A site never visited: its letter, not the browser's grey globe.
    await eventually(async () =>
      expect(
        await row('Forum').locator('[data-testid=site-icon] .letter').getAttribute('data-letter'),
      ).toBe('F'),
    );
    expect(await row('Forum').locator('[data-testid=site-icon] img').count()).toBe(0);
    // The popup shows the same icons.
    const popup = await openPopup(a);
    await popup
      .locator('[data-testid=item-row][data-name="Shop"] [data-testid=site-icon] img')
      .waitFor();
    await popup.close();
    // Cofre asked the site for nothing: the icons came from the browser's cache.
    expect(asked).toEqual([]);
    await tab.close();
    await homeTab.close();
    site.closeAllConnections();
    await new Promise((r) => site.close(r));
  }, 60_000);
});

describe('the vault page at every width', () => {
  it('should fit three, two and one panes, in light and dark', async () => {
    // The session ended by B's password change is signed in again, as a person would.
    const again = page.getByRole('form', { name: 'Sign in again' });
    if (await again.count()) {
      await again.locator('input[type=password]').fill(CHANGED_PASSWORD);
      await again.getByRole('button', { name: 'Sign in again' }).click();
      await again.waitFor({ state: 'detached' });
    }
    await page.getByRole('button', { name: 'All items' }).click();
    await openItem(page, 'Bank');
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [width, panes] of [
        [1280, 3],
        [800, 2],
        [360, 1],
      ] as const) {
        await page.setViewportSize({ width, height: 720 });
        const back = page.getByRole('button', { name: '← Back to the list' });
        if (await back.isVisible()) await back.click();
        await openItem(page, 'Bank');
        const visible = await page.evaluate(() =>
          ['.sidebar', '.list-pane', '.detail-pane'].map((s) => {
            const r = document.querySelector(s)?.getBoundingClientRect();
            return r ? r.width > 0 && r.height > 0 : false;
          }),
        );
        // One pane: the open item, with a way back to the list.
        if (panes === 1) {
          expect(visible.slice(1)).toEqual([false, true]);
          expect(await page.getByRole('button', { name: '← Back to the list' }).isVisible()).toBe(
            true,
          );
        } else expect(visible).toEqual([true, true, true]);
        // Nothing overflows sideways and no value wraps one letter per line.
        const fit = await page.evaluate(() => {
          const v = document.querySelector('[data-testid="value-username"]');
          const r = v?.getBoundingClientRect();
          return {
            scroll: document.documentElement.scrollWidth <= window.innerWidth,
            valueWidth: r?.width ?? 0,
          };
        });
        expect(fit.scroll).toBe(true);
        expect(fit.valueWidth).toBeGreaterThan(40);
        await screenshot(page, `vault-${width}-${scheme}`);
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1180, height: 760 });
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
