// CSV files as rows of named columns (Papa Parse), with the header checked against what a
// format needs. Column names compare case-insensitively.
import Papa from 'papaparse';
import { ImportError } from './import-result.ts';

export type CsvRow = Record<string, string>;

export function readCsv(text: string): { header: string[]; rows: CsvRow[] } {
  const parsed = Papa.parse<CsvRow>(text.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (h) => h.trim().toLowerCase(),
  });
  const fatal = parsed.errors.find((e) => e.type === 'Quotes' || e.type === 'Delimiter');
  if (fatal)
    throw new ImportError('MALFORMED', `The CSV file is malformed (row ${fatal.row ?? 0}).`);
  return { header: parsed.meta.fields ?? [], rows: parsed.data };
}

export const hasColumns = (header: string[], names: string[]) =>
  names.every((n) => header.includes(n));

/** Quotes every value (RFC 4180), so commas, quotes and new lines survive. */
export const writeCsv = (header: string[], rows: Array<Array<string | number | null>>) =>
  Papa.unparse({ fields: header, data: rows.map((r) => r.map((v) => v ?? '')) }, { quotes: true });
