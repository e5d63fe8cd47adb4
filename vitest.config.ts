import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The worker's modules run in Node by tests get WXT's fake extension APIs. */
const fakeBrowser = fileURLToPath(new URL('./test/helpers/fake-wxt-browser.ts', import.meta.url));

// Server integration tests run twice: on embedded PGlite and on a real Postgres. Files whose
// subject is the client, not the database, run once, on PGlite (the default deployment): the
// hostile-server file has a proxy rewrite the real server's answers and never looks at its
// storage (a database-level attack is sharing-attacks.test.ts, run on both).
const ONCE = ['test/integration/malicious-server.test.ts'];
const integration = (db: 'pglite' | 'postgres') => ({
  extends: true as const,
  test: {
    name: db,
    include: ['test/integration/**/*.test.ts'],
    exclude: db === 'postgres' ? ONCE : [],
    env: { COFRE_TEST_DB: db },
    alias: { 'wxt/browser': fakeBrowser },
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  test: {
    // Two files at a time even on two cores (Vitest's default is cores − 1): the tests mostly
    // wait on databases, server processes and the browser, and they are written to hold on a
    // busy machine. (The e2e files still run one after another among themselves.) `npm test`
    // runs the e2e files beside the rest, which then gets one worker (scripts/run-tests.mjs;
    // the projects inherit this value, a --maxWorkers flag would not reach them).
    maxWorkers: Number(process.env.COFRE_VITEST_WORKERS) || 2,
    reporters: ['default', './test/helpers/project-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'shared/**/*.test.ts',
            'server/**/*.test.ts',
            'extension/**/*.test.ts',
            'test/bench/**/*.test.ts',
          ],
          alias: { 'wxt/browser': fakeBrowser },
        },
      },
      integration('pglite'),
      integration('postgres'),
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
