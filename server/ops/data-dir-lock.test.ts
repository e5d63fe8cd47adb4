import { spawn } from 'node:child_process';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lockDataDir } from './data-dir-lock.ts';

// Hooks into the lock's file calls, to force the interleavings of racing starters exactly.
const hooks = vi.hoisted(
  () =>
    ({}) as {
      afterLink?: (to: string) => Promise<void>;
      beforeRead?: (path: string) => Promise<void>;
      beforeUnlink?: (path: string) => Promise<void>;
    },
);
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    link: async (from: string, to: string) => {
      await real.link(from, to);
      await hooks.afterLink?.(to);
    },
    readFile: async (...args: Parameters<typeof real.readFile>) => {
      await hooks.beforeRead?.(String(args[0]));
      return real.readFile(...args);
    },
    unlink: async (path: string) => {
      await hooks.beforeUnlink?.(path);
      return real.unlink(path);
    },
  };
});
/** Runs `fn` the first time a hook sees the lock file, never again. */
const onceOnLock = (fn: () => Promise<void>) => {
  let done = false;
  return async (path: string) => {
    if (done || !path.endsWith('cofre.lock')) return;
    done = true;
    await fn();
  };
};
const settle = <T>(p: Promise<T>) => Promise.allSettled([p]).then(([r]) => r);

let dir: string;
afterEach(async () => {
  for (const k of Object.keys(hooks)) delete hooks[k as keyof typeof hooks];
  await rm(dir, { recursive: true, force: true });
});
const fresh = async () => {
  dir = await mkdtemp(join(tmpdir(), 'cofre-lock-'));
  return dir;
};
/** A lock a crashed server left: its pid (and the socket it named, if any), no one listening. */
const staleLock = (pid: number, socket?: string) =>
  writeFile(
    join(dir, 'cofre.lock'),
    JSON.stringify({
      pid,
      command: 'serve',
      since: '2026-01-01T00:00:00.000Z',
      nonce: 'old',
      ...(socket === undefined ? {} : { socket }),
    }),
  );

describe('lockDataDir', () => {
  it('should refuse a second owner while the first runs, and let one in after release', async () => {
    await fresh();
    const release = await lockDataDir(dir, 'serve');
    await expect(lockDataDir(dir, 'backup')).rejects.toThrow(/in use by a running Cofre serve/);
    await release();
    const again = await lockDataDir(dir, 'backup');
    await again();
  });

  it('should take over a crashed owner’s lock even when its pid now belongs to a live process', async () => {
    await fresh();
    // pid 1 is always alive: the pid alone would say the owner still runs.
    await staleLock(1);
    const release = await lockDataDir(dir, 'serve');
    expect(JSON.parse(await readFile(join(dir, 'cofre.lock'), 'utf8')).pid).toBe(process.pid);
    await release();
  });

  it('should answer probes from the moment its lock can be seen', async () => {
    await fresh();
    // A starter that reads the lock the instant it is linked must find its owner alive (an
    // owner that began listening only after the link was judged dead and had its lock removed).
    let second: PromiseSettledResult<() => Promise<void>> | undefined;
    hooks.afterLink = onceOnLock(async () => {
      second = await settle(lockDataDir(dir, 'backup'));
    });
    const first = await lockDataDir(dir, 'serve');
    expect(second?.status).toBe('rejected');
    expect(String((second as PromiseRejectedResult).reason)).toMatch(
      /in use by a running Cofre serve/,
    );
    await first();
  });

  it('should never remove a lock it did not read, when the stale one vanished meanwhile', async () => {
    await fresh();
    await staleLock(1);
    // Another starter removes the stale lock between our failed link and our read; then, at the
    // moment we could remove "the missing lock", a third starter links its own.
    hooks.beforeRead = onceOnLock(() => rm(join(dir, 'cofre.lock')));
    let third: PromiseSettledResult<() => Promise<void>> | undefined;
    hooks.beforeUnlink = onceOnLock(async () => {
      third = await settle(lockDataDir(dir, 'backup'));
    });
    const ours = await settle(lockDataDir(dir, 'serve'));
    third ??= await settle(lockDataDir(dir, 'backup'));
    const won = [ours, third].filter((t) => t.status === 'fulfilled');
    expect(won).toHaveLength(1);
    await (won[0] as PromiseFulfilledResult<() => Promise<void>>).value();
  });

  it('should respect a running older server that listens on the shared socket', async () => {
    await fresh();
    const older = createServer((c) => c.destroy());
    await new Promise<void>((r) => older.listen(join(dir, 'cofre.sock'), r));
    const { socket: _, ...legacy } = {
      pid: 1,
      command: 'serve',
      since: 'then',
      nonce: 'o',
      socket: 0,
    };
    await writeFile(join(dir, 'cofre.lock'), JSON.stringify(legacy));
    await expect(lockDataDir(dir, 'backup')).rejects.toThrow(/in use/);
    await new Promise((r) => older.close(r));
    const release = await lockDataDir(dir, 'backup'); // nobody listens now: stale
    await release();
  });

  it('should remove a crashed owner’s own socket file with its lock', async () => {
    await fresh();
    await staleLock(1, 'cofre.0123456789ab.sock');
    await writeFile(join(dir, 'cofre.0123456789ab.sock'), ''); // what a crash leaves: a socket file
    const release = await lockDataDir(dir, 'serve');
    await expect(access(join(dir, 'cofre.0123456789ab.sock'))).rejects.toThrow();
    const mine = JSON.parse(await readFile(join(dir, 'cofre.lock'), 'utf8'));
    await expect(access(join(dir, mine.socket))).resolves.toBeUndefined();
    await release();
    await expect(access(join(dir, mine.socket))).rejects.toThrow();
    await expect(access(join(dir, 'cofre.lock'))).rejects.toThrow();
  });

  it('should remove nothing outside the directory when a lock names a socket elsewhere', async () => {
    await fresh();
    const outside = join(dir, '..', `${dir.split('/').pop()}-outside.sock`);
    await writeFile(outside, 'keep');
    await staleLock(1, `../${outside.split('/').pop()}`);
    // Not a socket name this code gives: probed like an older lock's (nobody answers: stale),
    // taken over, and the file it names is left alone.
    const release = await lockDataDir(dir, 'backup');
    expect(await readFile(outside, 'utf8')).toBe('keep');
    await release();
    await rm(outside);
  });

  it('should let exactly one of many starters take a stale lock at once', async () => {
    await fresh();
    await staleLock(1);
    const tries = await Promise.allSettled(
      Array.from({ length: 12 }, () => lockDataDir(dir, 'serve')),
    );
    const won = tries.filter((t) => t.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const t of tries)
      if (t.status === 'rejected') expect(String(t.reason)).toMatch(/in use|could not lock/);
    await (won[0] as PromiseFulfilledResult<() => Promise<void>>).value();
  });

  it('should let exactly one of several processes starting together after a crash take it', async () => {
    await fresh();
    await staleLock(1);
    // The winner holds the lock until every process has said how it went (its stdin closes):
    // however staggered their start on a busy machine, a late one meets a held lock.
    const script = `
      const { lockDataDir } = await import(${JSON.stringify(new URL('./data-dir-lock.ts', import.meta.url).pathname)});
      try { const r = await lockDataDir(process.argv[1], 'serve'); process.stdout.write('won');
        process.stdin.resume(); await new Promise((s) => process.stdin.on('end', s)); await r(); }
      catch (e) { process.stdout.write('lost'); }`;
    const children = Array.from({ length: 4 }, () =>
      spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dir], {
        stdio: ['pipe', 'pipe', 'inherit'],
      }),
    );
    const outcomes = await Promise.all(
      children.map(
        (child) =>
          new Promise<string>((resolve) => {
            let out = '';
            child.stdout.on('data', (c) => {
              out += c;
              if (out === 'won' || out === 'lost') resolve(out);
            });
            child.on('exit', () => resolve(out));
          }),
      ),
    );
    const exited = children.map(
      (c) => new Promise((r) => (c.exitCode === null ? c.on('exit', r) : r(null))),
    );
    for (const c of children) c.stdin.end();
    await Promise.all(exited);
    expect(outcomes.filter((o) => o === 'won')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'lost')).toHaveLength(3);
  }, 120_000);
});
