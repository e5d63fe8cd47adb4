// Once per run: a migrated PGlite data directory that each test file loads (~0.5 s) instead of
// running initdb (~3 s), and a check that the Postgres tests have a server to talk to.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import type { TestProject } from 'vitest/node';
import { openPglite } from '../../server/db/client.ts';

export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.COFRE_TEST_DB === 'postgres') {
    // Fail, never skip: CI must know when the real-Postgres tests did not run.
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect().catch((err: Error) => {
      throw new Error(`Postgres tests need ${TEST_DATABASE_URL}: ${err.message}`);
    });
    await client.end();
    project.provide('pgliteTemplate', '');
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'cofre-pglite-'));
  const database = await openPglite({ dataDir: 'memory://', logger: pino({ level: 'silent' }) });
  await database.migrate();
  // biome-ignore lint/suspicious/noExplicitAny: the raw PGlite client behind drizzle.
  const dump: Blob = await (database.db as any).$client.dumpDataDir('none');
  const file = join(dir, 'template.tar');
  await writeFile(file, new Uint8Array(await dump.arrayBuffer()));
  await database.close();
  project.provide('pgliteTemplate', file);
  return () => rm(dir, { recursive: true, force: true });
}
