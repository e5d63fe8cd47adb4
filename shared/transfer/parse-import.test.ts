import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRecordBody } from '../model/item.ts';
import { sealCofreExport } from './cofre-export.ts';
import { toBitwardenJson, toCsv } from './export-items.ts';
import type { ImportedItem } from './import-result.ts';
import { detectFormat, parseImport } from './parse-import.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../test/fixtures/import/${name}`, import.meta.url), 'utf8');

const AT = '2026-11-30T00:00:00.000Z';
/** An item as the vault would hold it (defaults filled), to compare imports by content. */
const settle = ({ body, folder }: ImportedItem) => ({
  folder,
  body: parseRecordBody({ createdAt: AT, updatedAt: AT, ...body, folderId: null }),
});
const summary = (items: ImportedItem[]) =>
  items.map(({ body, folder }) => ({
    type: body.type,
    name: body.name,
    username: body.username,
    password: body.password,
    folder,
  }));

describe('parseImport', () => {
  it('should read every item type of a Bitwarden JSON export, with folders, fields, match modes and history', async () => {
    const text = fixture('bitwarden.json');
    expect(detectFormat(text)).toEqual({ format: 'bitwarden-json' });
    const r = await parseImport(text);
    expect(summary(r.items)).toEqual([
      {
        type: 'login',
        name: 'First Bank',
        username: 'ana@example.com',
        password: 's3cr3t-Bank!',
        folder: 'Banking',
      },
      {
        type: 'note',
        name: 'Wifi at home',
        username: undefined,
        password: undefined,
        folder: null,
      },
      { type: 'card', name: 'Visa', username: undefined, password: undefined, folder: 'Banking' },
      { type: 'identity', name: 'Me', username: 'ana', password: undefined, folder: 'Work' },
      { type: 'note', name: 'Server key', username: undefined, password: undefined, folder: null },
      { type: 'login', name: 'Steam', username: 'gamer', password: 'steam-pass-1', folder: null },
      { type: 'login', name: 'Odd TOTP', username: 'odd', password: 'odd-pass', folder: null },
      { type: 'card', name: 'Broken card', username: undefined, password: undefined, folder: null },
    ]);
    const bank = settle(r.items[0]!).body;
    expect(bank).toMatchObject({
      favorite: true,
      reprompt: true,
      totp: 'JBSWY3DPEHPK3PXP',
      uris: [
        { uri: 'https://bank.example.com/login', match: 'domain' },
        { uri: 'https://m.bank.example.com/', match: 'exact' },
      ],
      fields: [
        { name: 'PIN hint', value: 'birthday', type: 'text' },
        { name: 'Security answer', value: 'Rex', type: 'hidden' },
      ],
      passwordHistory: [{ password: 'old-Bank-1', changedAt: '2025-03-01T10:00:00.000Z' }],
      createdAt: '2024-01-02T03:04:05.000Z',
    });
    // Custom fields on every type, each of its kind; none folded into the notes.
    expect(settle(r.items[1]!).body).toMatchObject({
      notes: expect.not.stringContaining('4821'),
      fields: [
        { name: 'Network', value: 'Casa-5G', type: 'text' },
        { name: 'Router admin PIN', value: '4821', type: 'hidden' },
      ],
    });
    expect(settle(r.items[2]!).body).toMatchObject({
      number: '4111111111111111',
      expMonth: 7,
      expYear: 2029,
      code: '123',
      fields: [
        { name: 'Contactless', value: 'true', type: 'boolean' },
        { name: 'CVV on the form', value: 'code', type: 'linked' },
      ],
    });
    expect(settle(r.items[3]!).body).toMatchObject({
      fields: [{ name: 'Blood type', value: '0+', type: 'text' }],
    });
    // An SSH key: a secure note with the key pair as fields, the private key hidden.
    expect(settle(r.items[4]!).body).toMatchObject({
      fields: [
        { name: 'Private key', value: '(placeholder, not a key)', type: 'hidden' },
        { name: 'Public key', value: '(placeholder)', type: 'text' },
        { name: 'Fingerprint', value: '(placeholder)', type: 'text' },
      ],
    });
    // Steam Guard is a TOTP Cofre makes codes for; a TOTP value it cannot use is kept hidden,
    // the login imported, and the preview says so.
    expect(settle(r.items[5]!).body).toMatchObject({ totp: 'steam://JBSWY3DPEHPK3PXP' });
    expect(settle(r.items[6]!).body).toMatchObject({
      totp: null,
      fields: [{ name: 'TOTP (not usable)', value: 'not a totp secret!', type: 'hidden' }],
    });
    // A card number or code the schema refuses does not cost the card: each is kept, hidden,
    // as a custom field, and the preview says so.
    expect(settle(r.items[7]!).body).toMatchObject({
      cardholderName: 'X',
      number: null,
      code: null,
      fields: [
        { name: 'Card number', value: '12', type: 'hidden' },
        { name: 'Security code', value: '1', type: 'hidden' },
      ],
    });
    expect(r.partial).toEqual([
      { where: 'item 4 (Me)', reason: expect.stringMatching(/linked field "Full name link"/) },
      { where: 'item 7 (Odd TOTP)', reason: expect.stringMatching(/TOTP value is not one/) },
      {
        where: 'item 8 (Broken card)',
        reason:
          'the card number is not valid (must be 8 to 19 digits), so it is kept as a custom field; the security code is not valid (must be 3 or 4 digits), so it is kept as a custom field',
      },
    ]);
    expect(r.skipped).toEqual([
      { where: 'item 9 (Future kind)', reason: 'Bitwarden item type 99 is not one Cofre knows' },
    ]);
  });

  it('should open a password-protected Bitwarden export (PBKDF2 and Argon2id) to the same items as the plain one', async () => {
    const plain = await parseImport(fixture('bitwarden.json'));
    for (const name of ['bitwarden-encrypted-pbkdf2.json', 'bitwarden-encrypted-argon2id.json']) {
      const text = fixture(name);
      await expect(parseImport(text), name).rejects.toMatchObject({ code: 'PASSWORD_REQUIRED' });
      await expect(parseImport(text, { password: 'wrong' }), name).rejects.toMatchObject({
        code: 'WRONG_PASSWORD',
      });
      const opened = await parseImport(text, { password: 'export password 123' });
      expect(opened.items, name).toEqual(plain.items);
      expect(opened.skipped, name).toEqual(plain.skipped);
    }
  });

  it('should refuse a Bitwarden export locked to a Bitwarden account', async () => {
    const text = JSON.stringify({
      encrypted: true,
      encKeyValidation_DO_NOT_EDIT: '2.a|b|c',
      folders: [],
      items: [],
    });
    await expect(parseImport(text)).rejects.toThrow(/locked to a Bitwarden account/);
  });

  it('should read Chrome, Firefox and 1Password CSV exports, quoting and all', async () => {
    const chrome = await parseImport(fixture('chrome.csv'));
    expect(chrome.format).toBe('chrome-csv');
    expect(summary(chrome.items)).toEqual([
      {
        type: 'login',
        name: 'bank.example.com',
        username: 'ana@example.com',
        password: 's3cr3t-Bank!',
        folder: null,
      },
      {
        type: 'login',
        name: 'Mail, personal',
        username: 'ana',
        password: 'pa"ss,word',
        folder: null,
      },
      {
        type: 'login',
        name: 'nameless.example.net',
        username: 'bob',
        password: 'hunter2',
        folder: null,
      },
    ]);
    expect(chrome.items[1]!.body.notes).toBe('has a comma');

    const firefox = await parseImport(fixture('firefox.csv'));
    expect(firefox.format).toBe('firefox-csv');
    expect(summary(firefox.items).map((i) => [i.name, i.password])).toEqual([
      ['bank.example.com', 's3cr3t-Bank!'],
      ['shop.example.com', 'multi\nline'],
    ]);
    // A multi-line value: the row after it is named by its real line in the file.
    expect(firefox.skipped).toEqual([{ where: 'line 5', reason: 'Firefox account entry' }]);

    const op = await parseImport(fixture('1password.csv'));
    expect(op.format).toBe('1password-csv');
    expect(summary(op.items).map((i) => i.name)).toEqual(['First Bank', 'Router']);
    expect(settle(op.items[0]!).body).toMatchObject({
      favorite: true,
      tags: ['finance', 'important'],
      totp: 'otpauth://totp/Bank:ana?secret=JBSWY3DPEHPK3PXP&issuer=Bank',
      notes: 'Branch: Main St.',
    });
    expect(op.skipped).toEqual([{ where: 'line 3 (Old forum)', reason: 'archived in 1Password' }]);
  });

  it('should read a KeePass 2 XML export: nested groups as folders, no history, no recycle bin', async () => {
    const r = await parseImport(fixture('keepass.xml'));
    expect(r.format).toBe('keepass-xml');
    expect(summary(r.items)).toEqual([
      {
        type: 'login',
        name: 'First Bank',
        username: 'ana@example.com',
        password: 's3cr3t-Bank!',
        folder: null,
      },
      {
        type: 'login',
        name: 'Build box',
        username: 'root',
        password: '<b>uild!',
        folder: 'Work/Servers',
      },
    ]);
    expect(settle(r.items[0]!).body).toMatchObject({
      notes: 'Branch: Main St. & 2nd',
      fields: [{ name: 'Security answer', value: 'Rex', type: 'hidden' }],
    });
    expect(settle(r.items[1]!).body).toMatchObject({
      totp: 'otpauth://totp/Build?secret=JBSWY3DPEHPK3PXP',
    });
  });

  it('should say clearly when a file is not an export it knows, or is malformed', async () => {
    await expect(parseImport('hello world')).rejects.toMatchObject({ code: 'UNKNOWN_FORMAT' });
    await expect(parseImport('{"some":"json"}')).rejects.toMatchObject({ code: 'UNKNOWN_FORMAT' });
    await expect(
      parseImport('{"encrypted":false,"items":[', { format: 'bitwarden-json' }),
    ).rejects.toMatchObject({
      code: 'MALFORMED',
    });
    await expect(
      parseImport('<KeePassFile><Root>', { format: 'keepass-xml' }),
    ).rejects.toMatchObject({
      code: 'MALFORMED',
    });
  });
});

describe('export and import again', () => {
  const source = async () => (await parseImport(fixture('bitwarden.json'))).items;

  it('should round-trip every item through a password-protected Cofre export', async () => {
    const items = await source();
    const file = await sealCofreExport(items, 'cofre export pw');
    expect(file).not.toContain('s3cr3t-Bank!');
    expect(detectFormat(file)).toEqual({ format: 'cofre' });
    await expect(parseImport(file, { password: 'nope' })).rejects.toMatchObject({
      code: 'WRONG_PASSWORD',
    });
    const back = await parseImport(file, { password: 'cofre export pw' });
    expect(back.items.map(settle)).toEqual(items.map(settle));
  }, 20_000);

  it('should round-trip every item through Bitwarden-compatible JSON', async () => {
    const items = await source();
    const back = await parseImport(toBitwardenJson(items.map(settle) as unknown as ImportedItem[]));
    expect(back.skipped).toEqual([]);
    expect(back.items.map(settle)).toEqual(items.map(settle));
  });

  it('should round-trip logins and notes through CSV, and count what CSV cannot carry', async () => {
    const items = (await source()).map(settle) as unknown as ImportedItem[];
    const { csv, left } = toCsv(items);
    expect(left).toBe(3); // the two cards and the identity
    const back = await parseImport(csv);
    expect(back.format).toBe('bitwarden-csv');
    const carried = items.filter((i) => i.body.type === 'login' || i.body.type === 'note');
    const strip = (i: ImportedItem) => {
      const { body } = settle(i);
      // CSV has no created/updated times, password history, or kinds of fields.
      const flat = { ...body, createdAt: AT, updatedAt: AT } as Record<string, unknown>;
      if ('fields' in body) flat.fields = body.fields.map((f) => ({ ...f, type: 'text' }));
      if (body.type === 'login') {
        flat.passwordHistory = [];
        flat.uris = body.uris.map((u) => ({ ...u, match: 'domain' }));
      }
      return { folder: i.folder, body: flat };
    };
    expect(back.items.map(strip)).toEqual(carried.map(strip));
  });
});
