// Import parse time (issue 15's closing figure): N items of each large format read by
// parseImport, beside the raw parse of the same bytes (JSON.parse, Papa Parse, fflate's unzip +
// JSON.parse) — what is spent on mapping and checking every item.
import { strToU8, unzipSync, zipSync } from 'fflate';
import Papa from 'papaparse';
import { toCxf } from '../../shared/transfer/cxf.ts';
import { toBitwardenJson } from '../../shared/transfer/export-items.ts';
import type { ImportedItem } from '../../shared/transfer/import-result.ts';
import { parseImport } from '../../shared/transfer/parse-import.ts';
import type { Row } from './report.ts';

const AT = '2026-01-01T00:00:00.000Z';
function items(n: number): ImportedItem[] {
  return Array.from({ length: n }, (_, i) => ({
    folder: `Folder ${i % 20}`,
    body: {
      type: 'login',
      name: `Site ${i}`,
      notes: i % 3 ? '' : `Note for site ${i}`,
      favorite: i % 50 === 0,
      folderId: null,
      tags: [],
      reprompt: false,
      createdAt: AT,
      updatedAt: AT,
      conflicts: [],
      trashedAt: null,
      editedBy: null,
      fields: i % 4 ? [] : [{ name: 'PIN', value: String(1000 + (i % 9000)), type: 'hidden' }],
      username: `user${i}@example.com`,
      password: `pass-${i}-${'x'.repeat(12)}`,
      uris: [{ uri: `https://site${i}.example.com/login`, match: 'domain' }],
      totp: i % 10 ? null : 'JBSWY3DPEHPK3PXP',
      passwordHistory: [],
    },
  }));
}

function lastPassCsv(n: number): string {
  const rows = ['url,username,password,totp,extra,name,grouping,fav'];
  for (let i = 0; i < n; i++)
    rows.push(
      `https://site${i}.example.com/login,user${i}@example.com,pass-${i},${i % 10 ? '' : 'JBSWY3DPEHPK3PXP'},"note ${i}",Site ${i},Folder ${i % 20}\\Sub,0`,
    );
  return `${rows.join('\n')}\n`;
}

async function time(fn: () => unknown | Promise<unknown>, reps: number): Promise<number> {
  const runs: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    await fn();
    runs.push(performance.now() - t);
  }
  return runs.sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
}

export async function benchImport(opts: {
  size: number;
  reps: number;
  log: (s: string) => void;
}): Promise<Row[]> {
  const { size, reps, log } = opts;
  const source = items(size);
  const cases: Array<{ name: string; input: string | Uint8Array; raw: () => unknown }> = [];
  const bw = toBitwardenJson(source);
  cases.push({ name: 'Bitwarden JSON', input: bw, raw: () => JSON.parse(bw) });
  const lp = lastPassCsv(size);
  cases.push({ name: 'LastPass CSV', input: lp, raw: () => Papa.parse(lp) });
  const cxf = toCxf(source, { email: 'bench@example.com' });
  cases.push({ name: 'CXF', input: cxf, raw: () => JSON.parse(cxf) });
  const pux = zipSync({
    'export.data': strToU8(
      JSON.stringify({
        accounts: [
          {
            attrs: { name: 'Bench' },
            vaults: [
              {
                attrs: { name: 'Personal' },
                items: source.map((s, i) => ({
                  uuid: `u${i}`,
                  favIndex: 0,
                  createdAt: 1_700_000_000,
                  updatedAt: 1_700_000_000,
                  state: 'active',
                  categoryUuid: '001',
                  details: {
                    loginFields: [
                      { value: s.body.username, designation: 'username', fieldType: 'E' },
                      { value: s.body.password, designation: 'password', fieldType: 'P' },
                    ],
                    sections: [],
                    passwordHistory: [],
                  },
                  overview: {
                    title: s.body.name,
                    url: (s.body.uris as Array<{ uri: string }>)[0]!.uri,
                  },
                })),
              },
            ],
          },
        ],
      }),
    ),
  });
  cases.push({
    name: '1Password 1PUX (zip)',
    input: pux,
    raw: () => JSON.parse(new TextDecoder().decode(unzipSync(pux)['export.data']!)),
  });
  const rows: Row[] = [];
  for (const c of cases) {
    const check = await parseImport(c.input);
    if (check.items.length !== size)
      throw new Error(
        `${c.name}: ${check.items.length} items of ${size} (${check.skipped[0]?.reason ?? ''})`,
      );
    const raw = await time(c.raw, reps);
    const ms = await time(() => parseImport(c.input), reps);
    log(
      `  import ${c.name}, ${size.toLocaleString('en')} items: ${ms.toFixed(0)} ms (raw parse ${raw.toFixed(0)} ms)`,
    );
    rows.push({
      key: `import/${c.name}/${size}`,
      section: 'import',
      name: `parse ${c.name}`,
      unit: 'ms',
      value: ms,
      better: 'lower',
      baseline: { name: 'raw parse', value: raw },
      note: `${size.toLocaleString('en')} items, ${(typeof c.input === 'string' ? c.input.length : c.input.byteLength) >> 10} KiB`,
    });
  }
  return rows;
}
