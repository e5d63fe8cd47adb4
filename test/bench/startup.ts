// Startup: time from spawning `server/main.ts` to the first 200 from /readyz, on a new and an
// existing PGlite data directory and on Postgres (empty, then migrated), with the RSS 3 s later.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServer } from '../helpers/spawn-server.ts';
import { createPostgresDatabase } from '../helpers/test-db.ts';
import type { Row } from './report.ts';

async function startup(env: Record<string, string>) {
  const t0 = performance.now();
  const server = await spawnServer({ ...env, LOG_LEVEL: 'warn' });
  while (
    (await fetch(`${server.url}/readyz`).then(
      (r) => r.status,
      () => 0,
    )) !== 200
  ) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const ms = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 3_000));
  const status = await readFile(`/proc/${server.proc.pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  await server.stop();
  return { ms, rss };
}

export async function benchStartup(withPostgres: boolean): Promise<Row[]> {
  const rows: Row[] = [];
  const add = (key: string, name: string, r: { ms: number; rss: number }) =>
    rows.push(
      { key: `startup/${key}`, section: 'startup', name, unit: 'ms', value: r.ms, better: 'lower' },
      {
        key: `startup/${key}-rss`,
        section: 'startup',
        name: `${name}: RSS 3 s after`,
        unit: 'MiB',
        value: r.rss,
        better: 'lower',
      },
    );
  const dir = await mkdtemp(join(tmpdir(), 'cofre-bench-'));
  try {
    add('pglite-new', 'PGlite, new data dir → /readyz 200', await startup({ DATA_DIR: dir }));
    add(
      'pglite-existing',
      'PGlite, existing data dir → /readyz 200',
      await startup({ DATA_DIR: dir }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  if (withPostgres) {
    const db = await createPostgresDatabase();
    try {
      add(
        'postgres-empty',
        'Postgres, empty database → /readyz 200',
        await startup({ DATABASE_URL: db.url }),
      );
      add(
        'postgres-migrated',
        'Postgres, migrated → /readyz 200',
        await startup({ DATABASE_URL: db.url }),
      );
    } finally {
      await db.drop();
    }
  }
  return rows;
}
