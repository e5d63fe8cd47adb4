// Prints a results file written by `npm run bench` as the Markdown table BENCHMARKS.md holds.
//   npx tsx test/bench/print-results.ts [bench/results.json]
import { readFile } from 'node:fs/promises';
import { endBench } from './end-bench.ts';
import { type FoldedRow, formatTable } from './report.ts';

const file = process.argv[2] ?? 'bench/results.json';
const results = JSON.parse(await readFile(file, 'utf8')) as {
  mode: string;
  runs: number;
  at: string;
  seconds: number;
  machine: Record<string, unknown>;
  rows: FoldedRow[];
};
process.stdout.write(
  `${results.mode} mode, ${results.runs} run(s), ${results.at}, ${results.seconds} s; ${JSON.stringify(results.machine)}\n\n${formatTable(results.rows)}\n`,
);
endBench();
