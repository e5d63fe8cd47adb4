// Import and export in the built extension: a password-protected Bitwarden export read with a
// preview and a report of what was left out, duplicates found on a second import, a large CSV
// imported in chunks with progress, and exports that read back to the same vault.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseImport } from '../../shared/transfer/parse-import.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import {
  eventually,
  itemNames,
  onboard,
  openItem,
  openVault,
  screenshot,
  waitSynced,
} from './cofre-pages.ts';
import { type LoadedExtension, launchExtension } from './extension.ts';

const PASSWORD = 'correct horse battery staple 42!';
const fixture = (name: string) =>
  fileURLToPath(new URL(`../fixtures/import/${name}`, import.meta.url));

let server: TestServer;
let ext: LoadedExtension;
let page: Page;

beforeAll(async () => {
  server = await startTestServer();
  ext = await launchExtension();
  page = await openVault(ext);
  await onboard(page, {
    mode: 'Create account',
    server: server.url,
    email: `transfer-${Date.now()}@example.com`,
    password: PASSWORD,
  });
}, 90_000);

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

const panel = () => page.getByRole('region', { name: 'Import and export' });
const importForm = () => page.getByRole('form', { name: 'Import' });
const exportForm = () => page.getByRole('form', { name: 'Export' });

async function openTransfer() {
  await page.getByRole('button', { name: 'Import and export' }).click();
  await panel().waitFor();
}

async function chooseFile(file: string | { name: string; mimeType: string; buffer: Buffer }) {
  await importForm().getByLabel('File to import').setInputFiles(file);
  await importForm().getByRole('button', { name: 'Read file' }).click();
}

const report = () => importForm().getByTestId('import-report').textContent();

describe('import', () => {
  it('should ask for the password of a protected Bitwarden export, preview it, and report what was left out', async () => {
    await openTransfer();
    await chooseFile(fixture('bitwarden-encrypted-pbkdf2.json'));
    await expect
      .poll(() => importForm().getByRole('alert').textContent())
      .toMatch(/password protected: enter its password/);
    await importForm().getByLabel('Password of the export file').fill('wrong password');
    await importForm().getByRole('button', { name: 'Read file' }).click();
    await expect
      .poll(() => importForm().getByRole('alert').textContent())
      .toBe('Wrong password for this export.');
    await importForm().getByLabel('Password of the export file').fill('export password 123');
    await importForm().getByRole('button', { name: 'Read file' }).click();
    const preview = page.getByRole('region', { name: 'Import preview' });
    await expect.poll(() => preview.textContent()).toMatch(/Bitwarden JSON .*: 8 items to import/);
    await preview.getByText('1 left out, and why').click();
    expect(await preview.locator('.skip-list').first().locator('li').allTextContents()).toEqual([
      'item 9 (Future kind): Bitwarden item type 99 is not one Cofre knows',
    ]);
    // Imported, but with something left out: each says what.
    const partial = preview.getByTestId('import-partial');
    await partial.getByText('3 items imported without a field, and which').click();
    expect(await partial.locator('li').allTextContents()).toEqual([
      expect.stringMatching(/^item 4 \(Me\): the linked field "Full name link"/),
      expect.stringMatching(/^item 7 \(Odd TOTP\): the TOTP value is not one Cofre can use/),
      'item 8 (Broken card): the card number is not valid (must be 8 to 19 digits), so it is kept as a custom field; the security code is not valid (must be 3 or 4 digits), so it is kept as a custom field',
    ]);
    await screenshot(page, 'import-preview');
    await preview.getByRole('button', { name: 'Import 8 items' }).click();
    await expect
      .poll(report, { timeout: 20_000 })
      .toBe('Imported 8 items, 2 new folders, 1 left out.');
    await page.getByRole('button', { name: 'All items' }).click();
    await eventually(async () =>
      expect(await itemNames(page)).toEqual([
        'Broken card',
        'First Bank',
        'Me',
        'Odd TOTP',
        'Server key',
        'Steam',
        'Visa',
        'Wifi at home',
      ]),
    );
  }, 60_000);

  it('should find the items already in the vault when the same file comes again', async () => {
    await openTransfer();
    await chooseFile(fixture('bitwarden.json'));
    const preview = page.getByRole('region', { name: 'Import preview' });
    await preview.getByLabel('Skip 8 items already in the vault').waitFor();
    await preview.getByRole('button', { name: 'Import 0 items' }).click();
    await expect.poll(report).toBe('Imported 0 items, 8 duplicates skipped, 1 left out.');
  });

  it('should import a large Chrome CSV in chunks, showing progress', async () => {
    const rows = Array.from(
      { length: 2_000 },
      (_, i) => `Site ${i},https://site${i}.example.com/login,user${i},pass-${i}`,
    );
    await chooseFile({
      name: 'Chrome Passwords.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`name,url,username,password\n${rows.join('\n')}\n`),
    });
    const preview = page.getByRole('region', { name: 'Import preview' });
    await expect
      .poll(() => preview.textContent())
      .toMatch(
        /Chrome CSV \(also Edge, Brave, Opera, Vivaldi\): 2,000 items to import \(2,000 logins\)/,
      );
    await preview.getByRole('button', { name: 'Import 2,000 items' }).click();
    await importForm().getByRole('status').filter({ hasText: 'Importing' }).waitFor();
    await expect.poll(report, { timeout: 60_000 }).toBe('Imported 2,000 items.');
    await waitSynced(page, 60_000);
    await expect
      .poll(() => page.getByLabel('Search', { exact: true }).getAttribute('placeholder'))
      .toMatch(/Search 2,008 items/);
  }, 120_000);
});

describe('export', () => {
  async function download(format: string, fill: () => Promise<void>) {
    await openTransfer();
    await exportForm().locator('select[name=export-format]').selectOption(format);
    await exportForm().getByLabel('Master password to export').fill(PASSWORD);
    await fill();
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      exportForm().getByRole('button', { name: 'Export' }).click(),
    ]);
    return readFile(await file.path());
  }

  it('should refuse an export without the right master password', async () => {
    await openTransfer();
    await exportForm().getByLabel('Master password to export').fill('not it');
    await exportForm().getByLabel('Password for the export file').fill('file password 1');
    await exportForm().getByRole('button', { name: 'Export' }).click();
    await expect
      .poll(() => exportForm().getByRole('alert').textContent())
      .toBe('Wrong master password.');
  });

  it('should export a password-protected Cofre file that reads back to every item', async () => {
    const text = (
      await download('cofre', () =>
        exportForm().getByLabel('Password for the export file').fill('file password 1'),
      )
    ).toString();
    expect(text).not.toContain('s3cr3t-Bank!');
    const back = await parseImport(text, { password: 'file password 1' });
    expect(back.items).toHaveLength(2_008);
    expect(back.items.find((i) => i.body.name === 'First Bank')).toMatchObject({
      folder: 'Banking',
      body: { password: 's3cr3t-Bank!', username: 'ana@example.com' },
    });
  }, 60_000);

  it('should export a CSV only after the warning is acknowledged, and it reads back', async () => {
    await openTransfer();
    await exportForm().locator('select[name=export-format]').selectOption('csv');
    await exportForm().getByLabel('Master password to export').fill(PASSWORD);
    expect(await exportForm().getByRole('note').textContent()).toMatch(/plain text/);
    expect(await exportForm().getByRole('button', { name: 'Export' }).isDisabled()).toBe(true);
    const csv = (
      await download('csv', () =>
        exportForm().getByLabel('I understand: the file is not encrypted').check(),
      )
    ).toString();
    await expect
      .poll(() => exportForm().getByRole('status').textContent())
      .toMatch(/Exported 2,008 items to cofre-.*\.csv\. 3 cards and identities are not in a CSV\./);
    const back = await parseImport(csv);
    expect(back.format).toBe('bitwarden-csv');
    expect(back.items).toHaveLength(2_005);
  }, 60_000);
});

describe('switching from LastPass', () => {
  it('should import its typed secure notes with custom fields, shown masked, and edit a field', async () => {
    await openTransfer();
    await chooseFile(fixture('lastpass.csv'));
    const preview = page.getByRole('region', { name: 'Import preview' });
    await expect
      .poll(() => preview.textContent())
      .toMatch(/LastPass CSV: 5 items to import \(1 login, 1 card, 1 identity, 2 notes\)/);
    await preview.getByRole('button', { name: 'Import 5 items' }).click();
    await expect.poll(report, { timeout: 20_000 }).toMatch(/^Imported 5 items, 2 new folders/);
    await page.getByRole('button', { name: 'All items' }).click();
    await page.getByLabel('Search', { exact: true }).fill('Home Wi-Fi');
    await openItem(page, 'Home Wi-Fi');
    const wifi = page.getByRole('article', { name: 'Home Wi-Fi' });
    const fields = wifi.getByRole('region', { name: 'Custom fields' });
    expect(await fields.locator('[data-testid^=value-custom]').allTextContents()).toEqual([
      'Casa-5G',
      '••••••••••',
      'WPA2',
      'Wi-Fi Password',
    ]);
    await fields.getByRole('button', { name: 'Show Password' }).click();
    expect(await fields.getByTestId('value-custom-1').textContent()).toBe('wifi-pass-42');
    // Edit: a new hidden field and a yes/no one, then the first one removed.
    await wifi.getByRole('button', { name: 'Edit', exact: true }).click();
    const form = page.getByRole('form', { name: 'Edit item' });
    await form.getByRole('button', { name: '+ Add a field' }).click();
    await form.getByLabel('Name of field 5').fill('Guest password');
    await form.getByLabel('Kind of Guest password').selectOption('hidden');
    await form.getByLabel('Value of Guest password').fill('guest-1234');
    expect(await form.getByLabel('Value of Guest password').getAttribute('type')).toBe('password');
    await form.getByRole('button', { name: '+ Add a field' }).click();
    await form.getByLabel('Name of field 6').fill('5 GHz');
    await form.getByLabel('Kind of 5 GHz').selectOption('boolean');
    await form.getByLabel('Value of 5 GHz').check();
    await form.getByRole('button', { name: 'Remove SSID' }).click();
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    await expect
      .poll(() => fields.locator('.field-label').allTextContents())
      .toEqual(['Password', 'Connection Type', 'Type', 'Guest password', '5 GHz']);
    expect(await fields.getByTestId('value-custom-3').textContent()).toBe('••••••••••');
    expect(await fields.getByTestId('value-custom-4').textContent()).toBe('Yes');
    await screenshot(page, 'custom-fields');
    // A field with a value and no name is refused with a sentence, and nothing is saved.
    await wifi.getByRole('button', { name: 'Edit', exact: true }).click();
    await form.getByRole('button', { name: '+ Add a field' }).click();
    await form.getByLabel('Value of field 6').fill('orphan');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => form.locator('#err-field-5').textContent())
      .toBe('Give the field a name.');
    await form.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => fields.locator('.field-label').count()).toBe(5);
  }, 60_000);
});

describe('files from other managers', () => {
  it('should ask which manager made a file that fits two, showing what each would import', async () => {
    await openTransfer();
    await chooseFile({
      name: 'passwords.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'name,url,username,password,cardholdername,cardnumber\nShop,https://shop.example/,ana,shop-pass,,\n',
      ),
    });
    const choice = importForm().getByRole('group', { name: 'Which manager made this file?' });
    await choice.waitFor();
    const options = await choice.locator('label').allTextContents();
    expect(options).toEqual([
      expect.stringMatching(/^ Chrome CSV .* — 1 item to import \(1 login\)$/),
      expect.stringMatching(
        /^ NordPass CSV — This file lacks the columns a NordPass CSV export has: note, type\.$/,
      ),
    ]);
    await choice.getByRole('radio', { name: /Chrome CSV/ }).check();
    await choice.getByRole('button', { name: 'Read it as this one' }).click();
    const preview = page.getByRole('region', { name: 'Import preview' });
    await expect.poll(() => preview.textContent()).toMatch(/Chrome CSV .*: 1 item to import/);
  }, 30_000);

  it('should import a 1Password 1PUX archive through the page', async () => {
    const { strToU8, zipSync } = await import('fflate');
    const data = await readFile(fixture('1password-1pux-export.data.json'), 'utf8');
    await chooseFile({
      name: '1PasswordExport.1pux',
      mimeType: 'application/zip',
      buffer: Buffer.from(zipSync({ 'export.data': strToU8(data) })),
    });
    const preview = page.getByRole('region', { name: 'Import preview' });
    await expect
      .poll(() => preview.textContent())
      .toMatch(/1Password 1PUX: 4 items to import \(1 login, 1 card, 1 identity, 1 note\)/);
    await preview.getByRole('button', { name: /^Import \d+ items?$/ }).click();
    await expect.poll(report, { timeout: 20_000 }).toMatch(/^Imported \d+ items?/);
  }, 30_000);

  it('should import a 1Password 7 CSV and a Dashlane zip with its IDs and personal info', async () => {
    await openTransfer();
    await chooseFile(fixture('1password7-mac.csv'));
    const preview = page.getByRole('region', { name: 'Import preview' });
    await expect
      .poll(() => preview.textContent())
      .toMatch(
        /1Password 7 for Mac CSV: 7 items to import \(2 logins, 2 identities, 1 card, 2 notes\)/,
      );
    await preview.getByRole('button', { name: /^Import \d+ items?$/ }).click();
    await expect.poll(report, { timeout: 20_000 }).toMatch(/^Imported \d+ items?/);
    const { strToU8, zipSync } = await import('fflate');
    const names = ['credentials.csv', 'ids.csv', 'personalInfo.csv'];
    const files: Record<string, Uint8Array> = {};
    for (const n of names) files[n] = strToU8(await readFile(fixture(`dashlane/${n}`), 'utf8'));
    await chooseFile({
      name: 'dashlane-export.zip',
      mimeType: 'application/zip',
      buffer: Buffer.from(zipSync(files)),
    });
    await expect
      .poll(() => preview.textContent())
      .toMatch(/Dashlane \(CSV or zip\): 8 items to import \(2 logins, 6 identities\)/);
    await preview.getByRole('button', { name: /^Import \d+ items?$/ }).click();
    await expect.poll(report, { timeout: 20_000 }).toMatch(/^Imported \d+ items?/);
    await page.getByRole('button', { name: 'All items' }).click();
    await page.getByLabel('Search', { exact: true }).fill('Ana María');
    await eventually(async () =>
      expect(await itemNames(page)).toEqual([
        'Ana María Example',
        'Driver’s licence · Ana María Example',
        'ID card · Ana María Example',
        'Passport · Ana María Example',
        'Social security number · Ana María Example',
      ]),
    );
    await page.getByLabel('Search', { exact: true }).fill('');
  }, 60_000);

  it('should export the vault as a CXF file that reads back to every item', async () => {
    await openTransfer();
    await exportForm().locator('select[name=export-format]').selectOption('cxf');
    await exportForm().getByLabel('Master password to export').fill(PASSWORD);
    await exportForm().getByLabel('I understand: the file is not encrypted').check();
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      exportForm().getByRole('button', { name: 'Export' }).click(),
    ]);
    const text = (await readFile(await file.path())).toString();
    const status = await exportForm().getByRole('status').textContent();
    const n = Number(/Exported ([\d,]+) items/.exec(status ?? '')![1]!.replace(/,/g, ''));
    const back = await parseImport(text);
    expect(back.format).toBe('cxf');
    expect(back.items).toHaveLength(n);
    expect(back.items.find((i) => i.body.name === 'Home Wi-Fi')?.body.fields).toEqual(
      expect.arrayContaining([{ name: 'Guest password', value: 'guest-1234', type: 'hidden' }]),
    );
  }, 60_000);
});

describe('in Spanish', () => {
  it('should say what it left out, and where, in the UI’s language', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('combobox', { name: 'Language' }).selectOption('es');
    await page.getByRole('button', { name: 'Importar y exportar' }).click();
    const form = page.getByRole('form', { name: 'Importar' });
    await form.getByLabel('Archivo a importar').setInputFiles(fixture('chrome-stray-quote.csv'));
    await form.getByRole('button', { name: 'Leer archivo' }).click();
    const preview = page.getByRole('region', { name: 'Vista previa de la importación' });
    await preview.locator('.skip-list summary').click();
    expect(await preview.locator('.skip-list li').allTextContents()).toEqual([
      'línea 3: no se pudo leer: se abren comillas que nunca se cierran',
    ]);
    await page.getByRole('button', { name: 'Ajustes' }).click();
    await page.getByRole('combobox', { name: 'Idioma' }).selectOption('en');
    await page.getByRole('button', { name: 'Lock' }).waitFor();
  }, 30_000);
});
