// One entry point for every import: recognises the file (JSON shape, CSV header, KeePass XML)
// unless told the format, and returns items and skips, or throws an ImportError a person can read.

import { unzipSync } from 'fflate';
import { msg, said } from '../i18n-msg.ts';
import { isCofreExport, openCofreExport } from './cofre-export.ts';
import { importCxf, isCxf } from './cxf.ts';
import { import1pux, is1pux } from './import-1pux.ts';
import { importBitwardenJson, isBitwardenJson } from './import-bitwarden.ts';
import { DASHLANE_NOTES_FORMAT, detectCsv, importCsv } from './import-csv.ts';
import { importKeepassXml, isKeepassXml } from './import-keepass.ts';
import { importKeeperJson, isKeeperJson } from './import-keeper.ts';
import { importProtonPass, isProtonPass } from './import-proton.ts';
import {
  collect,
  FORMAT_NAMES,
  ImportError,
  type ImportFormat,
  type ImportResult,
  place,
} from './import-result.ts';

export { FORMAT_NAMES };

export type Detection = { format: ImportFormat } | { ambiguous: ImportFormat[] } | { none: string };

/** What made this file, from its shape: one format, several to choose from, or why none. */
export function detectFormat(text: string): Detection {
  const head = text.trimStart();
  if (head.startsWith('{') || head.startsWith('[')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw damagedJson(head, cause);
    }
    if (isCofreExport(json)) return { format: 'cofre' };
    if (isBitwardenJson(json)) return { format: 'bitwarden-json' };
    if (isCxf(json)) return { format: 'cxf' };
    if (is1pux(json)) return { format: '1password-1pux' };
    if (isProtonPass(json)) return { format: 'protonpass-json' };
    if (isKeeperJson(json)) return { format: 'keeper-json' };
    return { none: msg('it is JSON, but not the export of a manager Cofre knows') };
  }
  if (head.startsWith('<'))
    return isKeepassXml(head)
      ? { format: 'keepass-xml' }
      : { none: msg('it is XML, but not a KeePass 2 export') };
  return detectCsv(text);
}

/** A JSON file that does not parse: named as the export it starts like, and as damaged. */
function damagedJson(head: string, cause: unknown): ImportError {
  const start = head.slice(0, 4_000);
  const detail = { detail: (cause as Error).message };
  const message = /"encKeyValidation_DO_NOT_EDIT"|"items"\s*:|"folders"\s*:/.test(start)
    ? said('This Bitwarden JSON export is damaged (cut short or edited): {detail}', detail)
    : /"cofre"/.test(start)
      ? said('This Cofre export is damaged (cut short or edited): {detail}', detail)
      : said('This JSON file is damaged: {detail}', detail);
  return new ImportError('MALFORMED', message, { cause });
}

/** The most an archive may unpack to (a zip bomb is refused, not unpacked). */
const MAX_UNZIPPED = 512 * 1024 * 1024;

/** What is inside a zip archive: one export (1PUX, Proton Pass), or Dashlane's CSV files. */
type Opened = { text: string } | { dashlane: Record<string, string> };

const DASHLANE_FILES = [
  'credentials.csv',
  'payments.csv',
  'securenotes.csv',
  'ids.csv',
  'personalinfo.csv',
];
const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1).toLowerCase();

/**
 * A file as the page read it: text (UTF-8, or UTF-16 with its byte-order mark), or a zip
 * archive whose export is taken out (1Password's 1PUX keeps `export.data`, Proton Pass
 * `Proton Pass/data.json`, Dashlane one CSV per kind of item).
 */
export function openImportFile(bytes: Uint8Array): Opened {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    let total = 0;
    let files: Record<string, Uint8Array>;
    try {
      files = unzipSync(bytes, {
        filter: (f) => {
          const wanted =
            f.name === 'export.data' ||
            /(^|\/)Proton Pass\/data\.json$/.test(f.name) ||
            DASHLANE_FILES.includes(baseName(f.name));
          if (wanted) total += f.originalSize;
          return wanted && total <= MAX_UNZIPPED;
        },
      });
    } catch (cause) {
      throw new ImportError('MALFORMED', msg('This zip archive is damaged.'), { cause });
    }
    if (total > MAX_UNZIPPED)
      throw new ImportError('MALFORMED', msg('This zip archive unpacks to more than 512 MiB.'));
    const decode = (b: Uint8Array) => new TextDecoder().decode(b);
    const names = Object.keys(files);
    const csvs = names.filter((n) => DASHLANE_FILES.includes(baseName(n)));
    if (csvs.length && csvs.length === names.length)
      return {
        dashlane: Object.fromEntries(csvs.map((n) => [baseName(n), decode(files[n]!)])),
      };
    if (names.length > 1)
      throw new ImportError('MALFORMED', msg('This zip archive holds more than one export.'));
    const data = names[0] ? files[names[0]] : undefined;
    if (!data)
      throw new ImportError(
        'UNKNOWN_FORMAT',
        msg(
          'Cofre cannot import this file: it is a zip archive, but not a 1Password (1PUX), Proton Pass or Dashlane export.',
        ),
      );
    return { text: decode(data) };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)) };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)) };
  return { text: new TextDecoder().decode(bytes) };
}

/** Dashlane's zip: each CSV read with its own columns, one result. */
function importDashlaneZip(files: Record<string, string>): ImportResult {
  const parts: ImportResult[] = [];
  for (const [name, text] of Object.entries(files)) {
    if (name === 'credentials.csv') parts.push(importCsv(text, 'dashlane-csv', undefined, name));
    else if (name === 'payments.csv')
      parts.push(importCsv(text, 'dashlane-payments-csv', undefined, name));
    else if (name === 'securenotes.csv')
      parts.push(importCsv(text, 'dashlane-csv', DASHLANE_NOTES_FORMAT, name));
    else if (name === 'ids.csv') parts.push(importCsv(text, 'dashlane-ids-csv', undefined, name));
    else if (name === 'personalinfo.csv')
      parts.push(importCsv(text, 'dashlane-personal-csv', undefined, name));
  }
  return {
    format: 'dashlane-csv',
    items: parts.flatMap((p) => p.items),
    skipped: parts.flatMap((p) => p.skipped),
    partial: parts.flatMap((p) => p.partial),
  };
}

export async function parseImport(
  input: string | Uint8Array,
  opts: { format?: ImportFormat; password?: string } = {},
): Promise<ImportResult> {
  const opened = typeof input === 'string' ? { text: input } : openImportFile(input);
  if ('dashlane' in opened) return importDashlaneZip(opened.dashlane);
  const text = opened.text;
  let format = opts.format;
  if (!format) {
    const found = detectFormat(text);
    if ('none' in found)
      throw new ImportError(
        'UNKNOWN_FORMAT',
        said(
          'Cofre cannot import this file: {why}. Use an export of Bitwarden, 1Password, LastPass, Dashlane, NordPass, Proton Pass, Keeper, KeePass or KeePassXC, Apple Passwords, Chrome (Edge, Brave, Opera, Vivaldi), Firefox, a Credential Exchange (CXF) file, or Cofre.',
          { why: found.none },
        ),
      );
    if ('ambiguous' in found)
      throw new ImportError(
        'AMBIGUOUS',
        said('This file could come from one of these: {formats}. Choose which.', {
          formats: found.ambiguous.map((f) => FORMAT_NAMES[f]).join(' · '),
        }),
        { candidates: found.ambiguous },
      );
    format = found.format;
  }
  switch (format) {
    case 'cofre': {
      const items = await openCofreExport(parseJson(text), opts.password);
      return collect(
        'cofre',
        items.map((item, i) => ({ where: place('item', i + 1), item })),
      );
    }
    case 'bitwarden-json':
      return importBitwardenJson(parseJson(text), opts.password);
    case 'keepass-xml':
      return importKeepassXml(text);
    case 'cxf':
      return importCxf(parseJson(text));
    case '1password-1pux':
      return import1pux(parseJson(text));
    case 'protonpass-json':
      return importProtonPass(parseJson(text));
    case 'keeper-json':
      return importKeeperJson(parseJson(text));
    default:
      return importCsv(text, format);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ImportError('MALFORMED', msg('The JSON file is malformed.'), { cause });
  }
}
