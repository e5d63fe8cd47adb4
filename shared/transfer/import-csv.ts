// The CSV exports of the common managers, each recognised by the columns its producer writes
// (the whole set, not a few shared names: LastPass and NordPass files also have name, url,
// username and password, as Chrome's do). Every column a format does not map is kept as a
// custom field, so nothing in a row is dropped without a word. The shapes, and where each comes
// from, are in test/fixtures/import/README.md.
import { msg, said } from '../i18n-msg.ts';
import type { CustomField } from '../model/item.ts';
import { type CsvRead, type CsvRow, readCsv } from './csv.ts';
import { ONEPASSWORD7_MAC, ONEPASSWORD7_WIN } from './import-1password7.ts';
import { DASHLANE_IDS_FORMAT, DASHLANE_PERSONAL_FORMAT } from './import-dashlane.ts';
import {
  collect,
  compact,
  FORMAT_NAMES,
  ImportError,
  type ImportedItem,
  type ImportFormat,
  type ImportResult,
  loginBody,
  otherColumns,
  place,
  str,
  totpOf,
} from './import-result.ts';
import { lastPassNote } from './lastpass-notes.ts';

export type Candidate = ImportedItem | { skip: string };

export interface CsvFormat {
  format: ImportFormat;
  /** Columns every file of this producer has (how it is recognised). */
  signature: string[];
  /** Every column it maps (the rest of a row becomes custom fields). */
  known: string[];
  row(r: CsvRow): Candidate;
  /** Reads every column by its label (1Password 7): no column of the header is foreign to it. */
  readsAll?: boolean;
  /** A column of this shape must be in the header too (1Password 7 for Windows' "name 1: …"). */
  columnPattern?: RegExp;
  /** Where rows make items together (Dashlane's personal info): the items, each by its line. */
  rows?(
    rows: Array<{ row: CsvRow; line: number }>,
  ): Array<{ row: CsvRow; line: number; item: Candidate }>;
}

/** A login from a row, with the columns not mapped as custom fields and the TOTP checked. */
function login(
  r: CsvRow,
  known: readonly string[],
  f: Parameters<typeof loginBody>[0] & { folder?: string | null; tags?: string[] },
): Candidate {
  const { totp, extra } = totpOf(f.totp);
  const fields: CustomField[] = [...otherColumns(r, known), ...(extra ? [extra.field] : [])];
  return {
    folder: f.folder ?? null,
    body: compact({
      ...loginBody({ ...f, totp }),
      tags: f.tags?.length ? f.tags : undefined,
      fields: fields.length ? fields : undefined,
    }),
    ...(extra ? { leftOut: [extra.note] } : {}),
  };
}

/** Bitwarden's CSV columns, in its order (Cofre's CSV export writes the same). */
export const BITWARDEN = [
  'folder',
  'favorite',
  'type',
  'name',
  'notes',
  'fields',
  'reprompt',
  'login_uri',
  'login_username',
  'login_password',
  'login_totp',
];
const LASTPASS = ['url', 'username', 'password', 'totp', 'extra', 'name', 'grouping', 'fav'];
const NORDPASS = [
  'name',
  'url',
  'additional_urls',
  'username',
  'password',
  'note',
  'cardholdername',
  'cardnumber',
  'cvc',
  'pin',
  'expirydate',
  'zipcode',
  'folder',
  'full_name',
  'phone_number',
  'email',
  'address1',
  'address2',
  'city',
  'country',
  'state',
  'type',
  'custom_fields',
];
const ONEPASSWORD = [
  'title',
  'url',
  'username',
  'password',
  'otpauth',
  'favorite',
  'archived',
  'tags',
  'notes',
];
const KEEPASSXC = [
  'group',
  'title',
  'username',
  'password',
  'url',
  'notes',
  'totp',
  'icon',
  'last modified',
  'created',
];
const APPLE = ['title', 'url', 'username', 'password', 'notes', 'otpauth'];
const FIREFOX = [
  'url',
  'username',
  'password',
  'httprealm',
  'formactionorigin',
  'guid',
  'timecreated',
  'timelastused',
  'timepasswordchanged',
];
const CHROME = ['name', 'url', 'username', 'password', 'note'];
const DASHLANE = [
  'username',
  'username2',
  'username3',
  'title',
  'password',
  'note',
  'url',
  'category',
  'otpsecret',
  'otpurl',
  'otp',
];
const DASHLANE_PAYMENTS = [
  'type',
  'account_name',
  'account_holder',
  'cc_number',
  'code',
  'expiration_month',
  'expiration_year',
  'routing_number',
  'account_number',
  'country',
  'issuing_bank',
  'note',
  'name',
];
const DASHLANE_NOTES = ['title', 'note', 'category'];

const split = (s: string | undefined, sep: string | RegExp) =>
  (s ?? '')
    .split(sep)
    .map((x) => x.trim())
    .filter(Boolean);

export const CSV_FORMATS: CsvFormat[] = [
  {
    // folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp
    format: 'bitwarden-csv',
    signature: ['type', 'name', 'login_uri', 'login_username', 'login_password'],
    known: BITWARDEN,
    row(r) {
      const folder = str(r.folder) ?? null;
      const favorite = r.favorite === '1';
      const fields = [...parseFields(r.fields), ...otherColumns(r, BITWARDEN)];
      if (r.type === 'note')
        return {
          folder,
          body: compact({
            type: 'note',
            name: str(r.name),
            notes: r.notes ?? '',
            favorite,
            fields: fields.length ? fields : undefined,
          }),
        };
      if (r.type !== 'login')
        return { skip: said('type "{type}" is not in Bitwarden’s CSV', { type: r.type ?? '' }) };
      const { totp, extra } = totpOf(str(r.login_totp));
      const all = extra ? [...fields, extra.field] : fields;
      return {
        folder,
        body: compact({
          ...loginBody({
            name: str(r.name),
            urls: split(r.login_uri, ','),
            username: str(r.login_username),
            password: r.login_password || undefined,
            notes: r.notes || undefined,
            totp,
            favorite,
          }),
          reprompt: r.reprompt === '1' || undefined,
          fields: all.length ? all : undefined,
        }),
        ...(extra ? { leftOut: [extra.note] } : {}),
      };
    },
  },
  {
    // url,username,password,totp,extra,name,grouping,fav — secure notes have the url "http://sn"
    // and their typed fields ("NoteType:Credit Card", "Number:…") in `extra`.
    format: 'lastpass-csv',
    signature: ['url', 'username', 'password', 'extra', 'name', 'grouping'],
    known: LASTPASS,
    row(r) {
      // LastPass nests folders with "\"; a row with only a folder is an empty folder.
      const folder = split(r.grouping, '\\').join('/') || null;
      const favorite = r.fav === '1';
      if (r.url === 'http://sn') return lastPassNote(r, folder, favorite);
      // LastPass writes "http://" for "no address".
      const url = r.url === 'http://' ? undefined : str(r.url);
      if (!str(r.name) && !url && !str(r.username) && !r.password)
        return { skip: msg('an empty row (a LastPass folder)') };
      return login(r, LASTPASS, {
        name: str(r.name),
        url,
        username: str(r.username),
        password: r.password || undefined,
        notes: r.extra || undefined,
        totp: str(r.totp),
        favorite,
        folder,
      });
    },
  },
  {
    // name,url,additional_urls,username,password,note,cardholdername,cardnumber,cvc,pin,
    // expirydate,zipcode,folder,full_name,phone_number,email,address1,address2,city,country,
    // state,type,custom_fields — `type` is password, credit_card, identity, note or folder.
    format: 'nordpass-csv',
    signature: [
      'name',
      'url',
      'username',
      'password',
      'note',
      'cardholdername',
      'cardnumber',
      'type',
    ],
    known: NORDPASS,
    row(r) {
      const folder = str(r.folder) ?? null;
      const custom = nordPassFields(r.custom_fields);
      const fields = [...custom, ...otherColumns(r, NORDPASS)];
      const common = compact({
        name: str(r.name),
        notes: r.note || undefined,
        fields: fields.length ? fields : undefined,
      });
      switch (r.type) {
        case 'folder':
          return { skip: msg('a NordPass folder (its items carry it)') };
        case 'password':
        case '':
        case undefined: {
          const item = login(r, NORDPASS, {
            name: str(r.name),
            urls: [...(str(r.url) ? [r.url!.trim()] : []), ...nordPassUrls(r.additional_urls)],
            username: str(r.username),
            password: r.password || undefined,
            notes: r.note || undefined,
            folder,
          });
          if ('body' in item && custom.length)
            item.body.fields = [...custom, ...((item.body.fields as CustomField[]) ?? [])];
          return item;
        }
        case 'credit_card': {
          const [mm, yy] = (r.expirydate ?? '').split('/').map((x) => Number(x.trim()));
          const pin = str(r.pin);
          return {
            folder,
            body: compact({
              type: 'card',
              ...common,
              cardholderName: str(r.cardholdername),
              number: str(r.cardnumber)?.replace(/[^0-9 ]/g, ''),
              code: str(r.cvc),
              expMonth: mm && mm >= 1 && mm <= 12 ? mm : undefined,
              expYear: yy ? (yy < 100 ? 2000 + yy : yy) : undefined,
              fields: [
                ...(pin ? [{ name: 'PIN', value: pin, type: 'hidden' as const }] : []),
                ...((common.fields as CustomField[]) ?? []),
              ],
            }),
          };
        }
        case 'identity': {
          const [first, ...rest] = split(r.full_name, /\s+/);
          return {
            folder,
            body: compact({
              type: 'identity',
              ...common,
              firstName: first,
              lastName: rest.length ? rest.join(' ') : undefined,
              phone: str(r.phone_number),
              email: str(r.email),
              address1: str(r.address1),
              address2: str(r.address2),
              city: str(r.city),
              state: str(r.state),
              postalCode: str(r.zipcode),
              country: str(r.country),
            }),
          };
        }
        case 'note':
          return { folder, body: compact({ type: 'note', ...common, notes: r.note ?? '' }) };
        default:
          return {
            skip: said('NordPass item type "{type}" is not one Cofre knows', {
              type: r.type ?? '',
            }),
          };
      }
    },
  },
  {
    // Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes (1Password 8)
    format: '1password-csv',
    signature: ['title', 'url', 'username', 'password', 'otpauth', 'archived'],
    known: ONEPASSWORD,
    row(r) {
      if (r.archived === 'true') return { skip: msg('archived in 1Password') };
      return login(r, ONEPASSWORD, {
        name: str(r.title),
        url: str(r.url),
        username: str(r.username),
        password: r.password || undefined,
        notes: r.notes || undefined,
        totp: str(r.otpauth),
        favorite: r.favorite === 'true',
        tags: split(r.tags, ';'),
      });
    },
  },
  {
    // "Group","Title","Username","Password","URL","Notes","TOTP","Icon","Last Modified","Created"
    format: 'keepassxc-csv',
    signature: ['title', 'username', 'password', 'url', 'notes', 'totp'],
    known: KEEPASSXC,
    row(r) {
      // The first group is the database's root, not a folder.
      const folder = split(r.group, '/').slice(1).join('/') || null;
      return login(r, KEEPASSXC, {
        name: str(r.title),
        url: str(r.url),
        username: str(r.username),
        password: r.password || undefined,
        notes: r.notes || undefined,
        totp: str(r.totp),
        folder,
      });
    },
  },
  {
    // Title,URL,Username,Password,Notes,OTPAuth (Apple Passwords and Safari; older Safari
    // wrote Title,Url,Username,Password only)
    format: 'apple-csv',
    signature: ['title', 'url', 'username', 'password'],
    known: APPLE,
    row(r) {
      return login(r, APPLE, {
        name: str(r.title),
        url: str(r.url),
        username: str(r.username),
        password: r.password || undefined,
        notes: r.notes || undefined,
        totp: str(r.otpauth),
      });
    },
  },
  {
    // "url","username","password","httpRealm","formActionOrigin","guid","timeCreated",…
    format: 'firefox-csv',
    signature: ['url', 'username', 'password', 'httprealm', 'formactionorigin'],
    known: FIREFOX,
    row(r) {
      if (r.url === 'chrome://FirefoxAccounts') return { skip: msg('Firefox account entry') };
      return login(r, FIREFOX, {
        url: str(r.url),
        username: str(r.username),
        password: r.password || undefined,
      });
    },
  },
  {
    // username,username2,username3,title,password,note,url,category,otpSecret (Dashlane's
    // credentials.csv; newer versions write otpUrl)
    format: 'dashlane-csv',
    signature: [
      'username',
      'username2',
      'username3',
      'title',
      'password',
      'note',
      'url',
      'category',
    ],
    known: DASHLANE,
    row(r) {
      const item = login(r, DASHLANE, {
        name: str(r.title),
        url: str(r.url),
        username: str(r.username),
        password: r.password || undefined,
        notes: r.note || undefined,
        totp: str(r.otpurl) ?? str(r.otpsecret) ?? (r.otp === 'null' ? undefined : str(r.otp)),
        folder: str(r.category) ?? null,
      });
      // The second and third usernames Dashlane keeps (an email and a login, say).
      if ('body' in item) {
        const more = [r.username2, r.username3]
          .map((u) => str(u))
          .filter((u): u is string => !!u)
          .map((value, i) => ({ name: `Username ${i + 2}`, value, type: 'text' as const }));
        if (more.length)
          item.body.fields = [...more, ...((item.body.fields as CustomField[] | undefined) ?? [])];
      }
      return item;
    },
  },
  {
    // Dashlane's payments.csv: cards and bank accounts
    format: 'dashlane-payments-csv',
    signature: [
      'type',
      'account_name',
      'account_holder',
      'cc_number',
      'code',
      'expiration_month',
      'expiration_year',
    ],
    known: DASHLANE_PAYMENTS,
    row(r) {
      const common = compact({
        name: str(r.name) ?? str(r.account_name),
        notes: r.note || undefined,
      });
      if (r.type === 'payment_card') {
        const month = Number(r.expiration_month);
        const year = Number(r.expiration_year);
        // Every column a card does not use (its country, say) is kept as a field.
        const extra = otherColumns(r, [
          'type',
          'account_name',
          'account_holder',
          'cc_number',
          'code',
          'expiration_month',
          'expiration_year',
          'issuing_bank',
          'note',
          'name',
        ]);
        const bank = str(r.issuing_bank);
        const fields = [
          ...(bank ? [{ name: 'Issuing bank', value: bank, type: 'text' as const }] : []),
          ...extra,
        ];
        return {
          folder: null,
          body: compact({
            type: 'card',
            ...common,
            cardholderName: str(r.account_holder),
            brand: str(r.account_name),
            number: str(r.cc_number)?.replace(/[^0-9 ]/g, ''),
            code: str(r.code),
            expMonth: month >= 1 && month <= 12 ? month : undefined,
            expYear: year > 0 ? (year < 100 ? 2000 + year : year) : undefined,
            fields: fields.length ? fields : undefined,
          }),
        };
      }
      // A bank account: a secure note with its numbers as hidden fields.
      const fields: CustomField[] = [
        { name: 'Type', value: r.type || 'bank account', type: 'text' },
        ...[
          ['Account holder', r.account_holder, 'text'],
          ['Account number', r.account_number, 'hidden'],
          ['Routing number', r.routing_number, 'hidden'],
          ['Bank', r.issuing_bank, 'text'],
          ['Country', r.country, 'text'],
        ]
          .filter(([, v]) => str(v))
          .map(([name, value, type]) => ({
            name: name!,
            value: value!,
            type: type as 'text' | 'hidden',
          })),
      ];
      return {
        folder: null,
        body: compact({ type: 'note', ...common, notes: r.note ?? '', fields }),
      };
    },
  },
  DASHLANE_IDS_FORMAT,
  DASHLANE_PERSONAL_FORMAT,
  ONEPASSWORD7_MAC,
  ONEPASSWORD7_WIN,
  {
    // name,url,username,password[,note] — also Edge, Brave, Opera and Vivaldi
    format: 'chrome-csv',
    signature: ['name', 'url', 'username', 'password'],
    known: CHROME,
    row(r) {
      return login(r, CHROME, {
        name: str(r.name),
        url: str(r.url),
        username: str(r.username),
        password: r.password || undefined,
        notes: r.note || undefined,
      });
    },
  },
];

export type CsvDetection =
  | { format: ImportFormat }
  | { ambiguous: ImportFormat[] }
  | { none: string };

/**
 * Which producer wrote this header: the formats whose whole signature is there, the most
 * specific first. Another format's own columns in the header (not the chosen one's) make the
 * file ambiguous: the person is asked, never guessed for.
 */
export function detectCsvHeader(header: string[]): CsvDetection {
  const fits = (f: CsvFormat) =>
    f.signature.every((c) => header.includes(c)) &&
    (!f.columnPattern || header.some((c) => f.columnPattern!.test(c)));
  const knows = (f: CsvFormat, c: string) => f.readsAll || f.known.includes(c);
  /** Columns of a signature no other producer writes: the surest sign of who made the file. */
  const own = (f: CsvFormat) =>
    f.signature.filter((c) => CSV_FORMATS.every((g) => g === f || !g.known.includes(c))).length +
    (f.columnPattern ? 1 : 0);
  const matching = CSV_FORMATS.filter(fits).sort(
    (a, b) => own(b) - own(a) || b.signature.length - a.signature.length,
  );
  const best = matching[0];
  if (!best) return { none: msg('its columns are not those of a manager Cofre knows') };
  const rivals = matching.filter(
    (f) => f !== best && f.signature.some((c) => !knows(best, c) && header.includes(c)),
  );
  // A column only another manager writes, where the best match has no use for it.
  const foreign = CSV_FORMATS.filter(
    (f) =>
      f !== best &&
      !matching.includes(f) &&
      f.signature.filter((c) => header.includes(c) && !knows(best, c)).length >= 2,
  );
  const others = [...rivals, ...foreign];
  return others.length
    ? { ambiguous: [best.format, ...others.map((f) => f.format)] }
    : {
        format: best.format,
      };
}

/** Dashlane's securenotes.csv (title,note[,category]): only read from Dashlane's zip by name. */
export const DASHLANE_NOTES_FORMAT: CsvFormat = {
  format: 'dashlane-csv',
  signature: ['title', 'note'],
  known: DASHLANE_NOTES,
  row(r) {
    const fields = otherColumns(r, DASHLANE_NOTES);
    return {
      folder: str(r.category) ?? null,
      body: compact({
        type: 'note',
        name: str(r.title),
        notes: r.note ?? '',
        fields: fields.length ? fields : undefined,
      }),
    };
  },
};

/** The CSV format of a file, from its first line. */
export function detectCsv(text: string): CsvDetection {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  let read: CsvRead;
  try {
    read = readCsv(firstLine);
  } catch {
    return { none: msg('it has no header line') };
  }
  if (read.header.length < 2)
    return {
      none: msg(
        'its first line is not a header of columns separated by commas, semicolons or tabs',
      ),
    };
  return detectCsvHeader(read.header);
}

export function importCsv(
  text: string,
  format: ImportFormat,
  spec = CSV_FORMATS.find((f) => f.format === format),
  file = '',
): ImportResult {
  if (!spec) throw new Error(`not a CSV format: ${format}`);
  /** In a zip of several CSVs (Dashlane's), the file is named too. */
  const inFile = (where: string) => (file ? said('{file} — {where}', { file, where }) : where);
  const { header, rows, bad } = readCsv(text);
  const missing = spec.signature.filter((c) => !header.includes(c));
  if (missing.length)
    throw new ImportError(
      'MALFORMED',
      said('This file lacks the columns a {format} export has: {columns}.', {
        format: FORMAT_NAMES[format],
        columns: missing.join(', '),
      }),
    );
  const made = spec.rows
    ? spec.rows(rows)
    : rows.map(({ row, line }) => ({ row, line, item: spec.row(row) }));
  return collect(
    format,
    made.map(({ row, line, item }) => {
      const where = place('line', line, str(row.name ?? row.title ?? row.item_name));
      return { where: inFile(where), item };
    }),
    {
      skipped: bad.map((b) => ({
        where: inFile(place('line', b.line)),
        reason: said('could not be read: {why}', { why: b.reason }),
      })),
    },
  );
}

/** Bitwarden's CSV `fields` column: one "name: value" per line. */
function parseFields(text: string | undefined): CustomField[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.match(/^([^:]*):\s?(.*)$/))
    .filter((m): m is RegExpMatchArray => !!m)
    .map((m) => ({ name: m[1]!.trim(), value: m[2]!, type: 'text' as const }));
}

/** NordPass's `additional_urls`: a JSON array of addresses (or one address). */
function nordPassUrls(text: string | undefined): string[] {
  const t = str(text);
  if (!t) return [];
  try {
    const v = JSON.parse(t);
    return Array.isArray(v) ? v.map(String).filter(Boolean) : [String(v)];
  } catch {
    return split(t, ',');
  }
}

/** NordPass's `custom_fields`: a JSON array of {label, type, value}; hidden ones stay hidden. */
function nordPassFields(text: string | undefined): CustomField[] {
  const t = str(text);
  if (!t) return [];
  try {
    const v = JSON.parse(t);
    if (!Array.isArray(v)) throw new TypeError('not a list');
    return v.map((f: Record<string, unknown>) => ({
      name: String(f.label ?? f.name ?? ''),
      value: String(f.value ?? ''),
      type: f.type === 'hidden' ? ('hidden' as const) : ('text' as const),
    }));
  } catch {
    return [{ name: 'custom_fields', value: t, type: 'text' }];
  }
}
