// Counts test results per vitest project and, when COFRE_TEST_REPORT names a file, writes them
// there, so CI can fail when the real-Postgres or browser tests did not run.
import { writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

type Counts = Record<string, { passed: number; failed: number; skipped: number }>;

export default class ProjectReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const counts: Counts = {};
    for (const module of testModules) {
      counts[module.project.name] ??= { passed: 0, failed: 0, skipped: 0 };
      const c = counts[module.project.name]!;
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) c.failed++;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') c.passed++;
        else if (state === 'failed') c.failed++;
        else c.skipped++;
      }
    }
    // Where the run's time goes: the slowest files, to keep CI well inside its budget.
    const slowest = testModules
      .map((m) => ({
        name: `${m.project.name} ${m.moduleId.replace(`${process.cwd()}/`, '')}`,
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
