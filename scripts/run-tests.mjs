// `npm test`'s Vitest part: the browser tests (one file at a time: each drives Chromium and its
// own server) and everything else, as two Vitest runs side by side. In one run Vitest puts a
// project limited to one worker in a group of its own after the others, so the browser files
// ran alone at the end while the second core idled (~14 of CI's ~26 minutes).
// Each run writes its per-project counts (test/helpers/project-reporter.ts); when
// COFRE_TEST_REPORT names a file, they are merged into it for scripts/check-test-report.mjs.
// Arguments are passed to both runs (a file filter, `-t`): a run none of whose files match
// passes (`--passWithNoTests`).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'cofre-tests-'));
const extra = process.argv.slice(2);
const runs = [
  { name: 'e2e', args: ['--project', 'e2e'] },
  {
    name: 'rest',
    args: ['--project', 'unit', '--project', 'pglite', '--project', 'postgres'],
    // One worker (vitest.config.ts reads it): with the browser run beside it, two files at a
    // time as before.
    env: { COFRE_VITEST_WORKERS: '1' },
  },
];

function run({ name, args, env = {} }) {
  const report = join(dir, `${name}.json`);
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['node_modules/vitest/vitest.mjs', 'run', '--passWithNoTests', ...args, ...extra],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, ...env, COFRE_TEST_REPORT: report },
      },
    );
    // Whole lines, each marked with its run: the two outputs interleave.
    for (const [from, to] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ]) {
      let rest = '';
      from.setEncoding('utf8');
      from.on('data', (chunk) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) to.write(`[${name}] ${line}\n`);
      });
      from.on('end', () => rest && to.write(`[${name}] ${rest}\n`));
    }
    child.on('close', (code, signal) => {
      let counts = {};
      try {
        counts = JSON.parse(readFileSync(report, 'utf8'));
      } catch {
        // No report: the run did not get to its end (the check below fails on missing counts).
      }
      resolve({ name, ok: code === 0, code: code ?? signal, counts });
    });
  });
}

const results = await Promise.all(runs.map(run));
rmSync(dir, { recursive: true, force: true });
const merged = Object.assign({}, ...results.map((r) => r.counts));
if (process.env.COFRE_TEST_REPORT)
  writeFileSync(process.env.COFRE_TEST_REPORT, JSON.stringify(merged, null, 2));
for (const r of results) if (!r.ok) console.error(`tests: the ${r.name} run failed (${r.code})`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
