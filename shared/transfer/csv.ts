// CSV files as rows of named columns (Papa Parse), read so that one damaged row never costs the
// others: the separator is found from the header (comma, semicolon, tab or bar), a row whose
// quotes never close or whose values do not line up with the header is set aside with its real
// line number, and reading goes on from the next line. Column names compare case-insensitively.

import Papa from 'papaparse';
import { msg, said } from '../i18n-msg.ts';
import { ImportError } from './import-result.ts';

export type CsvRow = Record<string, string>;

export interface CsvRead {
  header: string[];
  rows: Array<{ row: CsvRow; line: number }>;
  /** Rows that could not be read, by the line of the file they start on. */
  bad: Array<{ line: number; reason: string }>;
  delimiter: string;
}

const DELIMITERS = [',', ';', '\t', '|'];

/** The separator of a header line: the candidate that splits it into the most columns. */
export function delimiterOf(headerLine: string): string {
  let best = ',';
  let most = 0;
  for (const d of DELIMITERS) {
    const n = headerLine.split(d).length;
    if (n > most) {
      most = n;
      best = d;
    }
  }
  return best;
}

/** Where each line starts (offsets), to name a row by its line in the file. */
function lineStarts(text: string): Uint32Array {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return Uint32Array.from(starts);
}

function lineAt(starts: Uint32Array, offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

export function readCsv(input: string): CsvRead {
  const text = input.replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = delimiterOf(firstLine);
  const starts = lineStarts(text);
  let header: string[] | null = null;
  const rows: CsvRead['rows'] = [];
  const bad: CsvRead['bad'] = [];
  let base = 0;
  while (base < text.length) {
    let restartAt = -1;
    let rowStart = base;
    const chunk = text.slice(base);
    Papa.parse<string[]>(chunk, {
      delimiter,
      skipEmptyLines: 'greedy',
      step(result, parser) {
        // Blank lines before the row are not part of it.
        let start = rowStart;
        while (text[start] === '\n' || text[start] === '\r') start++;
        const end = base + result.meta.cursor;
        rowStart = end;
        const line = lineAt(starts, start);
        const values = result.data;
        if (result.errors.some((e) => e.type === 'Quotes')) {
          bad.push({ line, reason: msg('a quote is opened and never closed') });
          // Go on from the line after the one the broken row starts on.
          const next = text.indexOf('\n', start);
          restartAt = next === -1 ? text.length : next + 1;
          parser.abort();
          return;
        }
        if (!header) {
          header = values.map((h) => h.trim().toLowerCase());
          return;
        }
        const extra = values.slice(header.length);
        if (values.length < header.length || extra.some((v) => v.trim() !== '')) {
          bad.push({
            line,
            reason: said('it has {values} values where the header has {columns}', {
              values: values.length,
              columns: header.length,
            }),
          });
          return;
        }
        const row: CsvRow = {};
        header.forEach((h, i) => {
          row[h] = values[i] ?? '';
        });
        rows.push({ row, line });
      },
    });
    if (restartAt === -1) break;
    base = restartAt;
  }
  if (!header) throw new ImportError('MALFORMED', msg('The CSV file has no header line.'));
  return { header, rows, bad, delimiter };
}

export const hasColumns = (header: string[], names: string[]) =>
  names.every((n) => header.includes(n));

/** Quotes every value (RFC 4180), so commas, quotes and new lines survive. */
export const writeCsv = (header: string[], rows: Array<Array<string | number | null>>) =>
  Papa.unparse({ fields: header, data: rows.map((r) => r.map((v) => v ?? '')) }, { quotes: true });
