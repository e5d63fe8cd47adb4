// One process at a time in a PGlite data directory: PGlite has no locking of its own, and two
// processes writing one directory corrupt it. The lock file names the owner's pid; a lock whose
// process is gone is stale and taken over.
import { rmSync } from 'node:fs';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { OpsError } from './tables.ts';

const LOCK_FILE = 'cofre.lock';

interface Owner {
  pid: number;
  command: string;
  since: string;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Takes the data directory for `command`; resolves with the release function. */
export async function lockDataDir(dir: string, command: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  await mkdir(dir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      const owner: Owner = { pid: process.pid, command, since: new Date().toISOString() };
      await handle.writeFile(JSON.stringify(owner));
      await handle.close();
      let released = false;
      // A process that exits without its release (an uncaught error) still leaves no lock.
      const releaseSync = () => {
        if (!released) rmSync(path, { force: true });
        released = true;
      };
      process.once('exit', releaseSync);
      return async () => {
        process.off('exit', releaseSync);
        if (!released) await rm(path, { force: true });
        released = true;
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = await readOwner(path);
      if (owner && owner.pid !== process.pid && alive(owner.pid)) {
        throw new OpsError(
          'DATA_DIR_IN_USE',
          `the data directory ${dir} is in use by a running Cofre ${owner.command} (pid ${owner.pid}, since ${owner.since}). PGlite allows one process per data directory: stop that process first.`,
        );
      }
      await rm(path, { force: true });
    }
  }
  throw new OpsError('DATA_DIR_IN_USE', `could not lock the data directory ${dir}.`);
}

async function readOwner(path: string): Promise<Owner | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Owner;
  } catch {
    return null;
  }
}
