import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockDataDir } from './data-dir-lock.ts';

let dir: string;
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});
const fresh = async () => {
  dir = await mkdtemp(join(tmpdir(), 'cofre-lock-'));
  return dir;
};
/** A lock a crashed server left: its pid, no one listening. */
const staleLock = (pid: number) =>
  writeFile(
    join(dir, 'cofre.lock'),
    JSON.stringify({ pid, command: 'serve', since: '2026-01-01T00:00:00.000Z', nonce: 'old' }),
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
