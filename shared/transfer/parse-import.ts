// One entry point for every import: recognises the file (JSON shape, CSV header, KeePass XML)
// unless told the format, and returns items and skips, or throws an ImportError a person can read.

import { isCofreExport, openCofreExport } from './cofre-export.ts';
import { importBitwardenJson, isBitwardenJson } from './import-bitwarden.ts';
import { detectCsv, importCsv } from './import-csv.ts';
import { importKeepassXml, isKeepassXml } from './import-keepass.ts';
import { collect, ImportError, type ImportFormat, type ImportResult } from './import-result.ts';

export const FORMAT_NAMES: Record<ImportFormat, string> = {
  cofre: 'Cofre (password-protected JSON)',
  'bitwarden-json': 'Bitwarden JSON (plain or password-protected)',
  'bitwarden-csv': 'Bitwarden CSV',
  'chrome-csv': 'Chrome CSV',
  'firefox-csv': 'Firefox CSV',
  '1password-csv': '1Password CSV',
  'keepass-xml': 'KeePass 2 XML',
};

export function detectFormat(text: string): ImportFormat | null {
  const head = text.trimStart();
  if (head.startsWith('{')) {
    try {
      const json = JSON.parse(text);
      if (isCofreExport(json)) return 'cofre';
      if (isBitwardenJson(json)) return 'bitwarden-json';
    } catch {
      return null;
    }
    return null;
  }
  if (head.startsWith('<')) return isKeepassXml(head) ? 'keepass-xml' : null;
  return detectCsv(text);
}

export async function parseImport(
  text: string,
  opts: { format?: ImportFormat; password?: string } = {},
): Promise<ImportResult> {
  const format = opts.format ?? detectFormat(text);
  if (!format)
    throw new ImportError(
      'UNKNOWN_FORMAT',
      'This file is not one Cofre can import: use a Bitwarden, Chrome, Firefox, 1Password, KeePass 2 XML or Cofre export.',
    );
  switch (format) {
    case 'cofre': {
      const items = await openCofreExport(parseJson(text), opts.password);
      return collect(
        'cofre',
        items.map((item, i) => ({ where: `item ${i + 1}`, item })),
      );
    }
    case 'bitwarden-json':
      return importBitwardenJson(parseJson(text), opts.password);
    case 'keepass-xml':
      return importKeepassXml(text);
    default:
      return importCsv(text, format);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ImportError('MALFORMED', 'The JSON file is malformed.', { cause });
  }
}
