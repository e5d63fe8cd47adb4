// Throwaway Postgres clusters for tests that need their own (a streaming replica, restarts):
// made in a temporary directory on a free port with Debian's binaries, run as an unprivileged
// user (initdb refuses root), never touching the shared instance on 5432 (MACHINE-NOTES.md).
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './load-balancer.ts';

const run = promisify(execFile);
const OS_USER = 'pgtest';
const BIN = (() => {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  return `/usr/lib/postgresql/${versions[0]}/bin`;
})();

async function osUser(): Promise<{ uid: number; gid: number }> {
  const id = async () => {
    const [u, g] = await Promise.all([run('id', ['-u', OS_USER]), run('id', ['-g', OS_USER])]);
    return { uid: Number(u.stdout), gid: Number(g.stdout) };
  };
  try {
    return await id();
  } catch {
    await run('useradd', ['-m', OS_USER]);
    return id();
  }
}

/** Runs a Postgres binary as the cluster's OS user. */
const asPgUser = (bin: string, args: string[]) =>
  run('su', [OS_USER, '-s', '/bin/sh', '-c', [`${BIN}/${bin}`, ...args.map(quote)].join(' ')], {
    maxBuffer: 16 * 1024 * 1024,
  });
const quote = (a: string) => `'${a.replaceAll("'", "'\\''")}'`;

export interface Cluster {
  port: number;
  url: string;
  dir: string;
  /** Runs SQL as the superuser and returns the rows. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Stops it and removes its directory. */
  destroy(): Promise<void>;
}

async function start(dir: string): Promise<Cluster> {
  const port = await freePort();
  const data = join(dir, 'data');
  await asPgUser('pg_ctl', [
    '-D',
    data,
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    '-l',
    join(dir, 'log'),
    '-w',
    'start',
  ]);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let running = true;
  // One connection for the test's own queries (a connection per query would time them too).
  let client: Promise<pg.Client> | null = null;
  const connected = () =>
    (client ??= (async () => {
      const c = new pg.Client({ connectionString: url });
      c.on('error', () => {});
      await c.connect();
      return c;
    })());
  const cluster: Cluster = {
    port,
    url,
    dir,
    async query(text, params) {
      return (await (await connected()).query(text, params)).rows;
    },
    async stop(mode = 'fast') {
      if (!running) return;
      running = false;
      await client?.then((c) => c.end()).catch(() => {});
      client = null;
      await asPgUser('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']).catch(() => {});
    },
    async destroy() {
      await cluster.stop('immediate');
      await rm(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}

async function newDir(prefix: string) {
  const { uid, gid } = await osUser();
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chown(dir, uid, gid);
  await chmod(dir, 0o700);
  return dir;
}

/** A new primary (trust auth; wal_level replica, the default, lets a replica follow it). */
export async function startPrimary(): Promise<Cluster> {
  const dir = await newDir('cofre-pg-primary-');
  await asPgUser('initdb', ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-N']);
  return start(dir);
}

/** A streaming replica of `primary`, copied with pg_basebackup -R, read-only (hot standby). */
export async function startReplica(primary: Cluster): Promise<Cluster> {
  const dir = await newDir('cofre-pg-replica-');
  await asPgUser('pg_basebackup', [
    '-h',
    '127.0.0.1',
    '-p',
    String(primary.port),
    '-U',
    'postgres',
    '-D',
    join(dir, 'data'),
    '-R',
    '-X',
    'stream',
    // Without it the copy waits for a spread checkpoint: over a minute on an idle primary.
    '--checkpoint=fast',
  ]);
  return start(dir);
}

/** `url` with another database name. */
export function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Resolves once `replica` has replayed everything `primary` had written when this was called. */
export async function replayed(primary: Cluster, replica: Cluster): Promise<void> {
  const [current] = await primary.query<{ lsn: string }>(
    'select pg_current_wal_lsn()::text as lsn',
  );
  for (;;) {
    const [row] = await replica.query<{ done: boolean }>(
      'select pg_last_wal_replay_lsn() >= $1::pg_lsn as done',
      [current!.lsn],
    );
    if (row?.done) return;
    await new Promise((r) => setTimeout(r, 2));
  }
}
