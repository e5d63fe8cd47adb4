// What every importer returns: items in Cofre's shape (checked against the item schema), each
// with the name of its folder, and what was left out and why. Nothing else leaves a parser.
import { msg, said } from '../i18n-msg.ts';
import { type CustomField, type ItemInput, parseRecordBody } from '../model/item.ts';
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
  | 'keepass-xml';

/** Each format by the name people know its producer by. */
export const FORMAT_NAMES: Record<ImportFormat, string> = {
  cofre: 'Cofre (password-protected JSON)',
  'bitwarden-json': 'Bitwarden JSON (plain or password-protected)',
  'bitwarden-csv': 'Bitwarden CSV',
  'chrome-csv': 'Chrome CSV (also Edge, Brave, Opera, Vivaldi)',
  'firefox-csv': 'Firefox CSV',
  '1password-csv': '1Password 8 CSV',
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
    try {
      parseRecordBody({ createdAt: EPOCH, updatedAt: EPOCH, ...item.body } as ItemInput);
      items.push(item);
      if (item.leftOut?.length) partial.push({ where, reason: item.leftOut.join('; ') });
    } catch (err) {
      skipped.push({ where, reason: (err as Error).message });
    }
  }
  return { format, items, skipped, partial };
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
