// LastPass secure notes in its CSV: the url "http://sn" and, in `extra`, "NoteType:<type>"
// then one "Label:value" per line, with "Notes:" last (its value runs to the end). Cards and
// addresses become Cofre's cards and identities, passports, driver's licences and social
// security numbers identities, every other type (bank account, Wi-Fi, server, SSH key…) a
// secure note whose labelled values are custom fields (secrets hidden) — never text in the notes.
import type { CustomField } from '../model/item.ts';
import type { CsvRow } from './csv.ts';
import { compact, type ImportedItem, str } from './import-result.ts';

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const SECRET = /password|passphrase|pin\b|security code|private key|cvv|code|number/i;
/** Labels LastPass writes on every typed note that say nothing about the item. */
const NOISE = new Set(['language']);

/** The labelled values of a typed note, in order, and its free-text notes. */
export function noteValues(extra: string): {
  type: string | null;
  values: Map<string, string>;
  notes: string;
} {
  const lines = extra.split(/\r?\n/);
  if (!lines[0]?.startsWith('NoteType:')) return { type: null, values: new Map(), notes: extra };
  const type = lines[0].slice('NoteType:'.length).trim();
  const values = new Map<string, string>();
  let notes = '';
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    const label = colon === -1 ? '' : line.slice(0, colon).trim();
    if (label === 'Notes') {
      notes = [line.slice(colon + 1), ...lines.slice(i + 1)].join('\n');
      break;
    }
    if (colon === -1) continue;
    const value = line.slice(colon + 1).trim();
    // An empty date is written "," (month,year with neither).
    if (value.replace(/[,\s]/g, '') && !NOISE.has(label.toLowerCase())) values.set(label, value);
  }
  return { type, values, notes };
}

/** LastPass writes phone numbers as JSON ({"num":"…","ext":"","cc3l":"USA"}). */
function phone(v: string | undefined): string | undefined {
  if (!v) return undefined;
  try {
    const p = JSON.parse(v) as { num?: string; ext?: string };
    return str([p.num, p.ext ? `ext. ${p.ext}` : ''].filter(Boolean).join(' '));
  } catch {
    return v;
  }
}

/** "January,2027" (or "01/27") as a month and a year. */
function expiry(v: string | undefined): { expMonth?: number; expYear?: number } {
  if (!v) return {};
  const [m, y] = v.split(/[,/]/).map((x) => x.trim().toLowerCase());
  const month = MONTHS.indexOf(m ?? '') + 1 || Number(m);
  const year = Number(y);
  return compact({
    expMonth: month >= 1 && month <= 12 ? month : undefined,
    expYear: Number.isInteger(year) && year > 0 ? (year < 100 ? 2000 + year : year) : undefined,
  }) as { expMonth?: number; expYear?: number };
}

/** Take a value out of the map (so what is left becomes custom fields). */
const take = (values: Map<string, string>, ...labels: string[]) => {
  for (const l of labels) {
    const v = values.get(l);
    values.delete(l);
    if (v) return v;
  }
  return undefined;
};

const asFields = (values: Map<string, string>): CustomField[] =>
  [...values].map(([name, value]) => ({
    name,
    value,
    type: SECRET.test(name) ? 'hidden' : 'text',
  }));

export function lastPassNote(r: CsvRow, folder: string | null, favorite: boolean): ImportedItem {
  const name = str(r.name) ?? 'Untitled';
  const { type, values, notes } = noteValues(r.extra ?? '');
  const common = { name, favorite: favorite || undefined, notes: notes || undefined };
  const withFields = (body: Record<string, unknown>): ImportedItem => {
    const fields = asFields(values);
    return { folder, body: compact({ ...body, fields: fields.length ? fields : undefined }) };
  };
  switch (type) {
    case null:
      return { folder, body: compact({ type: 'note', ...common, notes: r.extra ?? '' }) };
    case 'Credit Card':
      return withFields({
        type: 'card',
        ...common,
        cardholderName: take(values, 'Name on Card'),
        brand: take(values, 'Type'),
        number: take(values, 'Number')?.replace(/[^0-9 ]/g, ''),
        code: take(values, 'Security Code'),
        ...expiry(take(values, 'Expiration Date')),
      });
    case 'Address':
    case 'Passport':
    case "Driver's License":
    case 'Social Security': {
      const full = take(values, 'Name');
      const [first, ...rest] = (full ?? '').split(/\s+/).filter(Boolean);
      return withFields({
        type: 'identity',
        ...common,
        title: take(values, 'Title'),
        firstName: take(values, 'First Name') ?? first,
        middleName: take(values, 'Middle Name'),
        lastName: take(values, 'Last Name') ?? (rest.length ? rest.join(' ') : undefined),
        username: take(values, 'Username'),
        company: take(values, 'Company'),
        address1: take(values, 'Address 1', 'Address'),
        address2: take(values, 'Address 2'),
        address3: take(values, 'Address 3'),
        city: take(values, 'City / Town'),
        state: take(values, 'State'),
        postalCode: take(values, 'Zip / Postal Code'),
        country: take(values, 'Country'),
        email: take(values, 'Email Address'),
        phone: phone(take(values, 'Phone')),
        passportNumber: type === 'Passport' ? take(values, 'Number') : undefined,
        licenseNumber: type === "Driver's License" ? take(values, 'Number') : undefined,
        ssn: type === 'Social Security' ? take(values, 'Number') : undefined,
      });
    }
    default:
      // Bank account, Wi-Fi password, server, database, SSH key, membership…: a note whose
      // values are fields, with its LastPass type named first.
      values.set('Type', type);
      return withFields({ type: 'note', ...common, notes: notes ?? '' });
  }
}
