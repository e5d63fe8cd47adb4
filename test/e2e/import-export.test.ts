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
    await expect.poll(() => preview.textContent()).toMatch(/Bitwarden JSON .*: 4 items to import/);
    await preview.getByText('2 left out, and why').click();
    expect(await preview.locator('li').allTextContents()).toEqual([
      expect.stringMatching(/^item 5 \(Server key\): Bitwarden item type 5/),
      expect.stringMatching(/^item 6 \(Broken card\): number: must be 8 to 19 digits/),
    ]);
    await screenshot(page, 'import-preview');
    await preview.getByRole('button', { name: 'Import 4 items' }).click();
    await expect
      .poll(report, { timeout: 20_000 })
      .toBe('Imported 4 items, 2 new folders, 2 left out.');
    await page.getByRole('button', { name: 'All items' }).click();
    await eventually(async () =>
      expect(await itemNames(page)).toEqual(['First Bank', 'Me', 'Visa', 'Wifi at home']),
    );
  }, 60_000);

  it('should find the items already in the vault when the same file comes again', async () => {
    await openTransfer();
    await chooseFile(fixture('bitwarden.json'));
    const preview = page.getByRole('region', { name: 'Import preview' });
    await preview.getByLabel('Skip 4 items already in the vault').waitFor();
    await preview.getByRole('button', { name: 'Import 0 items' }).click();
    await expect.poll(report).toBe('Imported 0 items, 4 duplicates skipped, 2 left out.');
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
      .toMatch(/Chrome CSV: 2,000 items to import \(2,000 login\)/);
    await preview.getByRole('button', { name: 'Import 2,000 items' }).click();
    await importForm().getByRole('status').filter({ hasText: 'Importing' }).waitFor();
    await expect.poll(report, { timeout: 60_000 }).toBe('Imported 2,000 items.');
    await waitSynced(page, 60_000);
    await expect
      .poll(() => page.getByLabel('Search', { exact: true }).getAttribute('placeholder'))
      .toMatch(/Search 2,004 items/);
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
    expect(back.items).toHaveLength(2_004);
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
      .toMatch(/Exported 2,004 items to cofre-.*\.csv\. 2 cards and identities are not in a CSV\./);
    const back = await parseImport(csv);
    expect(back.format).toBe('bitwarden-csv');
    expect(back.items).toHaveLength(2_002);
  }, 60_000);
});
