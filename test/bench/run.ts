// `npm run bench`: every figure beside a raw baseline measured in the same run on this machine,
// with the targets of issue 6; prints a table and writes bench/results.json.
//   npm run bench                 full: 10 s phases, 1,000, 10,000 and 100,000 items, 5 tries each
//   npm run bench -- --quick      ~1.5 min: 2 s phases, 10,000 items, 3 tries
//   npm run bench -- --smoke      CI's smoke run: --quick's smallest case (1,000 items)
//   --runs N     repeat the whole suite N times; rows fold into median and min–max
//   --only kdf|startup|server|backup|sharing|import|browser|passkeys   one section (startup runs in full mode or alone);
//   --sizes 50000   the extension's vault sizes instead of the mode's;  --out FILE   another results file
//   --reps N     tries of each browser figure (unlock, popup, keystroke) instead of the mode's
//   --profile DIR   CPU profiles of the extension's phases (worker and page) into DIR, summarised,
//                   and of each server process the server section starts (DIR/server, .cpuprofile)
// Postgres rows need TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { randomBytes } from '../../shared/crypto/bytes.ts';
import { deriveMasterKey } from '../../shared/crypto/derive-keys.ts';
import { DEFAULT_KDF } from '../../shared/crypto/kdf-policy.ts';
import { benchBackup } from './backup.ts';
import { benchBrowser } from './browser.ts';
import { endBench } from './end-bench.ts';
import { benchImport } from './import.ts';
import { benchPasskeys } from './passkeys.ts';
import { fold, formatTable, median, type Row, writeResults } from './report.ts';
import { benchServer } from './server.ts';
import { benchSharing } from './sharing.ts';
import { benchStartup } from './startup.ts';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
    runs: { type: 'string', default: '1' },
    only: { type: 'string' },
    out: { type: 'string', default: 'bench/results.json' },
    sizes: { type: 'string' },
    reps: { type: 'string' },
    profile: { type: 'string' },
  },
});
const mode = args.smoke ? 'smoke' : args.quick ? 'quick' : 'full';
const plan = {
  full: {
    seconds: 10,
    sizes: [1_000, 10_000, 100_000],
    users: 64,
    peer: 10_000,
    reps: 5,
    pullRows: 20_000,
    writes: 50,
    backupUsers: 10,
    backupRecords: 10_000,
  },
  quick: {
    seconds: 2,
    sizes: [10_000],
    users: 64,
    peer: 10_000,
    reps: 3,
    pullRows: 10_000,
    writes: 20,
    backupUsers: 10,
    backupRecords: 10_000,
  },
  smoke: {
    seconds: 0.5,
    sizes: [1_000],
    // Enough for the 10-account fleet; each account costs the server an Argon2id hash.
    users: 16,
    peer: 1_000,
    reps: 1,
    pullRows: 1_000,
    writes: 5,
    backupUsers: 2,
    backupRecords: 500,
  },
}[mode];
if (args.sizes) plan.sizes = args.sizes.split(',').map(Number);
if (args.reps) plan.reps = Number(args.reps);
const log = (line: string) => process.stdout.write(`${line}\n`);

async function postgresAvailable() {
  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const c = new pg.Client({ connectionString: url });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

async function kdfNode(): Promise<Row> {
  const times = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await deriveMasterKey('correct horse battery staple', randomBytes(16), DEFAULT_KDF);
    times.push(performance.now() - t0);
  }
  return {
    key: 'kdf/node',
    section: 'kdf',
    name: `Argon2id m=${DEFAULT_KDF.m / 1024} MiB t=${DEFAULT_KDF.t} p=${DEFAULT_KDF.p} in Node (hash-wasm)`,
    note: 'deliberate cost',
    unit: 'ms',
    value: median(times),
    better: 'lower',
  };
}

const hasPg = await postgresAvailable();
// The server processes run the bundle `npm run server` runs: built from this checkout's code now.
execFileSync(process.execPath, ['scripts/build-server.mjs'], { stdio: 'inherit' });
if (args.profile) process.env.COFRE_SERVER_CPU_PROF = `${args.profile}/server`;
const only = args.only;
const runs: Row[][] = [];
const started = performance.now();
for (let run = 0; run < Number(args.runs); run++) {
  log(`# run ${run + 1} of ${args.runs} (${mode})`);
  const rows: Row[] = [];
  if (!only || only === 'kdf') rows.push(await kdfNode());
  if (only === 'startup' || (!only && mode === 'full')) rows.push(...(await benchStartup(hasPg)));
  if (!only || only === 'server') {
    log('server');
    rows.push(
      ...(await benchServer(hasPg ? ['postgres', 'pglite'] : ['pglite'], {
        seconds: plan.seconds,
        users: plan.users,
        pullRows: plan.pullRows,
        propagationWrites: plan.writes,
        log,
      })),
    );
    if (!hasPg) log('Postgres not reachable: its rows were skipped');
  }
  if (!only || only === 'backup') {
    log('backup');
    rows.push(
      ...(await benchBackup(hasPg ? ['postgres', 'pglite'] : ['pglite'], {
        users: plan.backupUsers,
        perUser: plan.backupRecords,
        log,
      })),
    );
  }
  if (!only || only === 'sharing') {
    log('sharing');
    rows.push(
      ...(await benchSharing(hasPg ? ['postgres', 'pglite'] : ['pglite'], {
        size: mode === 'smoke' ? 1_000 : 10_000,
        log,
      })),
    );
  }
  if (!only || only === 'import') {
    log('import');
    rows.push(
      ...(await benchImport({ size: mode === 'smoke' ? 1_000 : 50_000, reps: plan.reps, log })),
    );
  }
  if (!only || only === 'passkeys') {
    log('passkeys');
    rows.push(...(await benchPasskeys({ reps: plan.reps, log })));
  }
  if (!only || only === 'browser') {
    log('browser');
    rows.push(
      ...(await benchBrowser({
        sizes: plan.sizes,
        reps: plan.reps,
        peerSize: plan.peer,
        profileDir: args.profile,
        log,
      })),
    );
  }
  runs.push(rows);
}
const folded = fold(runs);
log(`\n${formatTable(folded)}`);
const missed = folded.filter((r) => r.met === false).length;
log(`\n${folded.filter((r) => r.met).length} targets met, ${missed} missed`);
await writeResults(
  args.out,
  {
    mode,
    runs: Number(args.runs),
    at: new Date().toISOString(),
    seconds: Math.round((performance.now() - started) / 1000),
    machine: {
      node: process.version,
      cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      postgres: hasPg,
    },
  },
  folded,
);
log(`written to ${args.out}`);
endBench();
