// `npm run bench`: figures for the README, measured over HTTP against the real server.
//  - startup: time from spawning `server/main.ts` to the first 200 from /readyz, on a new and
//    on an existing PGlite data directory and on Postgres, and the idle RSS after start;
//  - sync: push and pull throughput for 1 and 16 concurrent accounts, on PGlite and Postgres.
// Postgres is used when TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
// answers. Each figure is one run: read them as ±25 %.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { openDatabase, openPglite } from '../../server/db/client.ts';
import { randomBytes, utf8 } from '../../shared/crypto/bytes.ts';
import { deriveMasterKey } from '../../shared/crypto/derive-keys.ts';
import { importAesKey } from '../../shared/crypto/envelope.ts';
import { DEFAULT_KDF } from '../../shared/crypto/kdf-policy.ts';
import { decryptRecord, encryptRecord } from '../../shared/crypto/record-cipher.ts';
import { createPostgresDatabase } from '../helpers/test-db.ts';
import { fakeCt, fakeRegistration, makeClient, startTestServer } from '../helpers/test-server.ts';
import { endBench } from './end-bench.ts';

const out = (line: string) => process.stdout.write(`${line}\n`);
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

async function rssOf(pid: number) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** Spawns the server, returns ms to the first /readyz 200 and the RSS 3 s later. */
async function startup(env: Record<string, string>) {
  const t0 = performance.now();
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let text = '';
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout.on('data', (c: Buffer) => {
      text += c.toString();
      const m = /listening on (\S+)/.exec(text);
      if (m) resolve(m[1]!);
    });
    proc.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  while (
    (await fetch(`${url}/readyz`).then(
      (r) => r.status,
      () => 0,
    )) !== 200
  ) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const ms = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 3_000));
  const rss = await rssOf(proc.pid!);
  proc.kill('SIGTERM');
  await new Promise((r) => proc.on('exit', r));
  return { ms, rss };
}

async function syncBench(label: string, dbUrl?: string) {
  const silent = pino({ level: 'silent' });
  const database = dbUrl
    ? await openDatabase({
        databaseUrl: dbUrl,
        dataDir: '',
        poolMax: 10,
        statementTimeoutMs: 15_000,
        logger: silent,
      })
    : await openPglite({ dataDir: 'memory://', logger: silent });
  await database.migrate();
  const ts = await startTestServer({}, { database, drop: () => database.close() });
  const users = await Promise.all(
    Array.from({ length: 16 }, async () => {
      const reg = fakeRegistration();
      const { token } = await makeClient(ts.url).account.register.mutate(reg);
      return { api: makeClient(ts.url, token), deviceId: reg.device.id };
    }),
  );
  const run = async (accounts: number, itemsPerPush: number, pushesPerAccount: number) => {
    const t0 = performance.now();
    await Promise.all(
      users.slice(0, accounts).map(async (u) => {
        for (let i = 0; i < pushesPerAccount; i++) {
          await u.api.sync.push.mutate({
            deviceId: u.deviceId,
            items: Array.from({ length: itemsPerPush }, () => ({
              id: randomUUID(),
              baseVersion: 0,
              deleted: false,
              ct: fakeCt(300),
            })),
          });
        }
      }),
    );
    const s = (performance.now() - t0) / 1000;
    const pushes = accounts * pushesPerAccount;
    out(
      `${label}: ${accounts} account(s), ${itemsPerPush}-item pushes: ${(pushes / s).toFixed(0)} pushes/s, ${((pushes * itemsPerPush) / s).toFixed(0)} items/s`,
    );
  };
  await run(1, 1, 300);
  await run(16, 1, 50);
  await run(1, 100, 40);
  await run(16, 100, 10);
  // Pull everything one account has (300 + 4,000 records) in pages of 1,000.
  const t0 = performance.now();
  let cursor = 0;
  let rows = 0;
  for (;;) {
    const page = await users[0]!.api.sync.pull.query({ cursor, limit: 1000 });
    rows += page.items.length;
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  out(
    `${label}: pull ${rows} records in pages of 1000: ${(rows / ((performance.now() - t0) / 1000)).toFixed(0)} records/s`,
  );
  await ts.close();
}

async function postgresAvailable(url: string) {
  const c = new pg.Client({ connectionString: url });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

const pgUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const hasPg = await postgresAvailable(pgUrl);

out(`# Cofre bench — node ${process.version}, ${new Date().toISOString()}`);

// Unlock crypto: what opening a vault costs on this machine.
{
  const salt = randomBytes(16);
  const time = async (fn: () => Promise<unknown>, n: number) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await fn();
    return (performance.now() - t0) / n;
  };
  const kdfDefault = await time(
    () => deriveMasterKey('correct horse battery staple', salt, DEFAULT_KDF),
    3,
  );
  const kdfFloor = await time(
    () =>
      deriveMasterKey('correct horse battery staple', salt, {
        alg: 'argon2id',
        m: 19_456,
        t: 2,
        p: 1,
      }),
    3,
  );
  out(
    `crypto: Argon2id m=64 MiB t=3 p=4 (default): ${kdfDefault.toFixed(0)} ms; m=19 MiB t=2 p=1 (floor): ${kdfFloor.toFixed(0)} ms`,
  );
  const accountKey = await importAesKey(randomBytes(32));
  const userId = randomUUID();
  const body = utf8(
    JSON.stringify({
      type: 'login',
      name: 'Example bank',
      username: 'ana@example.com',
      password: 'correct horse battery staple',
      uris: [{ uri: 'https://bank.example.com/login', match: 'domain' }],
      notes: 'Security questions: first pet, street you grew up on.',
      createdAt: '2026-11-22T00:00:00.000Z',
      updatedAt: '2026-11-22T00:00:00.000Z',
    }),
  );
  const n = 10_000;
  const ids = Array.from({ length: n }, () => randomUUID());
  let t0 = performance.now();
  const cts: Uint8Array[] = [];
  for (const id of ids)
    cts.push(await encryptRecord(accountKey, { userId, recordId: id, version: 1 }, body));
  const enc = n / ((performance.now() - t0) / 1000);
  t0 = performance.now();
  for (let i = 0; i < n; i++)
    await decryptRecord(accountKey, { userId, recordId: ids[i]!, version: 1 }, cts[i]!);
  const dec = n / ((performance.now() - t0) / 1000);
  t0 = performance.now();
  await Promise.all(
    ids.map((id, i) => decryptRecord(accountKey, { userId, recordId: id, version: 1 }, cts[i]!)),
  );
  const decParallel = n / ((performance.now() - t0) / 1000);
  out(
    `crypto: ${n} records of ${body.byteLength} B: encrypt ${enc.toFixed(0)} items/s, decrypt ${dec.toFixed(0)} items/s one by one, ${decParallel.toFixed(0)} items/s all at once`,
  );
}
const dir = await mkdtemp(join(tmpdir(), 'cofre-bench-'));
const fresh = await startup({ DATA_DIR: dir });
out(
  `startup: PGlite, new data dir: ready in ${fresh.ms.toFixed(0)} ms, idle RSS ${mib(fresh.rss)}`,
);
const again = await startup({ DATA_DIR: dir });
out(
  `startup: PGlite, existing data dir: ready in ${again.ms.toFixed(0)} ms, idle RSS ${mib(again.rss)}`,
);
await rm(dir, { recursive: true, force: true });
if (hasPg) {
  const db = await createPostgresDatabase();
  const first = await startup({ DATABASE_URL: db.url });
  out(
    `startup: Postgres, empty database: ready in ${first.ms.toFixed(0)} ms, idle RSS ${mib(first.rss)}`,
  );
  const second = await startup({ DATABASE_URL: db.url });
  out(
    `startup: Postgres, migrated database: ready in ${second.ms.toFixed(0)} ms, idle RSS ${mib(second.rss)}`,
  );
  await db.drop();
}
await syncBench('sync on PGlite');
if (hasPg) {
  const db = await createPostgresDatabase();
  await syncBench('sync on Postgres', db.url);
  await db.drop();
} else {
  out('Postgres not reachable: its figures were skipped');
}
endBench();
