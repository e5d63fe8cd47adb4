// Autofill as a user meets it, in Chromium with the built extension and the real server, on
// fixture sites served under their own host names: the inline menu fills what it should, asks
// where it must, refuses hostile pages, and save/update prompts appear only when they should.

import { TOTP } from 'otpauth';
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, fieldValue, openItem, screenshot } from './cofre-pages.ts';
import type { LoadedExtension } from './extension.ts';
import {
  type AutofillWorld,
  menuFrame,
  menuOpen,
  pick,
  quiet,
  settled,
  startAutofillWorld,
} from './menu-helpers.ts';

const PASSWORD = 'correct horse battery staple 42!';
const SECRET = 'JBSWY3DPEHPK3PXP';

let world: AutofillWorld;
let ext: LoadedExtension;
let vault: Page;

const at = (host: string, path = '/') => world.at(host, path);
const openSite = (url: string) => world.openSite(url);
const WAIT = { timeout: 8_000 };

const promptFrame = (page: Page) =>
  page.frames().find((x) => x.url().includes('/save-prompt.html#'));
const waitForPrompt = (page: Page) =>
  eventually(async () => {
    const f = promptFrame(page);
    expect(f, 'save prompt').toBeTruthy();
    return f!;
  }, 8_000);

/**
 * On a hostile page: focus the email field, let `attack` happen, then click the login in the
 * menu the way a person who cannot see it would (no actionability checks). Returns the page.
 */
async function clickThroughAttack(
  host: string,
  itemName: string,
  attack: (page: Page) => Promise<unknown>,
) {
  const page = await openSite(at(host, '/login'));
  await page.locator('[name=email]').click();
  const menu = await menuFrame(page);
  const row = menu.getByRole('button', { name: new RegExp(itemName) });
  await row.waitFor();
  await attack(page);
  await row.click({ force: true }).catch(() => {}); // the frame may be gone already: fine
  await quiet(page);
  expect(await page.locator('[name=password]').inputValue()).toBe('');
  expect(await page.locator('[name=email]').inputValue()).toBe('');
  return page;
}

beforeAll(async () => {
  world = await startAutofillWorld('fill', PASSWORD);
  ({ ext, vault } = world);
  const logins: Array<[string, string, string, string, string?]> = [
    ['Bank', 'ana@bank.test', 'bank-Pa55!', at('bank.test'), SECRET],
    ['React app', 'react-user@react.test', 'react-pw-123', at('react.test')],
    ['Steps', 'step@steps.test', 'steps-pw', at('steps.test')],
    ['Shadow', 'shadow-user', 'shadow-pw', at('shadow.test')],
    ['SPA', 'spa-user', 'spa-pw', at('spa.test')],
    ['Formless', 'formless-user', 'formless-pw', at('formless.test')],
    ['IdP', 'idp-user', 'idp-pw', at('idp.test')],
    ['Transparent', 'victim', 'transparent-pw', at('transparent.test')],
    ['Fade', 'victim', 'fade-pw', at('fade.test')],
    ['Cover', 'victim', 'cover-pw', at('cover.test')],
    ['Mover', 'victim', 'mover-pw', at('mover.test')],
    ['Alice', 'alice', 'alice-pw', at('alice.github.io')],
    ['Secure', 'sec-user', 'secure-pw', 'https://secure.test'],
  ];
  await world.addLogins(logins);
}, 180_000);

afterAll(() => world?.close());

describe('filling from the inline menu', () => {
  it('should fill a plain login form, and not offer to save what is already saved', async () => {
    const page = await openSite(at('bank.test', '/login'));
    await pick(page, '[name=email]', 'Bank', 'autofill-menu');
    await expect.poll(() => page.locator('[name=password]').inputValue(), WAIT).toBe('bank-Pa55!');
    expect(await page.locator('[name=email]').inputValue()).toBe('ana@bank.test');
    expect(menuOpen(page)).toBe(false);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#done').waitFor();
    await quiet(page, 3_500);
    expect(promptFrame(page)).toBeUndefined();
    await page.close();
  });

  it('should reach a React-controlled form the way typing does', async () => {
    const page = await openSite(at('react.test'));
    await pick(page, '[name=email]', 'React app');
    await expect.poll(() => page.locator('[name=pw]').inputValue(), WAIT).toBe('react-pw-123');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // React's own state received the values: a value set without the events would submit ''.
    expect(await page.locator('#done').textContent()).toBe(
      'React got react-user@react.test and a password of 12 characters.',
    );
    await page.close();
  });

  it('should fill a two-step login: the username first, then the password', async () => {
    const page = await openSite(at('steps.test'));
    await pick(page, '[name=identifier]', 'Steps');
    await expect
      .poll(() => page.locator('[name=identifier]').inputValue(), WAIT)
      .toBe('step@steps.test');
    await page.getByRole('button', { name: 'Next' }).click();
    await pick(page, '[name=password]', 'Steps');
    await expect.poll(() => page.locator('[name=password]').inputValue(), WAIT).toBe('steps-pw');
    await page.close();
  });

  it('should fill fields inside an open shadow root', async () => {
    const page = await openSite(at('shadow.test'));
    await pick(page, 'login-box [name=user]', 'Shadow');
    await expect
      .poll(() => page.locator('login-box [name=pass]').inputValue(), WAIT)
      .toBe('shadow-pw');
    expect(await page.locator('login-box [name=user]').inputValue()).toBe('shadow-user');
    await page.close();
  });

  it('should find a form a single-page app adds later, without a <form>', async () => {
    const page = await openSite(at('spa.test'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#u').waitFor();
    await pick(page, '#p', 'SPA');
    await expect.poll(() => page.locator('#p').inputValue(), WAIT).toBe('spa-pw');
    expect(await page.locator('#u').inputValue()).toBe('spa-user');
    await page.close();
  });

  it('should fill a form-less login and offer nothing after it is used', async () => {
    const page = await openSite(at('formless.test'));
    await pick(page, '#login', 'Formless');
    await expect.poll(() => page.locator('#pw').inputValue(), WAIT).toBe('formless-pw');
    await page.getByRole('button', { name: 'Continue' }).click();
    await quiet(page, 3_500);
    expect(promptFrame(page)).toBeUndefined();
    await page.close();
  });

  it('should put the current TOTP code into a one-time-code field', async () => {
    const page = await openSite(at('bank.test', '/otp'));
    await pick(page, '[name=code]', 'Bank');
    const totp = new TOTP({ secret: SECRET });
    await expect.poll(() => page.locator('[name=code]').inputValue(), WAIT).toMatch(/^\d{6}$/);
    const code = await page.locator('[name=code]').inputValue();
    const now = Date.now();
    expect([
      totp.generate({ timestamp: now }),
      totp.generate({ timestamp: now - 30_000 }),
    ]).toContain(code);
    await page.close();
  });
});

describe('filling from the popup', () => {
  it("should fill the focused form from the popup's Fill", async () => {
    const page = await openSite(at('bank.test', '/login'));
    await page.bringToFront();
    // The popup page in a window of its own (as a detached popup): it acts on the active tab
    // of the last focused browser window, as the toolbar popup does.
    const opened = ext.context.waitForEvent('page', (p) => p.url().includes('/popup.html'));
    await ext.context.serviceWorkers()[0]!.evaluate(() =>
      (
        globalThis as unknown as { chrome: typeof import('wxt/browser').browser }
      ).chrome.windows.create({
        url: 'popup.html',
        type: 'popup',
        width: 380,
        height: 560,
      }),
    );
    const popup = await opened;
    await popup.setViewportSize({ width: 380, height: 560 });
    const row = popup.locator('[data-testid=item-row][data-name="Bank"]');
    await row.waitFor();
    await screenshot(popup, 'autofill-popup');
    await row.getByRole('button', { name: 'Fill (Alt+F)' }).click();
    await expect.poll(() => page.locator('[name=password]').inputValue(), WAIT).toBe('bank-Pa55!');
    expect(await page.locator('[name=email]').inputValue()).toBe('ana@bank.test');
    await page.close();
  });
});

describe('where filling must ask or refuse', () => {
  it('should ask before filling a cross-origin iframe, naming its origin', async () => {
    const page = await openSite(at('shop.test'));
    const idp = page.frameLocator('#idp');
    await idp.locator('[name=email]').click();
    const menu = await menuFrame(page);
    await settled(menu);
    await menu.getByRole('button', { name: /IdP/ }).click();
    const question = menu.getByRole('alertdialog');
    await question.waitFor();
    expect(await question.textContent()).toContain(
      `This form is in a frame from ${new URL(at('idp.test')).origin}, inside ${new URL(at('shop.test')).origin}.`,
    );
    expect(await idp.locator('[name=password]').inputValue()).toBe('');
    await screenshot(page, 'autofill-iframe-question');
    await menu.getByRole('button', { name: 'Fill', exact: true }).click();
    await expect.poll(() => idp.locator('[name=password]').inputValue(), WAIT).toBe('idp-pw');
    await page.close();
  });

  it('should ask before filling an https login on an http page', async () => {
    const page = await openSite(at('secure.test', '/login'));
    const menu = await pick(page, '[name=email]', 'Secure');
    const question = menu.getByRole('alertdialog');
    await question.waitFor();
    expect(await question.textContent()).toContain(
      `${new URL(at('secure.test')).origin} is not secure (http)`,
    );
    expect(await page.locator('[name=password]').inputValue()).toBe('');
    await menu.getByRole('button', { name: 'Fill', exact: true }).click();
    await expect.poll(() => page.locator('[name=password]').inputValue(), WAIT).toBe('secure-pw');
    await page.close();
  });

  it('should offer nothing on a lookalike domain or a PSL sibling, and fill the real one', async () => {
    for (const url of [at('bank.test.evil.test', '/login'), at('bob.github.io', '/login')]) {
      const page = await openSite(url);
      await page.locator('[name=email]').click();
      await quiet(page);
      expect(menuOpen(page), url).toBe(false);
      expect(await page.locator('[name=password]').inputValue()).toBe('');
      await page.close();
    }
    const alice = await openSite(at('alice.github.io', '/login'));
    await pick(alice, '[name=email]', 'Alice');
    await expect.poll(() => alice.locator('[name=password]').inputValue(), WAIT).toBe('alice-pw');
    await alice.close();
  });

  it('should treat domains the user declares equivalent as one site', async () => {
    const before = await openSite(at('mybank.test', '/login'));
    await before.locator('[name=email]').click();
    await quiet(before);
    expect(menuOpen(before)).toBe(false);
    await before.close();
    await vault.bringToFront();
    await vault.getByRole('button', { name: 'Settings' }).click();
    await vault.locator('textarea[name=equivalentDomains]').fill('bank.test, mybank.test');
    await vault.getByRole('button', { name: 'Save domains' }).click();
    await vault.waitForTimeout(500);
    const page = await openSite(at('mybank.test', '/login'));
    await pick(page, '[name=email]', 'Bank');
    await expect.poll(() => page.locator('[name=password]').inputValue(), WAIT).toBe('bank-Pa55!');
    await page.close();
  });

  it('should refuse to fill when the page makes the menu transparent', async () => {
    // As the menu opens, the page fades everything out with a style sheet (no attribute of
    // ours changes); the person clicks where the menu is without seeing it.
    const page = await clickThroughAttack('transparent.test', 'Transparent', (p) => quiet(p, 900));
    expect(menuOpen(page)).toBe(false);
    await page.close();
  });

  it('should hide the menu when the page fades its body out', async () => {
    const page = await openSite(at('fade.test', '/login'));
    await page.locator('[name=email]').click();
    // The menu came up (the page saw it, and fades out 300 ms later: too soon to catch its frame
    // reliably), then went away.
    await expect
      .poll(() => page.evaluate(() => (window as { menuSeen?: boolean }).menuSeen ?? false), WAIT)
      .toBe(true);
    await eventually(async () => expect(menuOpen(page)).toBe(false), 5_000);
    expect(await page.locator('[name=password]').inputValue()).toBe('');
    await page.close();
  });

  it('should refuse to fill when something covers the menu', async () => {
    // The cover lets clicks through (pointer-events: none): the person clicks a "prize".
    const page = await clickThroughAttack('cover.test', 'Cover', async (p) => {
      await p.locator('#cover').waitFor();
      await quiet(p, 900);
    });
    await page.close();
  });

  it('should refuse a click right after the menu was moved under the pointer', async () => {
    const page = await clickThroughAttack('mover.test', 'Mover', (p) =>
      p.waitForFunction(() => document.getElementById('login')?.style.marginTop === '120px'),
    );
    await page.close();
  });

  it('should ignore synthetic focus and scripted submits', async () => {
    const page = await openSite(at('bank.test', '/synthetic'));
    await page.evaluate(() => (window as unknown as { fakeFocus(): void }).fakeFocus());
    await quiet(page);
    expect(menuOpen(page)).toBe(false);
    await quiet(page, 1_000);
    await page.evaluate(() => (window as unknown as { fakeSubmit(): void }).fakeSubmit());
    await page.locator('#done').waitFor();
    await quiet(page, 3_500);
    expect(promptFrame(page)).toBeUndefined();
    await page.close();
  });

  it('should give a framed menu of another tab nothing', async () => {
    const page = await openSite(at('nag.test', '/login'));
    await page.evaluate((id) => {
      const f = document.createElement('iframe');
      f.src = `chrome-extension://${id}/inline-menu.html#${'0'.repeat(32)}`;
      document.body.append(f);
    }, ext.extensionId);
    const menu = await menuFrame(page);
    await expect.poll(() => menu.getByRole('alert').textContent(), WAIT).toMatch(/expired/);
    expect(await menu.getByRole('button', { name: /Bank|Alice/ }).count()).toBe(0);
    // And a page cannot reach the extension's messaging at all.
    expect(
      await page.evaluate(
        () =>
          typeof (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome
            ?.runtime?.sendMessage,
      ),
    ).toBe('undefined');
    await page.close();
  });
});

describe('saving and updating', () => {
  it('should offer to save a new signup after it succeeds, and save it', async () => {
    const page = await openSite(at('newsite.test', '/signup'));
    await page.locator('[name=email]').fill('new@newsite.test');
    await page.locator('[name=pw]').fill('n3w-Site-pw');
    await page.locator('[name=pw2]').fill('n3w-Site-pw');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.locator('#done').waitFor();
    const prompt = await waitForPrompt(page);
    await prompt.getByText('Save this login for newsite.test?').waitFor();
    expect(await prompt.locator('body').textContent()).not.toContain('n3w-Site-pw');
    await prompt.locator('body[data-visible=true]').waitFor();
    await screenshot(page, 'autofill-save-prompt');
    await prompt.getByRole('button', { name: 'Save', exact: true }).click();
    await eventually(async () => expect(promptFrame(page)).toBeUndefined());
    await vault.bringToFront();
    await openItem(vault, 'newsite.test');
    expect(await fieldValue(vault, 'username')).toBe('new@newsite.test');
    expect(await fieldValue(vault, 'password')).toBe('n3w-Site-pw');
    await page.close();
  });

  it('should suggest a strong password for a signup, fill both fields, and save it', async () => {
    const page = await openSite(at('join.test', '/signup'));
    await page.locator('[name=email]').fill('me@join.test');
    await page.locator('[name=pw]').click();
    const menu = await menuFrame(page);
    const suggestion = (await menu.getByTestId('suggestion').textContent()) ?? '';
    expect(suggestion).toHaveLength(20);
    await settled(menu);
    await screenshot(page, 'autofill-suggest');
    await menu.getByRole('button', { name: /Use a strong password/ }).click();
    await expect.poll(() => page.locator('[name=pw]').inputValue(), WAIT).toBe(suggestion);
    expect(await page.locator('[name=pw2]').inputValue()).toBe(suggestion);
    await page.getByRole('button', { name: 'Create account' }).click();
    const prompt = await waitForPrompt(page);
    await prompt.getByText('Save this login for join.test?').waitFor();
    await prompt.locator('body[data-visible=true]').waitFor();
    await prompt.getByRole('button', { name: 'Save', exact: true }).click();
    await eventually(async () => expect(promptFrame(page)).toBeUndefined());
    await vault.bringToFront();
    await openItem(vault, 'join.test');
    expect(await fieldValue(vault, 'password')).toBe(suggestion);
    await page.close();
  });

  it('should not prompt after a failed login', async () => {
    const page = await openSite(at('bank.test', '/login-fail'));
    await page.locator('[name=email]').fill('ana@bank.test');
    await page.locator('[name=password]').fill('a-wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForLoadState('load');
    await quiet(page, 3_500);
    expect(promptFrame(page)).toBeUndefined();
    await page.close();
  });

  it('should remember "never for this site"', async () => {
    const submit = async () => {
      const page = await openSite(at('nag.test', '/login'));
      await page.locator('[name=email]').fill('me@nag.test');
      await page.locator('[name=password]').fill('nag-pw');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('#done').waitFor();
      return page;
    };
    const first = await submit();
    const prompt = await waitForPrompt(first);
    await prompt.locator('body[data-visible=true]').waitFor();
    await prompt.getByRole('button', { name: 'Never for this site' }).click();
    await eventually(async () => expect(promptFrame(first)).toBeUndefined());
    await first.close();
    const again = await submit();
    await quiet(again, 3_500);
    expect(promptFrame(again)).toBeUndefined();
    await again.close();
    // The site is listed in settings (sealed on this device), where it can be removed.
    await vault.bringToFront();
    await vault.getByRole('button', { name: 'Settings' }).click();
    await expect
      .poll(
        () => vault.getByRole('list', { name: 'Sites that never ask to save' }).textContent(),
        WAIT,
      )
      .toContain('nag.test');
  });

  it('should fill the current password of a change-password form and offer the update', async () => {
    const page = await openSite(at('bank.test', '/change'));
    await pick(page, '[name=cur]', 'Bank');
    await expect.poll(() => page.locator('[name=cur]').inputValue(), WAIT).toBe('bank-Pa55!');
    expect(await page.locator('[name=new]').inputValue()).toBe('');
    await page.locator('[name=new]').fill('bank-N3w-pass');
    await page.locator('[name=again]').fill('bank-N3w-pass');
    await page.getByRole('button', { name: 'Change' }).click();
    await page.locator('#done').waitFor();
    const prompt = await waitForPrompt(page);
    await prompt.getByText('Update the password for Bank?').waitFor();
    await prompt.locator('body[data-visible=true]').waitFor();
    await prompt.getByRole('button', { name: 'Update' }).click();
    await vault.bringToFront();
    await eventually(async () => {
      await openItem(vault, 'Bank');
      expect(await fieldValue(vault, 'password')).toBe('bank-N3w-pass');
    });
    await page.close();
  });
});

describe('the content script on a large page', () => {
  /** The content script's own counters, read in its isolated world (the page cannot). */
  async function stats(cdp: CDPSession, contexts: Map<number, string>) {
    for (const [id, name] of contexts) {
      if (name !== 'Cofre') continue;
      const r = await cdp.send('Runtime.evaluate', {
        contextId: id,
        expression: 'JSON.stringify(globalThis.__cofreAutofill ?? null)',
        returnByValue: true,
      });
      const v = JSON.parse(String(r.result.value)) as { scans: number; groups: number } | null;
      if (v) return v;
    }
    throw new Error('no content script context');
  }

  it('should find a form added to a 5,000-element page and do nothing while idle', async () => {
    const page = await ext.context.newPage();
    const cdp = await ext.context.newCDPSession(page);
    const contexts = new Map<number, string>();
    cdp.on('Runtime.executionContextCreated', (e) => contexts.set(e.context.id, e.context.name));
    await cdp.send('Runtime.enable');
    await page.goto(at('big.test'));
    expect(await page.evaluate(() => document.getElementsByTagName('*').length)).toBeGreaterThan(
      5_000,
    );
    const first = await eventually(() => stats(cdp, contexts));
    expect(first.groups).toBe(0);
    await quiet(page, 2_000);
    expect((await stats(cdp, contexts)).scans).toBe(first.scans);
    await page.evaluate(() => (window as unknown as { addLogin(): void }).addLogin());
    await eventually(async () => expect((await stats(cdp, contexts)).groups).toBe(1));
    await page.close();
  });
});

describe('while the vault is locked', () => {
  it('should offer to unlock in the menu and show no login', async () => {
    await vault.bringToFront();
    await vault.getByTestId('lock').first().click();
    await vault.locator('form.unlock').waitFor();
    const page = await openSite(at('bank.test', '/login'));
    await page.locator('[name=email]').click();
    const menu = await menuFrame(page);
    await menu.getByText('Cofre is locked.').waitFor();
    expect(await menu.getByRole('button', { name: 'Unlock' }).count()).toBe(1);
    expect(await menu.locator('body').textContent()).not.toMatch(/Bank|ana@bank\.test/);
    await page.close();
  });
});
