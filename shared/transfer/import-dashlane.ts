// Dashlane's CSV export: one file per kind of item (credentials.csv, payments.csv,
// securenotes.csv, ids.csv, personalInfo.csv), alone or in the zip Dashlane writes. The columns of
// the two read here — IDs and personal info — are those of Dashlane's export as public importer
// test suites have them (test/fixtures/import/README.md).
import type { CustomField } from '../model/item.ts';
import type { CsvRow } from './csv.ts';
import type { Candidate, CsvFormat } from './import-csv.ts';
import { compact, otherColumns, str } from './import-result.ts';

const IDS = ['type', 'number', 'name', 'issue_date', 'expiration_date', 'place_of_issue', 'state'];

/** A Dashlane ID's kind: the identity field its number goes in, or a hidden custom field. */
const ID_KINDS: Record<
  string,
  { label: string; field?: 'passportNumber' | 'licenseNumber' | 'ssn' }
> = {
  passport: { label: 'Passport', field: 'passportNumber' },
  license: { label: 'Driver’s licence', field: 'licenseNumber' },
  social_security: { label: 'Social security number', field: 'ssn' },
  card: { label: 'ID card' },
  tax_number: { label: 'Tax number' },
};

/** "Ana María Example" as first and last name (the last word is the last name). */
function names(full: string | undefined) {
  const parts = (full ?? '').trim().split(/\s+/).filter(Boolean);
  if (parts.length < 2) return { firstName: parts[0] };
  return { firstName: parts.slice(0, -1).join(' '), lastName: parts.at(-1) };
}

const text = (name: string, value: string | undefined): CustomField[] =>
  str(value) ? [{ name, value: value!.trim(), type: 'text' }] : [];

/** ids.csv: passports, driver's licences, ID cards, social security and tax numbers. */
export const DASHLANE_IDS_FORMAT: CsvFormat = {
  format: 'dashlane-ids-csv',
  signature: ['type', 'number', 'name', 'issue_date', 'expiration_date', 'place_of_issue'],
  known: IDS,
  row(r): Candidate {
    const kind = ID_KINDS[r.type ?? ''] ?? { label: str(r.type) ?? 'ID' };
    const number = str(r.number);
    const fields: CustomField[] = [
      ...(number && !kind.field
        ? [{ name: kind.label, value: number, type: 'hidden' as const }]
        : []),
      ...(ID_KINDS[r.type ?? ''] ? [] : text('Type', r.type)),
      ...text('Issued', r.issue_date),
      ...text('Expires', r.expiration_date),
      ...text('Place of issue', r.place_of_issue),
      ...otherColumns(r, IDS),
    ];
    const who = str(r.name);
    return {
      folder: null,
      body: compact({
        type: 'identity',
        name: who ? `${kind.label} · ${who}` : kind.label,
        ...names(who),
        ...(kind.field && number ? { [kind.field]: number } : {}),
        state: str(r.state),
        fields: fields.length ? fields : undefined,
      }),
    };
  },
};

const PERSONAL = [
  'type',
  'title',
  'first_name',
  'middle_name',
  'last_name',
  'login',
  'date_of_birth',
  'place_of_birth',
  'email',
  'email_type',
  'item_name',
  'phone_number',
  'address',
  'country',
  'state',
  'city',
  'zip',
  'address_recipient',
  'address_building',
  'address_apartment',
  'address_floor',
  'address_door_code',
  'job_title',
  'url',
];

/** What each kind of personal-info row fills in an identity, and the columns it uses. */
function personalPart(r: CsvRow): { body: Record<string, unknown>; used: string[] } {
  switch (r.type) {
    case 'name':
      return {
        body: {
          title: str(r.title),
          firstName: str(r.first_name),
          middleName: str(r.middle_name),
          lastName: str(r.last_name),
          username: str(r.login),
        },
        used: ['title', 'first_name', 'middle_name', 'last_name', 'login'],
      };
    case 'email':
      return { body: { email: str(r.email) }, used: ['email'] };
    case 'number':
      return { body: { phone: str(r.phone_number) }, used: ['phone_number'] };
    case 'address':
      return {
        body: {
          address1: str(r.address),
          city: str(r.city),
          state: str(r.state),
          postalCode: str(r.zip),
          country: str(r.country),
        },
        used: ['address', 'city', 'state', 'zip', 'country'],
      };
    default:
      return { body: {}, used: [] };
  }
}

/** The identity fields a personal-info row fills, by name (for a second one, kept as a field). */
const PART_LABELS: Record<string, string> = {
  email: 'Email',
  phone: 'Phone',
  address1: 'Address',
  city: 'City',
  state: 'State',
  postalCode: 'Postal code',
  country: 'Country',
  title: 'Title',
  firstName: 'First name',
  middleName: 'Middle name',
  lastName: 'Last name',
  username: 'Username',
};

/** Labels for the personal-info columns no identity field holds. */
const PERSONAL_LABELS: Record<string, string> = {
  date_of_birth: 'Date of birth',
  place_of_birth: 'Place of birth',
  email_type: 'Email type',
  address_recipient: 'Recipient',
  address_building: 'Building',
  address_apartment: 'Apartment',
  address_floor: 'Floor',
  address_door_code: 'Door code',
  job_title: 'Job title',
  url: 'Website',
};

/**
 * personalInfo.csv: one row per name, email, phone number, address… of the person. With one
 * name in the file they are one identity (the first email, phone and address in its fields, any
 * further ones as custom fields); with several names, or none, each row is its own identity.
 * Every other column with a value is kept as a custom field.
 */
export const DASHLANE_PERSONAL_FORMAT: CsvFormat = {
  format: 'dashlane-personal-csv',
  signature: ['type', 'title', 'first_name', 'last_name', 'item_name', 'phone_number', 'address'],
  known: PERSONAL,
  row(r) {
    return personalIdentity([r]);
  },
  rows(rows) {
    const named = rows.filter(({ row }) => row.type === 'name');
    if (named.length !== 1)
      return rows.map(({ row, line }) => ({ line, row, item: personalIdentity([row]) }));
    const first = named[0]!;
    return [
      {
        line: first.line,
        row: first.row,
        item: personalIdentity([first.row, ...rows.filter((x) => x !== first).map((x) => x.row)]),
      },
    ];
  },
};

function personalIdentity(rows: CsvRow[]): Candidate {
  const body: Record<string, unknown> = {};
  const fields: CustomField[] = [];
  for (const r of rows) {
    const part = personalPart(r);
    const clash = Object.entries(part.body).some(
      ([k, v]) => v !== undefined && body[k] !== undefined,
    );
    const label = str(r.item_name) ?? str(r.type) ?? 'Personal info';
    if (clash) {
      // A second email, phone or address: kept whole as fields named by its row.
      for (const [k, v] of Object.entries(part.body))
        if (typeof v === 'string')
          fields.push({ name: `${label}: ${PART_LABELS[k] ?? k}`, value: v, type: 'text' });
    } else for (const [k, v] of Object.entries(part.body)) if (v !== undefined) body[k] = v;
    if (!Object.values(part.body).some((v) => v !== undefined) && r.type && !personalKnown(r.type))
      fields.push({ name: 'Type', value: r.type, type: 'text' });
    const used = new Set([...part.used, 'type', 'item_name']);
    for (const f of otherColumns(r, [...used]))
      fields.push({ ...f, name: PERSONAL_LABELS[f.name] ?? f.name });
  }
  const full = [body.firstName, body.middleName, body.lastName].filter(Boolean).join(' ');
  const name = full || str(rows[0]?.item_name) || 'Personal info';
  return {
    folder: null,
    body: compact({ type: 'identity', name, ...body, fields: fields.length ? fields : undefined }),
  };
}

const personalKnown = (type: string) => ['name', 'email', 'number', 'address'].includes(type);
