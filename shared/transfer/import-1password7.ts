// 1Password 7's CSV export ("All fields"), Mac and Windows. Unlike 1Password 8's fixed columns,
// its header is the union of the fields of the items exported, so items are read by the label of
// each column, not by a fixed list:
// - Mac: `title`, `notesPlain`, `type` (Login, Credit Card, Identity, Secure Note, Password,
//   Passport…), `username`, `password`, `URLs` (one per line), then every other field as
//   "label(name)" — "cardholder name(cardholder)", "expiry date(expiry)" (MM/YYYY) — and
//   1Password's bookkeeping (`uuid`, `scope`, `ainfo`, `autosubmit`, `ps`, `Created Date`…).
// - Windows: `title`, `notes`, `username`, `password`, `url`, and section fields as
//   "section N: label" — "name 1: first name", "internet 1: email", "ccnum 1: number",
//   "ccnum 1: expiry date" (MM/DD/YYYY …); no type column, so the kind is read from the fields.
// The shapes are those Bitwarden's 1Password 7 importers read (test/fixtures/import/README.md).
import type { CustomField } from '../model/item.ts';
import type { CsvRow } from './csv.ts';
import type { Candidate, CsvFormat } from './import-csv.ts';
import { compact, loginBody, str, totpOf } from './import-result.ts';

/** A column by its label alone: "expiry date(expiry)" and "ccnum 1: expiry date" → "expiry date". */
export const labelOf = (column: string) =>
  column
    .replace(/\([^()]*\)\s*$/, '')
    .replace(/^[^:]*?\s\d+:\s*/, '')
    .trim();

/** 1Password's own bookkeeping, not the person's data (a summary it derives, its strength score…). */
const BOOKKEEPING = new Set([
  'uuid',
  'scope',
  'ainfo',
  'autosubmit',
  'ps',
  'created date',
  'modified date',
  'type',
  'title',
  'notesplain',
  'notes',
  'tags',
]);

/** The label of a field whose value is a secret (kept hidden as a custom field). */
const SECRET =
  /password|passcode|\bpin\b|secret|key|verification number|cvv|answer|account number|routing|card number/;

/** "01/2030", "01/01/2030 00:00", "203001" or "2030-01" as a month and a year. */
export function expiryOf(text: string | undefined): { month: number; year: number } | null {
  const t = (text ?? '').trim();
  const monthFirst =
    /^(\d{1,2})\/(\d{4}|\d{2})$/.exec(t) ?? /^(\d{1,2})\/\d{1,2}\/(\d{4})\b/.exec(t);
  const yearFirst = /^(\d{4})-?(\d{2})$/.exec(t);
  if (!monthFirst && !yearFirst) return null;
  const month = Number(monthFirst ? monthFirst[1] : yearFirst![2]);
  const y = Number(monthFirst ? monthFirst[2] : yearFirst![1]);
  const year = y < 100 ? y + 2000 : y;
  return month >= 1 && month <= 12 && year >= 1900 ? { month, year } : null;
}

type Kind = 'login' | 'card' | 'identity' | 'note';

/** What each 1Password category becomes, and the identity field a document's number goes in. */
const CATEGORIES: Record<string, { kind: Kind; number?: string }> = {
  login: { kind: 'login' },
  password: { kind: 'login' },
  'credit card': { kind: 'card' },
  identity: { kind: 'identity' },
  'secure note': { kind: 'note' },
  passport: { kind: 'identity', number: 'passportNumber' },
  'driver license': { kind: 'identity', number: 'licenseNumber' },
  'social security number': { kind: 'identity', number: 'ssn' },
};

/** Labels each kind maps to a field of its own (the first column with the label wins). */
const MAPS: Record<Kind, Array<[RegExp, string]>> = {
  login: [
    [/^username$/, 'username'],
    [/^password$/, 'password'],
    [/^(one-time password|otp|totp)$/, 'totp'],
  ],
  card: [
    [/^cardholder name$/, 'cardholderName'],
    [/^(card )?number$/, 'number'],
    [/^verification number$/, 'code'],
    [/^expiry date$/, 'expiry'],
    [/^type$/, 'brand'],
  ],
  identity: [
    [/^first name$/, 'firstName'],
    [/^initial$/, 'middleName'],
    [/^last name$/, 'lastName'],
    [/^username$/, 'username'],
    [/^e-?mail$/, 'email'],
    [/^default phone$/, 'phone'],
    [/^company$/, 'company'],
    [/^address$/, 'address'],
    [/^(city)$/, 'city'],
    [/^(state)$/, 'state'],
    [/^(zip|postal code)$/, 'postalCode'],
    [/^country$/, 'country'],
  ],
  note: [],
};

const URL_COLUMNS = /^(urls?|website)$/;

function kindOf(r: CsvRow, columns: string[]): { kind: Kind; number?: string; category?: string } {
  const category = str(r.type);
  if (category) {
    const c = CATEGORIES[category.toLowerCase()];
    if (c) return c;
    // Another category (bank account, Wi-Fi, server…): a login if it has a sign-in, else a note.
    const signIn = columns.some((c) => /^(username|password)$/.test(labelOf(c)) && str(r[c]));
    return { kind: signIn ? 'login' : 'note', category };
  }
  // Windows writes no category: a card has a number and an expiry, an identity a name or email.
  const has = (re: RegExp) => columns.some((c) => re.test(c) && str(r[c]));
  if (has(/\d+: (card )?number$/) && has(/\d+: expiry date$/)) return { kind: 'card' };
  if (has(/^name \d+: (first name|initial|last name)$/) || has(/^internet \d+: e-?mail$/))
    return { kind: 'identity' };
  if (has(/^(username|password|urls?)$/) || !has(/./)) return { kind: 'login' };
  return { kind: 'note' };
}

function readRow(r: CsvRow): Candidate {
  const columns = Object.keys(r);
  const { kind, number, category } = kindOf(r, columns);
  const taken: Record<string, string> = {};
  const fields: CustomField[] = [];
  const urls: string[] = [];
  for (const column of columns) {
    const value = r[column] ?? '';
    if (!value.trim()) continue;
    const label = labelOf(column);
    if (BOOKKEEPING.has(column)) continue;
    if (kind === 'login' && URL_COLUMNS.test(label)) {
      urls.push(
        ...value
          .split(/\r?\n/)
          .map((u) => u.trim())
          .filter(Boolean),
      );
      continue;
    }
    if (number && /^number$/.test(label) && !taken[number]) {
      taken[number] = value.trim();
      continue;
    }
    const to = MAPS[kind].find(([re]) => re.test(label))?.[1];
    if (to && !taken[to]) {
      taken[to] = value;
      continue;
    }
    const name = label || column;
    fields.push({
      name: name[0]!.toUpperCase() + name.slice(1),
      value,
      type: SECRET.test(label) ? 'hidden' : 'text',
    });
  }
  if (category) fields.unshift({ name: 'Type', value: category, type: 'text' });
  const notes = [r.notesplain, r.notes].filter((n) => str(n)).join('\n\n') || undefined;
  const tags = (r.tags ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const common = {
    name: str(r.title),
    notes,
    tags: tags.length ? tags : undefined,
  };
  const leftOut: string[] = [];
  const more = (extra: CustomField[]) => {
    const all = [...fields, ...extra];
    return all.length ? all : undefined;
  };
  switch (kind) {
    case 'login': {
      const { totp, extra } = totpOf(taken.totp);
      if (extra) leftOut.push(extra.note);
      return {
        folder: null,
        body: compact({
          ...loginBody({
            name: common.name,
            urls,
            username: taken.username,
            password: taken.password,
            notes,
            totp,
          }),
          tags: common.tags,
          fields: more(extra ? [extra.field] : []),
        }),
        ...(leftOut.length ? { leftOut } : {}),
      };
    }
    case 'card': {
      const expiry = expiryOf(taken.expiry);
      const kept: CustomField[] =
        taken.expiry && !expiry ? [{ name: 'Expiry date', value: taken.expiry, type: 'text' }] : [];
      return {
        folder: null,
        body: compact({
          type: 'card',
          ...common,
          name: common.name ?? 'Credit card',
          cardholderName: str(taken.cardholderName),
          brand: str(taken.brand),
          number: str(taken.number)?.replace(/[-\s]/g, ''),
          code: str(taken.code),
          expMonth: expiry?.month,
          expYear: expiry?.year,
          fields: more(kept),
        }),
      };
    }
    case 'identity': {
      // An address of several lines: the first is the street, the rest is kept as it is.
      const [street, ...rest] = (taken.address ?? '').split(/\r?\n/);
      const restField: CustomField[] = rest.some((l) => l.trim())
        ? [{ name: 'Address (more lines)', value: rest.join('\n'), type: 'text' }]
        : [];
      const { address: _address, expiry: _expiry, totp: _totp, ...identity } = taken;
      return {
        folder: null,
        body: compact({
          type: 'identity',
          ...common,
          name: common.name ?? 'Identity',
          ...Object.fromEntries(Object.entries(identity).map(([k, v]) => [k, str(v)])),
          address1: str(street),
          fields: more(restField),
        }),
      };
    }
    default:
      return {
        folder: null,
        body: compact({
          type: 'note',
          ...common,
          name: common.name ?? 'Secure note',
          notes: notes ?? '',
          fields: more([]),
        }),
      };
  }
}

/** Mac: the `notesPlain` column only 1Password 7 for Mac writes, beside the title and category. */
export const ONEPASSWORD7_MAC: CsvFormat = {
  format: '1password7-mac-csv',
  signature: ['title', 'notesplain', 'type'],
  known: [],
  readsAll: true,
  row: readRow,
};

/** Windows: the title and its "section N: label" columns. */
export const ONEPASSWORD7_WIN: CsvFormat = {
  format: '1password7-win-csv',
  signature: ['title', 'notes'],
  known: [],
  readsAll: true,
  columnPattern: /^[a-z][a-z ]* \d+: ./,
  row: readRow,
};
