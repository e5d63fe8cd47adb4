// `npm run bench -- --smoke` (the quick mode's smallest case) end to end: every section runs
// against the real server, both databases and Chromium, and writes a complete results file.
// A smoke test only: no figure is compared with anything (speed belongs to `npm run bench`).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { FoldedRow } from '../bench/report.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = await mkdtemp(join(tmpdir(), 'cofre-bench-smoke-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('npm run bench -- --smoke', () => {
  it('should measure every section beside its baselines and write bench results', async () => {
    const out = join(dir, 'results.json');
    await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'test/bench/run.ts', '--smoke', '--out', out],
      { cwd: root, env: { ...process.env, CI: 'true' }, maxBuffer: 16 * 1024 * 1024 },
    );
    const results = JSON.parse(await readFile(out, 'utf8')) as {
      mode: string;
      machine: { postgres: boolean };
      rows: FoldedRow[];
    };
    expect(results.mode).toBe('smoke');
    if (process.env.CI) expect(results.machine.postgres).toBe(true);
    const keys = results.rows.map((r) => r.key);
    const dbs = results.machine.postgres ? ['postgres', 'pglite'] : ['pglite'];
    for (const db of dbs) {
      for (const k of [
        'push/1-item-rate',
        'push/1-item-p99',
        'push/100-item-rate',
        'pull/rate',
        'pull/page-p99',
        'propagation/pair-p50',
        'propagation/fleet-p99',
        'memory/server-idle',
        'memory/server-load',
        'backup/backup/',
        'backup/file/',
        'backup/verify/',
        'backup/restore/',
      ])
        expect(keys).toContain(`${k}${k.endsWith('/') ? '' : '/'}${db}`);
    }
    for (const k of [
      'kdf/node',
      'kdf/chromium',
      'extension/initial-sync/1000',
      'extension/unlock/1000',
      'extension/popup-warm/1000',
      'extension/popup-cold/1000',
      'extension/keystroke/1000',
      'extension/scroll-fps/1000',
      'extension/scroll-frame-p95/1000',
      'memory/worker-heap/1000',
      'peer/initial-sync/1000',
      'peer/edit-round-trip/1000',
      'peer/edit-round-trip-quiet/1000',
      'import/Bitwarden JSON/1000',
      'import/LastPass CSV/1000',
      'import/CXF/1000',
      'import/1Password 1PUX (zip)/1000',
      'passkeys/get-to-chooser',
      'passkeys/choice-to-assertion',
      'passkeys/menu-to-assertion',
    ])
      expect(keys).toContain(k);
    for (const row of results.rows) {
      expect(Number.isFinite(row.value) && row.value > 0, row.key).toBe(true);
      if (row.baseline) expect(row.baseline.value > 0, row.key).toBe(true);
      if (row.target && row.baseline) expect(typeof row.met, row.key).toBe('boolean');
    }
    // Every propagation run delivered every write to every other device.
    for (const row of results.rows.filter((r) => r.key.startsWith('propagation/') && r.note)) {
      const [seen, expected] = /(\d+)\/(\d+) deliveries/.exec(row.note!)!.slice(1).map(Number);
      expect(seen, row.key).toBe(expected);
    }
  }, 600_000);
});
