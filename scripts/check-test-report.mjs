// Reads the per-project counts written by test/helpers/project-reporter.ts, prints the plain
// closing line, and fails when a required project ran no test or any test failed. The failed
// tests are named last, with their error's first line: a long log is read from its end.
import { readFileSync } from 'node:fs';

const required = ['unit', 'pglite', 'postgres', 'e2e'];
let counts = {};
try {
  counts = JSON.parse(readFileSync(process.argv[2], 'utf8'));
} catch {
  console.error('ci: no test report was written: the tests did not run');
  process.exit(1);
}
let ok = true;
for (const name of required) {
  const c = counts[name] ?? { passed: 0, failed: 0, skipped: 0 };
  process.stdout.write(
    `ci: ${name}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped\n`,
  );
  if (c.passed === 0) {
    console.error(`ci: the ${name} tests did not run`);
    ok = false;
  }
}
const total = Object.values(counts).reduce(
  (t, c) => ({
    passed: t.passed + c.passed,
    failed: t.failed + c.failed,
    skipped: t.skipped + c.skipped,
  }),
  { passed: 0, failed: 0, skipped: 0 },
);
if (total.failed > 0) ok = false;
for (const [name, c] of Object.entries(counts))
  for (const f of c.failures ?? [])
    process.stdout.write(`ci: failed: ${name} ${f.test}\n    ${f.error}\n`);
process.stdout.write(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`);
process.exit(ok ? 0 : 1);
