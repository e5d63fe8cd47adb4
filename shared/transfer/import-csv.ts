// The CSV exports of Chrome, Firefox, 1Password (8) and Bitwarden, each recognised by its
// header. Logins only, except Bitwarden's, which also carries secure notes.
import { type CsvRow, hasColumns, readCsv } from './csv.ts';
import {
  collect,
  compact,
  type ImportedItem,
  type ImportFormat,
  type ImportResult,
  loginBody,
  str,
} from './import-result.ts';

type Candidate = ImportedItem | { skip: string };

interface CsvFormat {
  format: ImportFormat;
  columns: string[];
  row(r: CsvRow): Candidate;
}

const FORMATS: CsvFormat[] = [
  {
    // folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp
    format: 'bitwarden-csv',
    columns: ['type', 'name', 'login_uri', 'login_username', 'login_password'],
    row(r) {
      const folder = str(r.folder) ?? null;
      const favorite = r.favorite === '1';
      const fields = parseFields(r.fields);
      if (r.type === 'note')
        return {
          folder,
          body: compact({ type: 'note', name: str(r.name), notes: r.notes ?? '', favorite }),
        };
      if (r.type !== 'login') return { skip: `type "${r.type}" is not in Bitwarden's CSV` };
      return {
        folder,
        body: compact({
          ...loginBody({
            name: str(r.name),
            urls: (r.login_uri ?? '')
              .split(',')
              .map((u) => u.trim())
              .filter(Boolean),
            username: str(r.login_username),
            password: r.login_password || undefined,
            notes: r.notes || undefined,
            totp: str(r.login_totp),
            favorite,
          }),
          reprompt: r.reprompt === '1' || undefined,
          fields: fields.length ? fields : undefined,
        }),
      };
    },
  },
  {
    // Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes
    format: '1password-csv',
    columns: ['title', 'url', 'username', 'password', 'otpauth'],
    row(r) {
      if (r.archived === 'true') return { skip: 'archived in 1Password' };
      const tags = (r.tags ?? '')
        .split(';')
        .map((t) => t.trim())
        .filter(Boolean);
      return {
        folder: null,
        body: compact({
          ...loginBody({
            name: str(r.title),
            url: str(r.url),
            username: str(r.username),
            password: r.password || undefined,
            notes: r.notes || undefined,
            totp: str(r.otpauth),
            favorite: r.favorite === 'true',
          }),
          tags: tags.length ? tags : undefined,
        }),
      };
    },
  },
  {
    // "url","username","password","httpRealm","formActionOrigin","guid","timeCreated",…
    format: 'firefox-csv',
    columns: ['url', 'username', 'password', 'httprealm', 'formactionorigin'],
    row(r) {
      if (r.url === 'chrome://FirefoxAccounts') return { skip: 'Firefox account entry' };
      return {
        folder: null,
        body: loginBody({
          url: str(r.url),
          username: str(r.username),
          password: r.password || undefined,
        }),
      };
    },
  },
  {
    // name,url,username,password[,note]
    format: 'chrome-csv',
    columns: ['name', 'url', 'username', 'password'],
    row(r) {
      return {
        folder: null,
        body: loginBody({
          name: str(r.name),
          url: str(r.url),
          username: str(r.username),
          password: r.password || undefined,
          notes: r.note || undefined,
        }),
      };
    },
  },
];

/** The CSV format this header belongs to, or null. */
export function detectCsv(text: string): ImportFormat | null {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  if (!firstLine.includes(',')) return null;
  const header = readCsv(firstLine).header;
  return FORMATS.find((f) => hasColumns(header, f.columns))?.format ?? null;
}

export function importCsv(text: string, format: ImportFormat): ImportResult {
  const spec = FORMATS.find((f) => f.format === format);
  if (!spec) throw new Error(`not a CSV format: ${format}`);
  const { rows } = readCsv(text);
  return collect(
    format,
    rows.map((r, i) => ({
      where: `row ${i + 2}${str(r.name ?? r.title) ? ` (${str(r.name ?? r.title)})` : ''}`,
      item: spec.row(r),
    })),
  );
}

/** Bitwarden's CSV `fields` column: one "name: value" per line. */
function parseFields(text: string | undefined) {
  return (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.match(/^([^:]*):\s?(.*)$/))
    .filter((m): m is RegExpMatchArray => !!m)
    .map((m) => ({ name: m[1]!.trim(), value: m[2]!, hidden: false }));
}
