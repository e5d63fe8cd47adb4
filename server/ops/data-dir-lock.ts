// One process at a time in a PGlite data directory: PGlite has no locking of its own, and two
// processes writing one directory corrupt it.
//
//   the lock file   cofre.lock, made whole and at once: written beside, then link(2)ed into
//                   place (fails if it exists), so no one ever reads half a lock
//   alive?          the owner listens on a Unix socket of its own in the directory, named in
//                   its lock, and it listens before the lock exists: a lock is never seen
//                   without a live socket while its owner runs (a shared socket bound after the
//                   lock let a starter judge a just-won lock stale and remove it). A probe that
//                   connects means a live owner; a crashed owner's socket refuses, whatever
//                   process now has its pid (a pid alone said "alive" for an unrelated process
//                   that reused it, and blocked every start). Where the socket path would be too
//                   long for the platform, the pid is all there is to go by.
//   a stale lock    removed under a takeover mutex (mkdir is atomic), and only if its bytes are
//                   still the very ones judged stale. A missing lock is never "removed": the next
//                   link decides (removing on "missing, still missing" deleted a lock linked
//                   between the read and the unlink).
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { link, mkdir, readFile, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { OpsError } from './tables.ts';

const LOCK_FILE = 'cofre.lock';
/** The socket of locks written before each owner had its own (and the fallback probe for them). */
const LEGACY_SOCKET = 'cofre.sock';
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
  /**
   * The owner's socket, a file name in the directory; null where its path would be too long (go
   * by the pid); absent in locks of servers from before each owner had its own.
   */
  socket?: string | null;
}

/** A lock as read: its exact bytes (what a remover compares) and, if they parse, its owner. */
interface Held {
  raw: string;
  owner: Owner | null;
}

const pidAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Socket names this code gives (a lock is read from disk: anything else names no socket). */
const SOCKET_NAME = /^cofre(\.[0-9a-f]{12})?\.sock$/;

/** The socket path for a file name in `dir`, or null where it would not bind. */
const socketPath = (dir: string, name: string) => {
  if (!SOCKET_NAME.test(name)) return null;
  const p = join(dir, name);
  return process.platform !== 'win32' && Buffer.byteLength(p) <= MAX_SOCKET_PATH ? p : null;
};

/** Does a live process hold this lock? */
function ownerAlive(dir: string, owner: Owner): Promise<boolean> {
  // A name this code did not give is probed like an older lock's (and never removed).
  const name =
    typeof owner.socket === 'string' && SOCKET_NAME.test(owner.socket)
      ? owner.socket
      : LEGACY_SOCKET;
  const path = owner.socket === null ? null : socketPath(dir, name);
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

/** The lock as it is now; null when there is none. */
async function readHeld(path: string): Promise<Held | null> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    return { raw, owner: JSON.parse(raw) as Owner };
  } catch {
    return { raw, owner: null }; // unreadable: nobody can be proven to hold it
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

/** Listens on `path` for liveness probes (a socket file left there by a crash is replaced). */
async function listen(path: string): Promise<Server> {
  await rm(path, { force: true });
  const server = createServer((c) => c.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  server.unref();
  return server;
}

const close = (server: Server | null) =>
  new Promise<void>((r) => (server ? server.close(() => r()) : r()));

/** Takes the data directory for `command`; resolves with the release function. */
export async function lockDataDir(dir: string, command: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  await mkdir(dir, { recursive: true });
  const nonce = randomBytes(12).toString('hex');
  const socketName = `cofre.${nonce.slice(0, 12)}.sock`;
  const ownSocket = socketPath(dir, socketName);
  const owner: Owner = {
    pid: process.pid,
    command,
    since: new Date().toISOString(),
    nonce,
    socket: ownSocket ? socketName : null,
  };
  const draft = join(dir, `${LOCK_FILE}.${nonce}`);
  await writeFile(draft, JSON.stringify(owner), { mode: 0o600 });
  // Alive before the lock can be seen: a starter that reads our lock finds us answering.
  const server = ownSocket ? await listen(ownSocket) : null;
  let won = false;
  try {
    for (let attempt = 0; attempt < 200; attempt++) {
      try {
        await link(draft, path);
        won = true;
        return hold(path, server, ownSocket);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const held = await readHeld(path);
      if (!held) continue; // released (or removed as stale) meanwhile: link again
      if (held.owner && (await ownerAlive(dir, held.owner))) {
        throw new OpsError(
          'DATA_DIR_IN_USE',
          `the data directory ${dir} is in use by a running Cofre ${held.owner.command} (pid ${held.owner.pid}, since ${held.owner.since}). PGlite allows one process per data directory: stop that process first.`,
        );
      }
      // Stale (or unreadable): remove it — only that one, and one remover at a time.
      if (await takeMutex(dir)) {
        try {
          const again = await readHeld(path);
          if (again && again.raw === held.raw) {
            await unlink(path).catch(() => {});
            const stale = held.owner?.socket && socketPath(dir, held.owner.socket);
            if (stale) await rm(stale, { force: true });
          }
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
    if (!won) {
      await close(server);
      if (ownSocket) await rm(ownSocket, { force: true });
    }
  }
}

/** Holds a won lock: answers liveness probes, and releases on exit or when asked. */
function hold(path: string, server: Server | null, ownSocket: string | null): () => Promise<void> {
  let released = false;
  // A process that exits without its release (an uncaught error) still leaves no lock.
  const releaseSync = () => {
    if (released) return;
    released = true;
    rmSync(path, { force: true });
    if (ownSocket) rmSync(ownSocket, { force: true });
  };
  process.once('exit', releaseSync);
  return async () => {
    process.off('exit', releaseSync);
    if (released) return;
    released = true;
    await close(server);
    await rm(path, { force: true });
    if (ownSocket) await rm(ownSocket, { force: true });
  };
}
