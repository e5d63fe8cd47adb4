// Autofill on the forms sites really use (test/e2e/form-fixtures.ts), in Chromium with the
// built extension and the real server: logins in dialogs and popovers, design-system fields,
// honeypots, scripted focus, one-time codes found by their label or split in boxes, newsletter
// and update-email forms, password rules — and cards and addresses, with selects, masked
// inputs and a payment provider's iframes. Each case asserts what was filled and what was not.

import { TOTP } from 'otpauth';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addItem, eventually, openSettings, screenshot } from './cofre-pages.ts';
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

const value = (page: Page | Frame, selector: string) => page.locator(selector).inputValue();
const values = (page: Page | Frame, names: string[]) =>
  Promise.all(names.map((n) => value(page, `[name="${n}"]`)));

/** Waits for the fill to land in these fields (by name) with these values. */
const filled = (page: Page | Frame, names: string[], expected: string[]) =>
  eventually(async () => expect(await values(page, names)).toEqual(expected));

/** The codes the authenticator shows around now (a step may turn during the test). */
function codesNow(): string[] {
  const totp = new TOTP({ secret: SECRET });
  const now = Date.now();
  return [now - 30_000, now, now + 30_000].map((timestamp) => totp.generate({ timestamp }));
}

/** In the open menu: answer the question (an http page, another origin's frame) with Fill. */
async function answerFill(menu: Frame) {
  const q = menu.getByRole('alertdialog');
  await q.waitFor();
  await q.getByRole('button', { name: 'Fill' }).click();
}

beforeAll(async () => {
  world = await startAutofillWorld('forms', PASSWORD);
  ({ ext, vault } = world);
  const logins: Array<[string, string, string, string, string?]> = [
    ['Dialog', 'dia@dialog.test', 'dialog-pw', at('dialog.test')],
    ['Popover', 'pop@popover.test', 'popover-pw', at('popover.test')],
    ['Scripted', 'victim@scripted.test', 'scripted-pw', at('scripted.test')],
    ['Autofocus', 'auto@autofocus.test', 'autofocus-pw', at('autofocus.test')],
    ['Honeypot', 'honey@honeypot.test', 'honey-pw', at('honeypot.test')],
    ['Material', 'md@material.test', 'material-pw', at('material.test')],
    ['Closed', 'closed-user', 'closed-pw', at('closed.test')],
    ['Codes', 'codes-user', 'codes-account-pw', at('codes.test'), SECRET],
    ['News', 'reader@newsletter.test', 'news-pw', at('newsletter.test')],
    ['Account', 'old@account.test', 'account-pw', at('account.test')],
    // Saved with no scheme: read as https, so its http page must ask first.
    ['Plain bank', 'plain@plainbank.test', 'plain-pw', 'plainbank.test'],
    ['Inner', 'deep@inner.test', 'inner-pw', at('inner.test')],
  ];
  await world.addLogins(logins);
  await addItem(vault, {
    type: 'card',
    name: 'Everyday Visa',
    cardholderName: 'Ana Example',
    brand: 'Visa',
    number: '4242424242424242',
    expMonth: '7',
    expYear: '2030',
    code: '123',
  });
  await addItem(vault, {
    type: 'identity',
    name: 'Home',
    firstName: 'Ana',
    lastName: 'Example',
    email: 'ana@example.com',
    phone: '+1 415 555 0100',
    address1: '1 Market St',
    address2: 'Apt 5',
    city: 'San Francisco',
    state: 'CA',
    postalCode: '94105',
    country: 'US',
  });
  await addItem(vault, {
    type: 'identity',
    name: 'Casa',
    firstName: 'Lucía',
    lastName: 'García López',
    phone: '+34 600 000 000',
    address1: 'Calle Mayor 5',
    city: 'Madrid',
    state: 'Madrid',
    postalCode: '28013',
    country: 'Spain',
  });
}, 240_000);

afterAll(() => world?.close());

describe('logins in the top layer', () => {
  it('should fill a login inside a modal <dialog>, with the menu drawn in the dialog', async () => {
    const page = await openSite(at('dialog.test'));
    await page.locator('#open').click();
    await page.locator('dialog [name=email]').click();
    const menu = await menuFrame(page);
    const row = menu.getByRole('button', { name: /Dialog/ });
    await row.waitFor();
    // Drawn inside the dialog, in the top layer (outside it, a modal dialog makes all inert).
    expect(
      await page.evaluate(() =>
        document.querySelector('dialog > cofre-frame')?.matches(':popover-open'),
      ),
    ).toBe(true);
    await settled(menu);
    await screenshot(page, 'autofill-dialog');
    await row.click();
    await filled(page, ['email', 'password'], ['dia@dialog.test', 'dialog-pw']);
    expect(await page.evaluate(() => document.querySelector('dialog')?.open)).toBe(true);
    await page.close();
  });

  it('should fill a login inside a popover, and the popover stays open', async () => {
    const page = await openSite(at('popover.test'));
    await page.locator('#open').click();
    await pick(page, '#p [name=email]', 'Popover');
    await filled(page, ['email', 'password'], ['pop@popover.test', 'popover-pw']);
    expect(await page.evaluate(() => document.getElementById('p')?.matches(':popover-open'))).toBe(
      true,
    );
    await page.close();
  });
});

describe('frames', () => {
  it('should draw the menu of a field two frames deep in the top frame, and fill it there', async () => {
    const page = await openSite(at('nest.test'));
    const inner = await eventually(async () => {
      const f = page.frames().find((x) => x.url().includes('inner.test'));
      expect(f).toBeTruthy();
      return f!;
    });
    await inner.locator('[name=email]').click();
    const menu = await menuFrame(page);
    // The menu's frame hangs off the top document, not off the 150-px frame of the field.
    expect(menu.parentFrame()).toBe(page.mainFrame());
    const row = menu.getByRole('button', { name: /Inner/ });
    await row.waitFor();
    await settled(menu);
    await screenshot(page, 'autofill-nested-frames');
    await row.click();
    await answerFill(menu); // another origin's frame: it asks, naming it
    await filled(inner, ['email', 'password'], ['deep@inner.test', 'inner-pw']);
    await page.close();
  });
});

describe('a person, not a script, opens the menu', () => {
  it('should not open the menu for a focus() the page made, nor for a click on a sheet over the field', async () => {
    const page = await openSite(at('scripted.test'));
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'email');
    await quiet(page, 1_000);
    expect(menuOpen(page)).toBe(false);
    // The person clicks where the field is; the page's sheet gets it and focuses the field.
    const box = (await page.locator('[name=email]').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await quiet(page);
    expect(menuOpen(page)).toBe(false);
    expect(await values(page, ['email', 'password'])).toEqual(['', '']);
    await page.close();
  });

  it('should open the menu when a person clicks a field that already has focus', async () => {
    const page = await openSite(at('autofocus.test'));
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'email');
    await quiet(page, 800);
    expect(menuOpen(page)).toBe(false);
    await pick(page, '[name=email]', 'Autofocus');
    await filled(page, ['email', 'password'], ['auto@autofocus.test', 'autofocus-pw']);
    await page.close();
  });
});

describe('honeypots and fields out of sight', () => {
  it('should read a form with hidden traps as a login and fill only the visible fields', async () => {
    const page = await openSite(at('honeypot.test'));
    await pick(page, '[name=email]', 'Honeypot');
    await filled(page, ['email', 'password'], ['honey@honeypot.test', 'honey-pw']);
    const traps = ['website', 'password_confirm', 'hp_aria', 'hp_clip', 'hp_faded'];
    expect(await values(page, traps)).toEqual(traps.map(() => ''));
    await page.close();
  });

  it('should put a suggested password in the visible fields and never in the trap', async () => {
    const page = await openSite(at('honeypot.test', '/signup'));
    await page.locator('[name=pw]').click();
    const menu = await menuFrame(page);
    const suggestion = menu.getByRole('button', { name: /Use a strong password/ });
    await suggestion.waitFor();
    await settled(menu);
    await suggestion.click();
    await eventually(async () => expect(await value(page, '[name=pw]')).not.toBe(''));
    const [pw, pw2, trap] = await values(page, ['pw', 'pw2', 'pw_trap']);
    expect(pw2).toBe(pw);
    expect(trap).toBe('');
    await page.close();
  });
});

describe('design-system fields', () => {
  it('should open the menu on a text field that fades in after focus, and fill fields in two shadow roots', async () => {
    const page = await openSite(at('material.test'));
    await pick(page, '#user', 'Material', 'autofill-design-system');
    const read = (id: string) =>
      page.evaluate((i) => (document.getElementById(i) as unknown as { value: string }).value, id);
    await eventually(async () =>
      expect([await read('user'), await read('pass')]).toEqual(['md@material.test', 'material-pw']),
    );
    await page.close();
  });

  it('should reach fields in closed shadow roots', async () => {
    const page = await openSite(at('closed.test'));
    await pick(page, '#user', 'Closed');
    const read = () =>
      page.evaluate(() =>
        (window as unknown as { __closedInputs: HTMLInputElement[] }).__closedInputs.map(
          (i) => i.value,
        ),
      );
    await eventually(async () => expect(await read()).toEqual(['closed-user', 'closed-pw']));
    await page.close();
  });
});

describe('one-time codes', () => {
  for (const [path, field] of [
    ['/label', '[name=f_x71]'],
    ['/es', '[name=campo1]'],
  ] as const) {
    it(`should find a code field by its label alone (${path})`, async () => {
      const page = await openSite(at('codes.test', path));
      await pick(page, field, 'Codes');
      await eventually(async () => expect(codesNow()).toContain(await value(page, field)));
      await page.close();
    });
  }

  it('should put one digit in each box of a split code', async () => {
    const page = await openSite(at('codes.test', '/split'));
    await pick(page, '[name=d0]', 'Codes');
    await eventually(async () => {
      const digits = await values(page, ['d0', 'd1', 'd2', 'd3', 'd4', 'd5']);
      expect(digits.every((d) => /^\d$/.test(d))).toBe(true);
      expect(codesNow()).toContain(digits.join(''));
    });
    await page.close();
  });

  it('should treat a security-key code field of type password as a code, never the account password', async () => {
    const page = await openSite(at('codes.test', '/key'));
    await page.locator('[name=skc]').click();
    const menu = await menuFrame(page);
    const row = menu.getByRole('button', { name: /Codes/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('One-time code');
    await settled(menu);
    await row.click();
    await eventually(async () => expect(codesNow()).toContain(await value(page, '[name=skc]')));
    await page.close();
  });
});

describe('forms that are not a sign-in', () => {
  it('should offer nothing on a newsletter box, and the login on the same page', async () => {
    const page = await openSite(at('newsletter.test'));
    await page.locator('[name=news_email]').click();
    await quiet(page);
    expect(menuOpen(page)).toBe(false);
    await pick(page, '#login [name=email]', 'News');
    await filled(page, ['email'], ['reader@newsletter.test']);
    expect(await value(page, '[name=news_email]')).toBe('');
    await page.close();
  });

  it('should fill only the current password of an update-email form', async () => {
    const page = await openSite(at('account.test', '/email'));
    await pick(page, '[name=password]', 'Account');
    await filled(page, ['password'], ['account-pw']);
    expect(await values(page, ['new_email', 'confirm_email'])).toEqual(['', '']);
    await page.close();
  });
});

describe('where a login is saved, and what a site asks of a new password', () => {
  it('should ask before filling a login saved without a scheme into an http page', async () => {
    const page = await openSite(at('plainbank.test', '/login'));
    const menu = await pick(page, '[name=email]', 'Plain bank');
    await quiet(page, 600);
    expect(await value(page, '[name=password]')).toBe('');
    await answerFill(menu);
    await eventually(async () => expect(await value(page, '[name=password]')).toBe('plain-pw'));
    await page.close();
  });

  it('should suggest a password the field’s passwordrules and maxlength accept', async () => {
    const page = await openSite(at('rules.test', '/signup'));
    await page.locator('[name=pw]').click();
    const menu = await menuFrame(page);
    const shown = (await menu.getByTestId('suggestion').textContent()) ?? '';
    expect(shown.length).toBeGreaterThanOrEqual(10);
    expect(shown.length).toBeLessThanOrEqual(12);
    expect(shown).toMatch(/[a-z]/);
    expect(shown).toMatch(/[A-Z]/);
    expect(shown).toMatch(/\d/);
    expect(shown).toMatch(/[-_]/);
    expect(shown).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(shown).not.toMatch(/(.)\1\1/);
    await settled(menu);
    await menu.getByRole('button', { name: /Use a strong password/ }).click();
    await eventually(async () => expect(await value(page, '[name=pw]')).toBe(shown));
    await page.close();
  });
});

describe('cards', () => {
  it('should fill a checkout form: a masked number, selects for the expiry, the code', async () => {
    const page = await openSite(at('checkout.test'));
    const menu = await pick(page, '[name=ccn]', 'Everyday Visa', 'autofill-card-menu');
    await answerFill(menu); // the fixture is served over http
    await eventually(async () =>
      expect(await values(page, ['ccn', 'ccname', 'ccmonth', 'ccyear', 'cvc'])).toEqual([
        '4242 4242 4242 4242',
        'Ana Example',
        '07',
        '2030',
        '123',
      ]),
    );
    await page.close();
  });

  it('should fill a Spanish payment form with one masked MM / AA expiry box', async () => {
    const page = await openSite(at('tienda.test'));
    const menu = await pick(page, '[name=num]', 'Everyday Visa');
    await answerFill(menu);
    await eventually(async () =>
      expect(await values(page, ['num', 'titular', 'cad', 'cvv'])).toEqual([
        '4242 4242 4242 4242',
        'Ana Example',
        '07 / 30',
        '123',
      ]),
    );
    await page.close();
  });

  it("should ask before filling a payment provider's iframes, naming it, then fill all three", async () => {
    const page = await openSite(at('shop2.test'));
    const frameOf = (path: string) =>
      eventually(async () => {
        const f = page
          .frames()
          .find((x) => x.url().includes(`pay.test:${world.sites.port}${path}`));
        expect(f).toBeTruthy();
        return f!;
      });
    const [number, expiry, cvc] = await Promise.all(
      ['/number', '/expiry', '/cvc'].map((p) => frameOf(p)),
    );
    await number!.locator('[name=cardnumber]').click();
    const menu = await menuFrame(page);
    const row = menu.getByRole('button', { name: /Everyday Visa/ });
    await row.waitFor();
    await settled(menu);
    await row.click();
    const q = menu.getByRole('alertdialog');
    await q.waitFor();
    expect(await q.textContent()).toContain(`http://pay.test:${world.sites.port}`);
    expect(await q.textContent()).toContain(`http://shop2.test:${world.sites.port}`);
    await screenshot(page, 'autofill-card-provider-question');
    expect(await value(number!, '[name=cardnumber]')).toBe('');
    await q.getByRole('button', { name: 'Fill' }).click();
    await eventually(async () => {
      expect(await value(number!, '[name=cardnumber]')).toBe('4242 4242 4242 4242');
      expect(await value(expiry!, '[name=exp-date]')).toBe('07 / 30');
      expect(await value(cvc!, '[name=cvc]')).toBe('123');
    });
    await page.close();
  });

  it('should ask for the master password again when the vault was unlocked a while ago', async () => {
    // As if the unlock were more than five minutes old: the worker's own record of it.
    const [worker] = ext.context.serviceWorkers();
    await worker!.evaluate(() =>
      (
        globalThis as unknown as { chrome: typeof import('wxt/browser').browser }
      ).chrome.storage.session.set({ provedAt: Date.now() - 6 * 60_000 }),
    );
    const page = await openSite(at('checkout.test'));
    const menu = await pick(page, '[name=ccn]', 'Everyday Visa');
    await answerFill(menu);
    const pw = menu.getByLabel(/Enter your master password/);
    await pw.waitFor();
    await pw.fill('not my password');
    await menu.getByRole('button', { name: 'Fill' }).click();
    await menu.getByRole('alert').waitFor();
    expect(await value(page, '[name=ccn]')).toBe('');
    await pw.fill(PASSWORD);
    await menu.getByRole('button', { name: 'Fill' }).click();
    await eventually(async () =>
      expect(await value(page, '[name=ccn]')).toBe('4242 4242 4242 4242'),
    );
    expect(await value(page, '[name=cvc]')).toBe('123');
    await page.close();

    // With the setting off, an old unlock is enough.
    await vault.bringToFront();
    await openSettings(vault);
    const setting = vault.locator('input[name=cardReask]');
    expect(await setting.isChecked()).toBe(true);
    await setting.click(); // controlled: it turns once the worker saved the setting
    await eventually(async () => expect(await setting.isChecked()).toBe(false));
    await worker!.evaluate(() =>
      (
        globalThis as unknown as { chrome: typeof import('wxt/browser').browser }
      ).chrome.storage.session.set({ provedAt: Date.now() - 60 * 60_000 }),
    );
    const again = await openSite(at('checkout.test'));
    await answerFill(await pick(again, '[name=ccn]', 'Everyday Visa'));
    await filled(again, ['cvc'], ['123']);
    await again.close();
  });
});

describe('addresses', () => {
  it('should fill a US shipping form from its autocomplete tokens, selects included', async () => {
    const page = await openSite(at('address.test', '/us'));
    const menu = await pick(page, '[name=fn]', 'Home', 'autofill-address-menu');
    await answerFill(menu);
    await eventually(async () =>
      expect(
        await values(page, [
          'fn',
          'ln',
          'a1',
          'a2',
          'city',
          'state',
          'zip',
          'country',
          'tel',
          'email',
        ]),
      ).toEqual([
        'Ana',
        'Example',
        '1 Market St',
        'Apt 5',
        'San Francisco',
        'CA',
        '94105',
        'US',
        '+1 415 555 0100',
        'ana@example.com',
      ]),
    );
    await page.close();
  });

  it('should fill a Spanish form by its labels: provincia and país by name', async () => {
    const page = await openSite(at('address.test', '/es'));
    const menu = await pick(page, '[name=nombre]', 'Casa');
    await answerFill(menu);
    await eventually(async () =>
      expect(
        await values(page, [
          'nombre',
          'apellidos',
          'direccion',
          'cp',
          'ciudad',
          'provincia',
          'pais',
          'telefono',
        ]),
      ).toEqual([
        'Lucía',
        'García López',
        'Calle Mayor 5',
        '28013',
        'Madrid',
        'Madrid',
        'ES',
        '+34 600 000 000',
      ]),
    );
    await page.close();
  });

  it('should fill a UK delivery form: full name, county, postcode, the country by name', async () => {
    const page = await openSite(at('address.test', '/uk'));
    const menu = await pick(page, '[name=fullname]', 'Home');
    await answerFill(menu);
    await eventually(async () =>
      expect(
        await values(page, [
          'fullname',
          'line1',
          'line2',
          'town',
          'county',
          'postcode',
          'country_name',
        ]),
      ).toEqual([
        'Ana Example',
        '1 Market St',
        'Apt 5',
        'San Francisco',
        'CA',
        '94105',
        'United States',
      ]),
    );
    await page.close();
  });
});
