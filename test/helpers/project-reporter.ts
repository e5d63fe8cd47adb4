// Counts test results per vitest project and, when COFRE_TEST_REPORT names a file, writes them
// there, so CI can fail when the real-Postgres or browser tests did not run, and name the tests
// that failed at the end of its output (the part of a long log that is read).
import { writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

type Failure = { test: string; error: string };
type Counts = Record<
  string,
  { passed: number; failed: number; skipped: number; failures: Failure[] }
>;

const fileOf = (module: TestModule) => module.moduleId.replace(`${process.cwd()}/`, '');
// The first line of an error's message, shortened: enough to tell a timeout from an assertion.
const firstLine = (message: string | undefined) => (message ?? '').split('\n')[0]!.slice(0, 300);

export default class ProjectReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const counts: Counts = {};
    for (const module of testModules) {
      counts[module.project.name] ??= { passed: 0, failed: 0, skipped: 0, failures: [] };
      const c = counts[module.project.name]!;
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) {
        c.failed++;
        const error = module.errors()[0];
        c.failures.push({ test: fileOf(module), error: firstLine(error?.message) });
      }
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === 'passed') c.passed++;
        else if (result.state === 'failed') {
          c.failed++;
          c.failures.push({
            test: `${fileOf(module)} > ${test.fullName}`,
            error: firstLine(result.errors?.[0]?.message),
          });
        } else c.skipped++;
      }
    }
    // Where the run's time goes: the slowest files, to keep CI well inside its budget.
    const slowest = testModules
      .map((m) => ({
        name: `${m.project.name} ${fileOf(m)}`,
        ms: m.diagnostic().duration,
      }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 12);
    process.stdout.write(
      `slowest files:\n${slowest.map((f) => `  ${(f.ms / 1000).toFixed(1).padStart(6)} s  ${f.name}`).join('\n')}\n`,
    );
    const out = process.env.COFRE_TEST_REPORT;
    if (out) writeFileSync(out, JSON.stringify(counts, null, 2));
  }
}
