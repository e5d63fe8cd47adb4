// What every importer returns: items in Cofre's shape (checked against the item schema), each
// with the name of its folder, and what was left out and why. Nothing else leaves a parser.
import { msg, said } from '../i18n-msg.ts';
import { type CustomField, type ItemInput, ModelError, parseRecordBody } from '../model/item.ts';
import { isValidTotp } from '../model/totp.ts';

export interface ImportedItem {
  /** An item body without timestamps or folder id: the worker stamps and files it. */
  body: Record<string, unknown>;
  folder: string | null;
  /** Fields of the source item that could not be kept (the rest of the item is). */
  leftOut?: string[];
}

export interface Skipped {
  /** Where in the file (a row, an entry title): never a secret. */
  where: string;
  reason: string;
}

export interface ImportResult {
  format: ImportFormat;
  items: ImportedItem[];
  skipped: Skipped[];
  /** Items imported without some field, each naming what was left out. */
  partial: Skipped[];
}

export type ImportFormat =
  | 'cofre'
  | 'bitwarden-json'
  | 'bitwarden-csv'
  | 'chrome-csv'
  | 'firefox-csv'
  | '1password-csv'
  | '1password7-mac-csv'
  | '1password7-win-csv'
  | 'lastpass-csv'
  | 'nordpass-csv'
  | 'keepassxc-csv'
  | 'apple-csv'
  | 'cxf'
  | '1password-1pux'
  | 'protonpass-json'
  | 'keeper-json'
  | 'dashlane-csv'
  | 'dashlane-payments-csv'
  | 'dashlane-ids-csv'
  | 'dashlane-personal-csv'
  | 'keepass-xml';

/** Each format by the name people know its producer by. */
export const FORMAT_NAMES: Record<ImportFormat, string> = {
  cofre: 'Cofre (password-protected JSON)',
  'bitwarden-json': 'Bitwarden JSON (plain or password-protected)',
  'bitwarden-csv': 'Bitwarden CSV',
  'chrome-csv': 'Chrome CSV (also Edge, Brave, Opera, Vivaldi)',
  'firefox-csv': 'Firefox CSV',
  '1password-csv': '1Password 8 CSV',
  '1password7-mac-csv': '1Password 7 for Mac CSV',
  '1password7-win-csv': '1Password 7 for Windows CSV',
  'lastpass-csv': 'LastPass CSV',
  'nordpass-csv': 'NordPass CSV',
  'keepassxc-csv': 'KeePassXC CSV',
  'apple-csv': 'Apple Passwords / Safari CSV',
  'keepass-xml': 'KeePass 2 XML',
  cxf: 'Credential Exchange Format (CXF, FIDO Alliance)',
  '1password-1pux': '1Password 1PUX',
  'protonpass-json': 'Proton Pass (JSON or zip)',
  'keeper-json': 'Keeper JSON',
  'dashlane-csv': 'Dashlane (CSV or zip)',
  'dashlane-payments-csv': 'Dashlane payments CSV',
  'dashlane-ids-csv': 'Dashlane IDs CSV',
  'dashlane-personal-csv': 'Dashlane personal info CSV',
};

export class ImportError extends Error {
  /** For AMBIGUOUS: the formats the file could be (the person chooses). */
  readonly candidates: ImportFormat[];
  constructor(
    readonly code:
      | 'UNKNOWN_FORMAT'
      | 'MALFORMED'
      | 'PASSWORD_REQUIRED'
      | 'WRONG_PASSWORD'
      | 'AMBIGUOUS',
    message: string,
    options?: { cause?: unknown; candidates?: ImportFormat[] },
  ) {
    super(message, options);
    this.candidates = options?.candidates ?? [];
    this.name = 'ImportError';
  }
}

const EPOCH = '2000-01-01T00:00:00.000Z';

/** Sorts candidates into valid items and skips with the schema's reason (no values quoted). */
export function collect(
  format: ImportFormat,
  candidates: Array<{ where: string; item: ImportedItem | { skip: string } }>,
  /** What the file's reader already left out (rows it could not read). */
  extra: { skipped?: Skipped[] } = {},
): ImportResult {
  const items: ImportedItem[] = [];
  const skipped: Skipped[] = [...(extra.skipped ?? [])];
  const partial: Skipped[] = [];
  for (const { where, item } of candidates) {
    if ('skip' in item) {
      skipped.push({ where, reason: item.skip });
      continue;
    }
    const kept = checked(item);
    if ('skip' in kept) {
      skipped.push({ where, reason: kept.skip });
      continue;
    }
    items.push(kept);
    if (kept.leftOut?.length) partial.push({ where, reason: kept.leftOut.join('; ') });
  }
  return { format, items, skipped, partial };
}

const validate = (body: Record<string, unknown>) =>
  parseRecordBody({ createdAt: EPOCH, updatedAt: EPOCH, ...body } as ItemInput);

/**
 * An item as the schema takes it. A field it refuses (a card number of two digits, a code of
 * one) does not lose the item: the field is taken out, its value kept as a custom field (hidden
 * if it is a secret), and the item says so. Only an item no field can be taken out of to make
 * valid (an unknown type) is skipped.
 */
function checked(item: ImportedItem): ImportedItem | { skip: string } {
  let body = item.body;
  const leftOut = [...(item.leftOut ?? [])];
  // A field taken out can reveal another refused one; three rounds are more than any item needs.
  for (let round = 0; ; round++) {
    try {
      validate(body);
      return { ...item, body, ...(leftOut.length ? { leftOut } : {}) };
    } catch (err) {
      if (!(err instanceof ModelError)) throw err;
      const fixed = round < 3 ? takeOut(body, err.issues) : null;
      if (!fixed) return { skip: err.message };
      body = fixed.body;
      leftOut.push(...fixed.notes);
    }
  }
}

/** The built-in fields whose value is a secret (kept hidden when moved to a custom field). */
const SECRET = new Set([
  'password',
  'totp',
  'number',
  'code',
  'ssn',
  'passportNumber',
  'licenseNumber',
]);

/** A built-in field by the words a person knows it by (the UI translates them). */
const FIELD_WORDS: Record<string, string> = {
  name: msg('the name'),
  notes: msg('the notes'),
  username: msg('the username'),
  password: msg('the password'),
  totp: msg('the TOTP'),
  uris: msg('a website'),
  fields: msg('a custom field'),
  passwordHistory: msg('a password in its history'),
  tags: msg('a tag'),
  cardholderName: msg('the cardholder’s name'),
  brand: msg('the card’s brand'),
  number: msg('the card number'),
  code: msg('the security code'),
  expMonth: msg('the expiry month'),
  expYear: msg('the expiry year'),
  email: msg('the email'),
  phone: msg('the phone'),
  ssn: msg('the social security number'),
  passportNumber: msg('the passport number'),
  licenseNumber: msg('the licence number'),
};
/** The name of the custom field that keeps a refused built-in one. */
const FIELD_NAMES: Record<string, string> = {
  name: 'Name',
  username: 'Username',
  password: 'Password',
  totp: 'TOTP',
  uris: 'Website',
  number: 'Card number',
  code: 'Security code',
  expMonth: 'Expiry month',
  expYear: 'Expiry year',
  cardholderName: 'Cardholder name',
  brand: 'Brand',
};

/** The body without the refused fields (kept as custom fields), or null if none can go. */
function takeOut(
  body: Record<string, unknown>,
  issues: ModelError['issues'],
): { body: Record<string, unknown>; notes: string[] } | null {
  const out: Record<string, unknown> = { ...body };
  const moved: CustomField[] = [];
  const notes: string[] = [];
  /** List entries to drop, by list. */
  const drop = new Map<string, Set<number>>();
  for (const { path, message } of issues) {
    const [key, index] = path.split('.');
    if (!key || key === 'type' || key === 'item' || !(key in out)) return null;
    const words = { what: FIELD_WORDS[key] ?? key, why: message };
    /** The refused value as a custom field, or named as left out when it cannot be one. */
    const keep = (value: unknown, type: CustomField['type']) => {
      if (
        (typeof value === 'string' || typeof value === 'number') &&
        String(value).length <= 10_000
      ) {
        moved.push({ name: FIELD_NAMES[key] ?? key, value: String(value), type });
        notes.push(said('{what} is not valid ({why}), so it is kept as a custom field', words));
      } else notes.push(said('{what} is not valid ({why}), so it was left out', words));
    };
    const value = out[key];
    if (key === 'name') {
      out.name = 'Imported item';
      keep(value ?? '', 'text');
    } else if (Array.isArray(value) && index !== undefined && /^\d+$/.test(index)) {
      const dropped = drop.get(key) ?? new Set<number>();
      drop.set(key, dropped);
      if (dropped.has(Number(index))) continue;
      dropped.add(Number(index));
      const entry = value[Number(index)] as Record<string, unknown> | undefined;
      if (key === 'uris') keep(entry?.uri, 'text');
      else keep(key === 'passwordHistory' ? entry?.password : undefined, 'hidden');
    } else {
      delete out[key];
      keep(value, SECRET.has(key) ? 'hidden' : 'text');
    }
  }
  for (const [key, indexes] of drop)
    out[key] = (out[key] as unknown[]).filter((_, i) => !indexes.has(i));
  const fields = Array.isArray(out.fields) ? (out.fields as CustomField[]) : [];
  if (moved.length) out.fields = [...fields, ...moved].slice(0, 200);
  return { body: out, notes };
}

/** A text value or nothing: trims, and turns empty into undefined. */
export const str = (v: unknown): string | undefined => {
  if (v === null || v === undefined) return undefined;
  const s = String(v).trim();
  return s === '' ? undefined : s;
};

/** Drops undefined fields, so the schema's defaults apply. */
export const compact = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** A login body from the fields most formats share. */
export function loginBody(f: {
  name?: string | undefined;
  url?: string | undefined;
  urls?: string[];
  username?: string | undefined;
  password?: string | undefined;
  notes?: string | undefined;
  totp?: string | undefined;
  favorite?: boolean;
}): Record<string, unknown> {
  const urls = [...(f.url ? [f.url] : []), ...(f.urls ?? [])].filter(Boolean);
  const name = f.name ?? hostOf(urls[0]) ?? f.username ?? 'Imported login';
  return compact({
    type: 'login',
    name,
    username: f.username,
    password: f.password,
    notes: f.notes,
    totp: f.totp,
    favorite: f.favorite || undefined,
    uris: urls.length ? urls.map((uri) => ({ uri, match: 'domain' })) : undefined,
  });
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname || undefined;
  } catch {
    return undefined;
  }
}

/**
 * A source's TOTP value as Cofre keeps it: an otpauth:// URI, a base32 secret or a Steam
 * secret (steam://) goes in the TOTP field; anything else is kept as a hidden field, with a
 * sentence saying so (the login itself is always imported).
 */
export function totpOf(value: string | undefined): {
  totp?: string;
  extra?: { field: CustomField; note: string };
} {
  if (!value) return {};
  if (isValidTotp(value)) return { totp: value };
  return {
    extra: {
      field: { name: 'TOTP (not usable)', value, type: 'hidden' },
      note: msg('the TOTP value is not one Cofre can use; it is kept as a hidden field'),
    },
  };
}

/**
 * Columns a format does not map, with a value, as text custom fields: nothing in a row is
 * dropped silently.
 */
export function otherColumns(row: Record<string, string>, used: readonly string[]): CustomField[] {
  const known = new Set(used);
  return Object.entries(row)
    .filter(([k, v]) => !known.has(k) && k !== '' && typeof v === 'string' && v.trim() !== '')
    .map(([k, v]) => ({ name: k, value: v, type: 'text' as const }));
}

/** Where in a file an item is ("line 12 (Bank)"), in words the UI translates. */
export function place(kind: 'item' | 'line' | 'entry' | 'record', n: number, name?: string) {
  const v = { n, name: name ?? '' };
  switch (kind) {
    case 'item':
      return name ? said('item {n} ({name})', v) : said('item {n}', v);
    case 'line':
      return name ? said('line {n} ({name})', v) : said('line {n}', v);
    case 'entry':
      return name ? said('entry {n} ({name})', v) : said('entry {n}', v);
    default:
      return name ? said('record {n} ({name})', v) : said('record {n}', v);
  }
}

/** A JSON value as an object to read members from ({} when it is not one). */
export type Obj = Record<string, unknown>;
export const obj = (v: unknown): Obj =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
/** A JSON value as a list ([] when it is not one). */
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** UNIX seconds as an ISO time, or undefined. */
export const seconds = (v: unknown) =>
  typeof v === 'number' && Number.isFinite(v) && v > 0
    ? new Date(v * 1000).toISOString()
    : undefined;
