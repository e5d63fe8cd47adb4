// Every CSV format Cofre reads, from fixtures in its producer's published shape
// (test/fixtures/import/README.md says where each shape comes from): every field of every item.
import { readFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseRecordBody } from '../model/item.ts';
import { toCxf } from './cxf.ts';
import type { ImportedItem } from './import-result.ts';
import { detectFormat, parseImport } from './parse-import.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../test/fixtures/import/${name}`, import.meta.url), 'utf8');
const AT = '2026-11-30T00:00:00.000Z';
/** The item as the vault keeps it, without the defaults that say nothing. */
const full = ({ body, folder }: ImportedItem) => {
  const b = parseRecordBody({ createdAt: AT, updatedAt: AT, ...body }) as Record<string, unknown>;
  const out: Record<string, unknown> = { folder };
  for (const [k, v] of Object.entries(b)) {
    if (['createdAt', 'updatedAt', 'conflicts', 'editedBy', 'trashedAt', 'folderId'].includes(k))
      continue;
    if (v === null || v === '' || v === false || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out;
};

describe('LastPass CSV', () => {
  it('should be told from Chrome CSV, and read secure notes as cards, identities and notes with fields', async () => {
    const text = fixture('lastpass.csv');
    expect(detectFormat(text)).toEqual({ format: 'lastpass-csv' });
    const r = await parseImport(text);
    expect(r.items.map(full)).toEqual([
      {
        folder: 'Finance/Banks',
        type: 'login',
        name: 'First Bank',
        username: 'ana@example.com',
        password: 's3cr3t-Bank!',
        totp: 'JBSWY3DPEHPK3PXP',
        notes: 'Branch: Main St.',
        favorite: true,
        uris: [{ uri: 'https://bank.example.com/login', match: 'domain' }],
      },
      {
        folder: 'Finance',
        type: 'card',
        name: 'Travel Visa',
        cardholderName: 'Ana Example',
        brand: 'Visa',
        number: '4111 1111 1111 1111',
        code: '123',
        expMonth: 7,
        expYear: 2029,
        notes: 'Use for travel only\nsecond line',
      },
      {
        folder: null,
        type: 'identity',
        name: 'Home address',
        title: 'ms',
        firstName: 'Ana',
        lastName: 'Example',
        username: 'ana',
        company: 'Example S.L.',
        address1: 'Calle Mayor 1',
        city: 'Madrid',
        state: 'Madrid',
        postalCode: '28013',
        country: 'ES',
        email: 'ana@example.com',
        phone: '600111222',
        fields: [{ name: 'Gender', value: 'f', type: 'text' }],
      },
      {
        folder: null,
        type: 'note',
        name: 'Home Wi-Fi',
        notes: 'Router in the hall',
        fields: [
          { name: 'SSID', value: 'Casa-5G', type: 'text' },
          { name: 'Password', value: 'wifi-pass-42', type: 'hidden' },
          { name: 'Connection Type', value: 'WPA2', type: 'text' },
          { name: 'Type', value: 'Wi-Fi Password', type: 'text' },
        ],
      },
      { folder: null, type: 'note', name: 'Plain note', notes: 'Just a plain secure note' },
    ]);
    expect(r.skipped).toEqual([{ where: 'line 53', reason: 'an empty row (a LastPass folder)' }]);
  });
});

describe('NordPass CSV', () => {
  it('should read logins with extra addresses and custom fields, cards, identities and notes; folders are not items', async () => {
    const text = fixture('nordpass.csv');
    expect(detectFormat(text)).toEqual({ format: 'nordpass-csv' });
    const r = await parseImport(text);
    expect(r.items.map(full)).toEqual([
      {
        folder: 'Work',
        type: 'login',
        name: 'GitHub',
        username: 'ana@example.com',
        password: 'gh-pass-1',
        notes: 'Recovery codes in the safe',
        uris: [
          { uri: 'https://github.com/login', match: 'domain' },
          { uri: 'https://gist.github.com', match: 'domain' },
        ],
        fields: [
          { name: 'Backup email', value: 'ana@backup.example', type: 'text' },
          { name: 'Recovery PIN', value: '8842', type: 'hidden' },
        ],
      },
      {
        folder: null,
        type: 'card',
        name: 'Debit card',
        cardholderName: 'Ana Example',
        number: '4111 1111 1111 1111',
        code: '321',
        expMonth: 7,
        expYear: 2029,
        fields: [{ name: 'PIN', value: '1234', type: 'hidden' }],
      },
      {
        folder: null,
        type: 'identity',
        name: 'Me',
        notes: 'Identity note',
        firstName: 'Ana',
        lastName: 'Example',
        phone: '600111222',
        email: 'ana@example.com',
        address1: 'Calle Mayor 1',
        city: 'Madrid',
        state: 'Madrid',
        postalCode: '28013',
        country: 'ES',
      },
      { folder: null, type: 'note', name: 'Alarm code', notes: 'The code is 2580' },
    ]);
    expect(r.skipped).toEqual([
      { where: 'line 2 (Work)', reason: 'a NordPass folder (its items carry it)' },
    ]);
  });
});

describe('KeePassXC CSV', () => {
  it('should read groups below the root as folders, and the TOTP', async () => {
    const r = await parseImport(fixture('keepassxc.csv'));
    expect(r.format).toBe('keepassxc-csv');
    expect(r.items.map(full)).toEqual([
      {
        folder: null,
        type: 'login',
        name: 'First Bank',
        username: 'ana@example.com',
        password: 's3cr3t-Bank!',
        notes: 'Branch: Main St.',
        totp: 'otpauth://totp/Bank:ana?secret=JBSWY3DPEHPK3PXP&period=30&digits=6&issuer=Bank',
        uris: [{ uri: 'https://bank.example.com/login', match: 'domain' }],
      },
      {
        folder: 'Work/Servers',
        type: 'login',
        name: 'Build box',
        username: 'root',
        password: '<b>uild!',
        uris: [{ uri: 'ssh://build.example.net', match: 'domain' }],
      },
    ]);
  });
});

describe('Apple Passwords and Safari CSV', () => {
  it('should read the current header (with notes and OTPAuth) and the old one', async () => {
    const r = await parseImport(fixture('apple.csv'));
    expect(r.format).toBe('apple-csv');
    expect(r.items.map(full)).toEqual([
      {
        folder: null,
        type: 'login',
        name: 'bank.example.com (ana@example.com)',
        username: 'ana@example.com',
        password: 's3cr3t-Bank!',
        notes: 'Branch: Main St.',
        totp: 'otpauth://totp/Bank:ana?secret=JBSWY3DPEHPK3PXP&issuer=Bank',
        uris: [{ uri: 'https://bank.example.com/', match: 'domain' }],
      },
      {
        folder: null,
        type: 'login',
        name: 'mail.example.com',
        username: 'ana',
        password: 'pa"ss,word',
        uris: [{ uri: 'https://mail.example.com/', match: 'domain' }],
      },
    ]);
    const old = await parseImport(fixture('safari-old.csv'));
    expect(old.format).toBe('apple-csv');
    expect(old.items.map(full)).toEqual([
      {
        folder: null,
        type: 'login',
        name: 'old.example.com',
        username: 'ana',
        password: 'old-pass',
        uris: [{ uri: 'https://old.example.com/', match: 'domain' }],
      },
    ]);
  });
});

describe('damaged and unusual files', () => {
  it('should read a semicolon-separated CSV, listing a row that does not line up by its line', async () => {
    const r = await parseImport(fixture('chrome-semicolon.csv'));
    expect(r.format).toBe('chrome-csv');
    expect(r.items.map((i) => i.body.name)).toEqual(['First Bank']);
    expect(r.skipped).toEqual([
      { where: 'line 3', reason: 'could not be read: it has 6 values where the header has 5' },
    ]);
  });

  it('should import every good row of a CSV with a quote never closed, naming the broken line', async () => {
    const r = await parseImport(fixture('chrome-stray-quote.csv'));
    expect(r.items.map((i) => i.body.name)).toEqual(['First Bank', 'Mail']);
    expect(r.skipped).toEqual([
      { where: 'line 3', reason: 'could not be read: a quote is opened and never closed' },
    ]);
  });

  it('should keep columns a format does not map as custom fields, never drop them', async () => {
    const r = await parseImport(
      'name,url,username,password,note,Security question\nBank,https://b.example/,ana,pw,,Pet: Rex\n',
    );
    expect(r.format).toBe('chrome-csv');
    expect(full(r.items[0]!).fields).toEqual([
      { name: 'security question', value: 'Pet: Rex', type: 'text' },
    ]);
  });

  it('should ask which manager made a file whose columns fit two, and import either when told', async () => {
    // Chrome's columns plus two that only NordPass writes, without NordPass's type column.
    const text =
      'name,url,username,password,cardholdername,cardnumber\nBank,https://b.example/,ana,pw,,\n';
    await expect(parseImport(text)).rejects.toMatchObject({
      code: 'AMBIGUOUS',
      candidates: ['chrome-csv', 'nordpass-csv'],
    });
    expect((await parseImport(text, { format: 'chrome-csv' })).items).toHaveLength(1);
    await expect(parseImport(text, { format: 'nordpass-csv' })).rejects.toThrow(
      /lacks the columns/,
    );
  });

  it('should take a Bitwarden JSON without the "encrypted" key (as KeePassXC writes it)', async () => {
    const text = JSON.stringify({
      items: [{ type: 1, name: 'Bank', login: { username: 'ana', password: 'pw', uris: [] } }],
    });
    expect(detectFormat(text)).toEqual({ format: 'bitwarden-json' });
    expect((await parseImport(text)).items.map(full)).toEqual([
      { folder: null, type: 'login', name: 'Bank', username: 'ana', password: 'pw' },
    ]);
  });

  it('should call a cut-short Bitwarden JSON damaged, not unknown', async () => {
    const text = fixture('bitwarden.json').slice(0, 900);
    await expect(parseImport(text)).rejects.toMatchObject({
      code: 'MALFORMED',
      message: expect.stringMatching(/^This Bitwarden JSON export is damaged/),
    });
  });

  it('should refuse a KeePass XML that declares entities, expanding none', async () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE KeePassFile [<!ENTITY evil "https://evil.example/">]>
<KeePassFile><Root><Group><Name>Root</Name><Entry><String><Key>Title</Key><Value>Bank</Value></String><String><Key>URL</Key><Value>&evil;</Value></String></Entry></Group></Root></KeePassFile>`;
    await expect(parseImport(xml)).rejects.toThrow(/declares a document type or entities/);
  });
});

describe('Credential Exchange Format (CXF 1.0)', () => {
  it('should read every credential type into Cofre’s types, naming what it cannot hold', async () => {
    const text = fixture('cxf.json');
    expect(detectFormat(text)).toEqual({ format: 'cxf' });
    const r = await parseImport(text);
    expect(r.items.map(full)).toEqual([
      {
        folder: 'Finance/Banks',
        type: 'login',
        name: 'First Bank',
        username: 'ana@example.com',
        password: 's3cr3t-Bank!',
        totp: expect.stringMatching(/^otpauth:\/\/totp\/.*secret=JBSWY3DPEHPK3PXP/),
        notes: 'Branch: Main St.',
        favorite: true,
        tags: ['finance'],
        uris: [{ uri: 'https://bank.example.com/login', match: 'domain' }],
        fields: [
          { name: 'First pet', value: 'Rex', type: 'hidden' },
          { name: 'Paperless', value: 'true', type: 'boolean' },
        ],
        passkeys: [
          {
            credentialId: 'Y3JlZC0x',
            rpId: 'bank.example.com',
            rpName: '',
            userHandle: 'dXNlci0x',
            userName: 'ana@example.com',
            userDisplayName: 'Ana',
            algorithm: -7,
            privateKey:
              'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgo-qqacpwH27fephSwAqDR-wS-e7Ab8AlCBxwztoTh96hRANCAATTHJ6qTFmPW0hPbTkDpW9bStxDShYy6Kxrhb3D7ULILmyDFdjW9srRotAVQ0pcXEnaMVFR6DTQuKEcCKhtcV_f',
            counter: 0,
            discoverable: true,
            createdAt: '2024-01-02T03:04:05.000Z',
          },
        ],
      },
      {
        folder: 'Finance',
        type: 'card',
        name: 'Travel Visa',
        cardholderName: 'Ana Example',
        brand: 'Visa',
        number: '4111 1111 1111 1111',
        code: '123',
        expMonth: 7,
        expYear: 2029,
        fields: [
          { name: 'PIN', value: '4321', type: 'hidden' },
          { name: 'Valid from', value: '2024-07', type: 'text' },
        ],
      },
      {
        folder: null,
        type: 'identity',
        name: 'Me',
        title: 'Ms',
        firstName: 'Ana',
        lastName: 'Example',
        address1: 'Calle Mayor 1',
        address2: '2º B',
        postalCode: '28013',
        city: 'Madrid',
        state: 'ES-M',
        country: 'ES',
        phone: '+34 600 111 222',
        passportNumber: 'PAA123456',
        fields: [
          { name: 'Nickname', value: 'Anita', type: 'text' },
          { name: 'Passport: issuingCountry', value: 'ES', type: 'text' },
          { name: 'Passport: expiryDate', value: '2031-05-01', type: 'text' },
        ],
      },
      {
        folder: null,
        type: 'note',
        name: 'Home Wi-Fi',
        fields: [
          { name: 'SSID', value: 'Casa-5G', type: 'text' },
          { name: 'Security', value: 'wpa2-personal', type: 'text' },
          { name: 'Passphrase', value: 'wifi-pass-42', type: 'hidden' },
          { name: 'Hidden network', value: 'false', type: 'boolean' },
        ],
      },
      {
        folder: null,
        type: 'note',
        name: 'Build server key',
        fields: [
          { name: 'Key type', value: 'ssh-ed25519', type: 'text' },
          {
            name: 'Private key (PKCS#8, base64url)',
            value: 'MC4CAQAwBQYDK2VwBCIEIPLACEHOLDERNOTAREALKEY0000000000000000000',
            type: 'hidden',
          },
          { name: 'Key comment', value: 'ana@laptop', type: 'text' },
        ],
      },
    ]);
    expect(r.partial).toEqual([
      {
        where: 'item 1 (First Bank)',
        reason: 'a passkey for bank.example.com (a key type Cofre cannot sign with)',
      },
    ]);
    expect(r.items[0]!.body.createdAt).toBe('2024-01-02T03:04:05.000Z');
  });

  it('should write every item type to CXF and read it back to the same items', async () => {
    const source = (await parseImport(fixture('bitwarden.json'))).items.map((i) => ({
      folder: i.folder,
      body: parseRecordBody({ createdAt: AT, updatedAt: AT, ...i.body }) as unknown as Record<
        string,
        unknown
      >,
    }));
    const file = toCxf(source, { email: 'ana@example.com' });
    expect(detectFormat(file)).toEqual({ format: 'cxf' });
    const back = await parseImport(file);
    // CXF has no password history, re-prompt, linked fields or URL match modes; the rest comes
    // back as it went.
    const plain = (i: ImportedItem) => {
      const b = full(i);
      delete b.passwordHistory;
      delete b.reprompt;
      if (Array.isArray(b.uris))
        b.uris = (b.uris as Array<{ uri: string }>).map((u) => ({ uri: u.uri, match: 'domain' }));
      if (Array.isArray(b.fields)) {
        b.fields = (b.fields as Array<{ type: string }>).filter((f) => f.type !== 'linked');
        if ((b.fields as unknown[]).length === 0) delete b.fields;
      }
      if (typeof b.totp === 'string' && !b.totp.startsWith('steam://')) b.totp = 'TOTP';
      return b;
    };
    expect(back.items.map(plain)).toEqual(
      source.map((i) => {
        const b = plain(i);
        // A Steam secret has no CXF member: it travels as a hidden field.
        if (b.totp === 'steam://JBSWY3DPEHPK3PXP') {
          delete b.totp;
          b.fields = [{ name: 'TOTP', value: 'steam://JBSWY3DPEHPK3PXP', type: 'hidden' }];
        }
        return b;
      }),
    );
  });
});

describe('1Password 1PUX', () => {
  const archive = (files: Record<string, string>) =>
    zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])));

  it('should read the archive: logins with TOTP, history and form fields, cards, identities, other categories with fields; vaults as folders', async () => {
    const bytes = archive({
      'export.attributes':
        '{"version":3,"description":"1Password Unencrypted Export","createdAt":1764662400}',
      'export.data': fixture('1password-1pux-export.data.json'),
    });
    const r = await parseImport(bytes);
    expect(r.format).toBe('1password-1pux');
    expect(r.items.map(full)).toEqual([
      {
        folder: 'Personal',
        type: 'login',
        name: 'First Bank',
        username: 'ana@example.com',
        password: 's3cr3t-Bank!',
        totp: 'otpauth://totp/Bank:ana?secret=JBSWY3DPEHPK3PXP&issuer=Bank',
        notes: 'Branch: Main St.',
        favorite: true,
        tags: ['finance'],
        uris: [
          { uri: 'https://bank.example.com/login', match: 'domain' },
          { uri: 'https://m.bank.example.com/', match: 'domain' },
        ],
        passwordHistory: [{ password: 'old-Bank-1', changedAt: '2024-03-01T10:00:00.000Z' }],
        fields: [
          { name: 'remember', value: 'true', type: 'boolean' },
          { name: 'First pet', value: 'Rex', type: 'hidden' },
        ],
      },
      {
        folder: 'Personal',
        type: 'card',
        name: 'Travel Visa',
        cardholderName: 'Ana Example',
        brand: 'visa',
        number: '4111111111111111',
        code: '123',
        expMonth: 7,
        expYear: 2029,
        fields: [{ name: 'PIN', value: '4321', type: 'hidden' }],
      },
      {
        folder: 'Family',
        type: 'identity',
        name: 'Me',
        firstName: 'Ana',
        middleName: 'M',
        lastName: 'Example',
        email: 'ana@example.com',
        phone: '+34 600 111 222',
        address1: 'Calle Mayor 1',
        city: 'Madrid',
        state: 'Madrid',
        postalCode: '28013',
        country: 'es',
        fields: [{ name: 'birth date', value: '1990-01-01', type: 'text' }],
      },
      {
        folder: 'Family',
        type: 'note',
        name: 'Home router',
        notes: 'In the hall',
        fields: [
          { name: 'Type', value: 'Wireless Router', type: 'text' },
          { name: 'base station name', value: 'Casa', type: 'text' },
          { name: 'base station password', value: 'router-admin-1', type: 'hidden' },
          { name: 'network name', value: 'Casa-5G', type: 'text' },
          { name: 'wireless network password', value: 'wifi-pass-42', type: 'hidden' },
        ],
      },
    ]);
    expect(r.skipped).toEqual([{ where: 'item 3 (Old forum)', reason: 'archived in 1Password' }]);
    expect(r.items[0]!.body.createdAt).toBe('2024-01-02T03:04:05.000Z');
  });

  it('should say a zip without a 1PUX export inside is not one, and a damaged zip is damaged', async () => {
    await expect(parseImport(archive({ 'notes.txt': 'hello' }))).rejects.toMatchObject({
      code: 'UNKNOWN_FORMAT',
      message: expect.stringMatching(
        /zip archive, but not a 1Password \(1PUX\), Proton Pass or Dashlane export/,
      ),
    });
    const cut = archive({ 'export.data': fixture('1password-1pux-export.data.json') }).slice(
      0,
      600,
    );
    await expect(parseImport(cut)).rejects.toMatchObject({ code: 'MALFORMED' });
  });

  it('should read text files given as bytes: UTF-8 with a BOM and UTF-16', async () => {
    const csv = 'name,url,username,password\nBank,https://b.example/,ana,pw\n';
    const utf8 = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(csv)]);
    expect((await parseImport(utf8)).items).toHaveLength(1);
    const utf16 = new Uint8Array(2 + csv.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < csv.length; i++) utf16[2 + i * 2] = csv.charCodeAt(i);
    expect((await parseImport(utf16)).items.map(full)[0]).toMatchObject({
      name: 'Bank',
      password: 'pw',
    });
  });
});

describe('Proton Pass', () => {
  it('should read its JSON and its zip alike: logins, cards, aliases, identities with extra sections, Wi-Fi; vaults as folders; the trash left out', async () => {
    const text = fixture('protonpass.json');
    expect(detectFormat(text)).toEqual({ format: 'protonpass-json' });
    const r = await parseImport(text);
    const zipped = await parseImport(zipSync({ 'Proton Pass/data.json': strToU8(text) }));
    expect(zipped.items).toEqual(r.items);
    expect(r.items.map(full)).toEqual([
      {
        folder: 'Personal',
        type: 'login',
        name: 'First Bank',
        username: 'ana',
        password: 's3cr3t-Bank!',
        totp: 'otpauth://totp/Bank:ana?secret=JBSWY3DPEHPK3PXP&issuer=Bank',
        notes: 'Branch: Main St.',
        favorite: true,
        uris: [
          { uri: 'https://bank.example.com/login', match: 'domain' },
          { uri: 'https://m.bank.example.com/', match: 'domain' },
        ],
        fields: [
          { name: 'Email', value: 'ana@example.com', type: 'text' },
          { name: 'Customer number', value: 'C-1001', type: 'text' },
          { name: 'Security answer', value: 'Rex', type: 'hidden' },
          { name: 'Second 2FA', value: 'JBSWY3DPEHPK3PXP', type: 'hidden' },
        ],
      },
      {
        folder: 'Personal',
        type: 'card',
        name: 'Travel Visa',
        cardholderName: 'Ana Example',
        number: '4111111111111111',
        code: '123',
        expMonth: 7,
        expYear: 2029,
        fields: [{ name: 'PIN', value: '4321', type: 'hidden' }],
      },
      {
        folder: 'Personal',
        type: 'login',
        name: 'Shop alias',
        username: 'shop.abc123@passinbox.com',
        fields: [{ name: 'Type', value: 'Proton Pass alias', type: 'text' }],
      },
      {
        folder: 'Family',
        type: 'identity',
        name: 'Me',
        firstName: 'Ana',
        lastName: 'Example',
        email: 'ana@example.com',
        phone: '+34 600 111 222',
        company: 'Example S.L.',
        address1: 'Calle Mayor 1',
        postalCode: '28013',
        city: 'Madrid',
        state: 'Madrid',
        country: 'ES',
        ssn: '12345678Z',
        passportNumber: 'PAA123456',
        fields: [
          { name: 'Blood type', value: '0+', type: 'text' },
          { name: 'floor', value: '2', type: 'text' },
          { name: 'jobTitle', value: 'Engineer', type: 'text' },
          { name: 'Medical: Insurance number', value: 'INS-42', type: 'hidden' },
        ],
      },
      {
        folder: 'Family',
        type: 'note',
        name: 'Home Wi-Fi',
        notes: 'Router in the hall',
        fields: [
          { name: 'SSID', value: 'Casa-5G', type: 'text' },
          { name: 'Password', value: 'wifi-pass-42', type: 'hidden' },
          { name: 'Security', value: '3', type: 'text' },
        ],
      },
    ]);
    expect(r.skipped).toEqual([
      { where: 'item 3 (Deleted note)', reason: 'in Proton Pass’s trash' },
    ]);
  });

  it('should ask for an unencrypted export when given a PGP-encrypted one', async () => {
    await expect(
      parseImport(JSON.stringify({ version: '1', userId: 'u', encrypted: true, vaults: {} })),
    ).rejects.toThrow(/encrypted with PGP/);
  });
});

describe('Keeper JSON', () => {
  it('should read records with their folders (private or shared), custom fields, TOTP and typed cards', async () => {
    const text = fixture('keeper.json');
    expect(detectFormat(text)).toEqual({ format: 'keeper-json' });
    const r = await parseImport(text);
    expect(r.items.map(full)).toEqual([
      {
        folder: 'Finance/Banks',
        type: 'login',
        name: 'First Bank',
        username: 'ana@example.com',
        password: 's3cr3t-Bank!',
        totp: 'otpauth://totp/Bank:ana?secret=JBSWY3DPEHPK3PXP&issuer=Bank&algorithm=SHA1&digits=6&period=30',
        notes: 'Branch: Main St.',
        uris: [{ uri: 'https://bank.example.com/login', match: 'domain' }],
        fields: [
          { name: 'Customer number', value: 'C-1001', type: 'text' },
          { name: 'Security PIN', value: '8842', type: 'hidden' },
        ],
      },
      {
        folder: 'Family/Shared',
        type: 'login',
        name: 'Streaming',
        username: 'family@example.com',
        password: 'stream-pass-1',
        uris: [{ uri: 'https://stream.example.com', match: 'domain' }],
      },
      {
        folder: null,
        type: 'card',
        name: 'Travel Visa',
        cardholderName: 'Ana Example',
        number: '4111111111111111',
        code: '123',
        expMonth: 7,
        expYear: 2029,
        fields: [{ name: 'Pin Code', value: '4321', type: 'hidden' }],
      },
      {
        folder: null,
        type: 'note',
        name: 'Alarm',
        notes: 'The code is 2580',
        fields: [{ name: 'Type', value: 'encryptedNotes', type: 'text' }],
      },
    ]);
  });
});

describe('Dashlane', () => {
  const file = (name: string) => fixture(`dashlane/${name}`);

  it('should read credentials.csv alone, with the second username and the TOTP', async () => {
    const r = await parseImport(file('credentials.csv'));
    expect(r.format).toBe('dashlane-csv');
    expect(r.items.map(full)).toEqual([
      {
        folder: 'Finance',
        type: 'login',
        name: 'First Bank',
        username: 'ana@example.com',
        password: 's3cr3t-Bank!',
        totp: 'JBSWY3DPEHPK3PXP',
        notes: 'Branch: Main St.',
        uris: [{ uri: 'https://bank.example.com/login', match: 'domain' }],
        fields: [{ name: 'Username 2', value: 'ana', type: 'text' }],
      },
      {
        folder: null,
        type: 'login',
        name: 'Forum',
        username: 'kara',
        password: 'pa"ss,word',
        uris: [{ uri: 'https://forum.example.com', match: 'domain' }],
      },
    ]);
  });

  it('should read its zip: logins, cards, bank accounts, notes, IDs and personal info', async () => {
    const names = [
      'credentials.csv',
      'payments.csv',
      'securenotes.csv',
      'ids.csv',
      'personalInfo.csv',
    ];
    const bytes = zipSync(Object.fromEntries(names.map((n) => [n, strToU8(file(n))])));
    const r = await parseImport(bytes);
    expect(r.format).toBe('dashlane-csv');
    expect(r.items.map((i) => [i.body.type, i.body.name])).toEqual([
      ['login', 'First Bank'],
      ['login', 'Forum'],
      ['card', 'Travel Visa'],
      ['note', 'Main account'],
      ['note', 'Alarm code'],
      ['identity', 'Passport · Ana María Example'],
      ['identity', 'Driver’s licence · Ana María Example'],
      ['identity', 'ID card · Ana María Example'],
      ['identity', 'Social security number · Ana María Example'],
      ['identity', 'Tax number'],
      ['identity', 'Ana María Example'],
    ]);
    expect(full(r.items[2]!)).toEqual({
      folder: null,
      type: 'card',
      name: 'Travel Visa',
      notes: 'Travel only',
      cardholderName: 'Ana Example',
      brand: 'Visa',
      number: '4111111111111111',
      code: '123',
      expMonth: 7,
      expYear: 2029,
      fields: [
        { name: 'Issuing bank', value: 'Example Bank', type: 'text' },
        { name: 'country', value: 'ES', type: 'text' },
      ],
    });
    expect(full(r.items[3]!).fields).toEqual([
      { name: 'Type', value: 'bank', type: 'text' },
      { name: 'Account holder', value: 'Ana Example', type: 'text' },
      { name: 'Account number', value: 'ES9121000418450200051332', type: 'hidden' },
      { name: 'Routing number', value: '021000021', type: 'hidden' },
      { name: 'Bank', value: 'Example Bank', type: 'text' },
      { name: 'Country', value: 'ES', type: 'text' },
    ]);
    expect(full(r.items[4]!)).toEqual({
      folder: 'Home',
      type: 'note',
      name: 'Alarm code',
      notes: 'The code is 2580',
    });
    expect(r.skipped).toEqual([]);
    expect(r.items.slice(5).map((i) => i.body)).toEqual(
      (await parseImport(file('ids.csv'))).items
        .concat((await parseImport(file('personalInfo.csv'))).items)
        .map((i) => i.body),
    );
  });

  it('should read ids.csv alone: each kind of ID as an identity with its number where it belongs', async () => {
    const text = file('ids.csv');
    expect(detectFormat(text)).toEqual({ format: 'dashlane-ids-csv' });
    const r = await parseImport(text);
    const issued = (from: string, to: string, where?: string) => [
      ...(from ? [{ name: 'Issued', value: from, type: 'text' }] : []),
      ...(to ? [{ name: 'Expires', value: to, type: 'text' }] : []),
      ...(where ? [{ name: 'Place of issue', value: where, type: 'text' }] : []),
    ];
    expect(r.items.map(full)).toEqual([
      {
        folder: null,
        type: 'identity',
        name: 'Passport · Ana María Example',
        firstName: 'Ana María',
        lastName: 'Example',
        passportNumber: 'PAA123456',
        fields: issued('2021-05-01', '2031-05-01', 'ES'),
      },
      {
        folder: null,
        type: 'identity',
        name: 'Driver’s licence · Ana María Example',
        firstName: 'Ana María',
        lastName: 'Example',
        licenseNumber: 'B-998877',
        state: 'MD',
        fields: issued('2019-03-02', '2029-03-02', 'Madrid'),
      },
      {
        folder: null,
        type: 'identity',
        name: 'ID card · Ana María Example',
        firstName: 'Ana María',
        lastName: 'Example',
        fields: [
          { name: 'ID card', value: '12345678Z', type: 'hidden' },
          ...issued('2020-01-01', '2030-01-01', 'ES'),
        ],
      },
      {
        folder: null,
        type: 'identity',
        name: 'Social security number · Ana María Example',
        firstName: 'Ana María',
        lastName: 'Example',
        ssn: '281234567840',
      },
      {
        folder: null,
        type: 'identity',
        name: 'Tax number',
        fields: [
          { name: 'Tax number', value: 'X1234567L', type: 'hidden' },
          { name: 'Place of issue', value: 'ES', type: 'text' },
        ],
      },
    ]);
    expect(r.skipped).toEqual([]);
  });

  it('should read personalInfo.csv with one name as one identity, the second email and the website as fields', async () => {
    const text = file('personalInfo.csv');
    expect(detectFormat(text)).toEqual({ format: 'dashlane-personal-csv' });
    const r = await parseImport(text);
    expect(r.items.map(full)).toEqual([
      {
        folder: null,
        type: 'identity',
        name: 'Ana María Example',
        title: 'Ms',
        firstName: 'Ana',
        middleName: 'María',
        lastName: 'Example',
        username: 'anam',
        email: 'ana@example.com',
        phone: '+34 600 000 000',
        address1: 'Calle Mayor 1',
        city: 'Madrid',
        state: 'Madrid',
        postalCode: '28013',
        country: 'ES',
        fields: [
          { name: 'Date of birth', value: '1990-04-12', type: 'text' },
          { name: 'Place of birth', value: 'Sevilla', type: 'text' },
          { name: 'Job title', value: 'Engineer', type: 'text' },
          { name: 'Email type', value: 'PERSO', type: 'text' },
          { name: 'Work email: Email', value: 'ana@work.example', type: 'text' },
          { name: 'Email type', value: 'PRO', type: 'text' },
          { name: 'Recipient', value: 'Ana Example', type: 'text' },
          { name: 'Building', value: 'B', type: 'text' },
          { name: 'Apartment', value: '3A', type: 'text' },
          { name: 'Floor', value: '3', type: 'text' },
          { name: 'Door code', value: '4321', type: 'text' },
          { name: 'Type', value: 'website', type: 'text' },
          { name: 'Website', value: 'https://ana.example', type: 'text' },
        ],
      },
    ]);
  });

  it('should read personalInfo.csv with two names as one identity per row', async () => {
    const two = `${file('personalInfo.csv').trim()}\nname,Mr,Ben,,Example,,,,,,Ben,,,,,,,,,,,,,\n`;
    const r = await parseImport(two);
    expect(r.items.map((i) => [i.body.name, i.body.email ?? i.body.phone ?? null])).toEqual([
      ['Ana María Example', null],
      ['Personal email', 'ana@example.com'],
      ['Work email', 'ana@work.example'],
      ['Mobile', '+34 600 000 000'],
      ['Home', null],
      ['Blog', null],
      ['Ben Example', null],
    ]);
  });
});

describe('1Password 7 CSV (Mac and Windows)', () => {
  const f = (name: string, value: string, type = 'text') => ({ name, value, type });
  it('should read the Mac export by its labels: every category, URLs, TOTP, and no bookkeeping', async () => {
    const text = fixture('1password7-mac.csv');
    expect(detectFormat(text)).toEqual({ format: '1password7-mac-csv' });
    const r = await parseImport(text);
    expect(r.skipped).toEqual([]);
    expect(r.items.map(full)).toEqual([
      {
        folder: null,
        type: 'login',
        name: 'First Bank',
        username: 'ana@example.com',
        password: 's3cr3t-Bank!',
        notes: 'Branch: Main St.',
        totp: 'otpauth://totp/Bank:ana?secret=JBSWY3DPEHPK3PXP',
        uris: [
          { uri: 'https://bank.example.com/login', match: 'domain' },
          { uri: 'https://m.bank.example.com/', match: 'domain' },
        ],
        tags: ['finance', 'bank'],
        fields: [f('Pin', '4321', 'hidden')],
      },
      {
        folder: null,
        type: 'identity',
        name: 'Me',
        firstName: 'Ana',
        middleName: 'M',
        lastName: 'Example',
        email: 'ana@example.com',
        phone: '8005555555',
        company: 'Example Co',
        address1: 'Calle Mayor 1',
        fields: [f('Birth date', '1990-04-12'), f('Address (more lines)', '28013 Madrid\nSpain')],
      },
      {
        folder: null,
        type: 'card',
        name: 'Visa',
        cardholderName: 'Ana Example',
        brand: 'Visa',
        number: '4111111111111111',
        code: '123',
        expMonth: 1,
        expYear: 2030,
      },
      { folder: null, type: 'note', name: 'Alarm', notes: 'The code is 2580\nsecond line' },
      {
        folder: null,
        type: 'identity',
        name: 'Passport',
        passportNumber: 'PAA123456',
        fields: [
          f('Full name', 'Ana María Example'),
          f('Issuing country', 'ES'),
          f('Expiry date', '2031-05-01'),
        ],
      },
      {
        folder: null,
        type: 'note',
        name: 'Home Wi-Fi',
        notes: 'Upstairs',
        fields: [
          f('Type', 'Wireless Router'),
          f('Base station name', 'Router'),
          f('Base station password', 'adminpw', 'hidden'),
          f('Network name', 'CasaAna'),
          f('Wireless network password', 'wifi-pass-1', 'hidden'),
        ],
      },
      {
        folder: null,
        type: 'login',
        name: 'Old forum',
        password: 'forum-pw-9',
        uris: [{ uri: 'https://forum.example.com', match: 'domain' }],
      },
    ]);
  });

  it('should read the Windows export, telling cards and identities by their section fields', async () => {
    const text = fixture('1password7-windows.csv');
    expect(detectFormat(text)).toEqual({ format: '1password7-win-csv' });
    const r = await parseImport(text);
    expect(r.skipped).toEqual([]);
    expect(r.items.map(full)).toEqual([
      {
        folder: null,
        type: 'login',
        name: 'First Bank',
        username: 'ana@example.com',
        password: 's3cr3t-Bank!',
        notes: 'Branch: Main St.',
        uris: [{ uri: 'https://bank.example.com/login', match: 'domain' }],
        tags: ['finance'],
        fields: [f('Security question', "Pet's name?")],
      },
      {
        folder: null,
        type: 'identity',
        name: 'Me',
        firstName: 'Ana',
        middleName: 'M',
        lastName: 'Example',
        username: 'anam',
        email: 'ana@example.com',
        phone: '8005555555',
        company: 'Example Co',
        address1: 'address city state zip us',
      },
      {
        folder: null,
        type: 'card',
        name: 'Visa',
        cardholderName: 'Ana Example',
        brand: 'Visa',
        number: '4111111111111111',
        code: '123',
        expMonth: 1,
        expYear: 2030,
        fields: [f('Valid from', '01/01/2025 00:00:00')],
      },
      { folder: null, type: 'note', name: 'Alarm', notes: 'The code is 2580' },
    ]);
  });

  it('should keep an expiry it cannot read as a field, and not take 1Password 8 or Apple files for 7', async () => {
    const text =
      '"title","type","notesPlain","cardholder name(cardholder)","expiry date(expiry)"\n"Card","Credit Card","","Ana","someday"\n';
    expect((await parseImport(text)).items.map(full)).toEqual([
      {
        folder: null,
        type: 'card',
        name: 'Card',
        cardholderName: 'Ana',
        fields: [f('Expiry date', 'someday')],
      },
    ]);
    expect(detectFormat(fixture('1password.csv'))).toEqual({ format: '1password-csv' });
    expect(detectFormat(fixture('apple.csv'))).toEqual({ format: 'apple-csv' });
  });
});
