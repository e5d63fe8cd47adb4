// One process at a time in a PGlite data directory: PGlite has no locking of its own, and two
// processes writing one directory corrupt it.
//
//   the lock file   cofre.lock, made whole and at once: written beside, then link(2)ed into
//                   place (fails if it exists), so no one ever reads half a lock
//   alive?          the owner listens on a Unix socket in the directory (cofre.sock); a probe
//                   that connects means a live owner. A crashed owner's socket refuses, whatever
//                   process now has its pid (a pid alone said "alive" for an unrelated process
//                   that reused it, and blocked every start). Where the socket path would be too
//                   long for the platform, the pid is all there is to go by.
//   a stale lock    removed under a takeover mutex (mkdir is atomic), and only if it is still
//                   the very lock judged stale — two servers starting together after a crash
//                   each read-deleted-created before, and both ran.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { link, mkdir, readFile, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { OpsError } from './tables.ts';

const LOCK_FILE = 'cofre.lock';
const SOCKET_FILE = 'cofre.sock';
const TAKEOVER_DIR = 'cofre.lock.takeover';
/** Unix socket paths longer than this do not bind on Linux (108 with the NUL) or macOS (104). */
const MAX_SOCKET_PATH = 100;
/** A takeover mutex older than this was left by a process that died holding it. */
const TAKEOVER_STALE_MS = 10_000;

interface Owner {
  pid: number;
  command: string;
  since: string;
  nonce: string;
}

const pidAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const socketPathOf = (dir: string) => {
  const p = join(dir, SOCKET_FILE);
  return process.platform !== 'win32' && Buffer.byteLength(p) <= MAX_SOCKET_PATH ? p : null;
};

/** Does a live process hold this lock? */
function ownerAlive(dir: string, owner: Owner): Promise<boolean> {
  const path = socketPathOf(dir);
  if (!path) return Promise.resolve(pidAlive(owner.pid));
  return new Promise((resolve) => {
    const probe = connect(path);
    const done = (alive: boolean) => {
      probe.destroy();
      resolve(alive);
    };
    probe.once('connect', () => done(true));
    probe.once('error', () => done(false)); // ECONNREFUSED, ENOENT: nobody listens
    probe.setTimeout(2_000, () => done(true)); // no answer is not proof of death
  });
}

async function readOwner(path: string): Promise<Owner | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Owner;
  } catch {
    return null;
  }
}

/** The takeover mutex: true when this call holds it. */
async function takeMutex(dir: string): Promise<boolean> {
  const m = join(dir, TAKEOVER_DIR);
  try {
    await mkdir(m);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const since = await stat(m).then(
      (s) => s.mtimeMs,
      () => Date.now(),
    );
    if (Date.now() - since > TAKEOVER_STALE_MS) await rmdir(m).catch(() => {});
    return false;
  }
}

/** Takes the data directory for `command`; resolves with the release function. */
export async function lockDataDir(dir: string, command: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  await mkdir(dir, { recursive: true });
  const owner: Owner = {
    pid: process.pid,
    command,
    since: new Date().toISOString(),
    nonce: randomBytes(12).toString('hex'),
  };
  const draft = join(dir, `${LOCK_FILE}.${owner.nonce}`);
  await writeFile(draft, JSON.stringify(owner), { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 200; attempt++) {
      try {
        await link(draft, path);
        return await hold(dir, path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const held = await readOwner(path);
      if (held && (await ownerAlive(dir, held))) {
        throw new OpsError(
          'DATA_DIR_IN_USE',
          `the data directory ${dir} is in use by a running Cofre ${held.command} (pid ${held.pid}, since ${held.since}). PGlite allows one process per data directory: stop that process first.`,
        );
      }
      // Stale (or unreadable): remove it — only that one, and one remover at a time.
      if (await takeMutex(dir)) {
        try {
          const again = await readOwner(path);
          if (again?.nonce === held?.nonce) await unlink(path).catch(() => {});
        } finally {
          await rmdir(join(dir, TAKEOVER_DIR)).catch(() => {});
        }
      } else {
        await new Promise((r) => setTimeout(r, 20 + Math.random() * 30));
      }
    }
    throw new OpsError('DATA_DIR_IN_USE', `could not lock the data directory ${dir}.`);
  } finally {
    await rm(draft, { force: true });
  }
}

/** Holds a won lock: listens for liveness probes, and releases on exit or when asked. */
async function hold(dir: string, path: string): Promise<() => Promise<void>> {
  const socketPath = socketPathOf(dir);
  let server: Server | null = null;
  if (socketPath) {
    // A socket file left by a crashed owner: ours to replace, now that we hold the lock.
    await rm(socketPath, { force: true });
    server = createServer((c) => c.destroy());
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(socketPath, () => resolve());
    });
    server.unref();
  }
  let released = false;
  // A process that exits without its release (an uncaught error) still leaves no lock.
  const releaseSync = () => {
    if (released) return;
    released = true;
    rmSync(path, { force: true });
    if (socketPath) rmSync(socketPath, { force: true });
  };
  process.once('exit', releaseSync);
  return async () => {
    process.off('exit', releaseSync);
    if (released) return;
    released = true;
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await rm(path, { force: true });
    if (socketPath) await rm(socketPath, { force: true });
  };
}
