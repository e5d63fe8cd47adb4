// Runs the real server as its own process, from the bundle `npm run server` runs
// (.output/server/main.mjs, built by `npm test` before the tests, or here if it is missing), as
// a self-hoster would, and waits until it prints the URL it listens on.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bundle = join(root, '.output/server/main.mjs');

/** The server's bundle, built first if this checkout has none (`npm run build:server`). */
function serverEntry() {
  if (!existsSync(bundle))
    execFileSync(process.execPath, ['scripts/build-server.mjs'], { cwd: root, stdio: 'inherit' });
  return bundle;
}

export interface ServerProcess {
  url: string;
  proc: ChildProcess;
  output(): string;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Every server a test started and that still runs: ended when the test process exits, even
 * after a failed or timed-out test (one such orphan once ran for hours). */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of running) p.kill('SIGKILL');
});

/**
 * Starts the server and resolves once it listens. No wall-clock limit of its own (a busy
 * machine starts it slowly): it fails when the process exits, and the test's own timeout
 * bounds it.
 */
export function spawnServer(
  env: Record<string, string>,
  args: string[] = [],
): Promise<ServerProcess> {
  // `npm run bench -- --profile DIR` profiles the server too (written when it stops).
  const profile = process.env.COFRE_SERVER_CPU_PROF;
  const node = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
  const proc = spawn(process.execPath, [...node, serverEntry(), ...args], {
    cwd: root,
    // Tests and benches sign many accounts up from one address (the per-IP limits are for
    // real clients).
    env: {
      ...process.env,
      PORT: '0',
      LOG_LEVEL: 'info',
      SIGNUPS: 'open',
      SIGNUPS_PER_IP: '1000000',
      PASSKEY_CHALLENGES_PER_IP: '1000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(proc);
  let out = '';
  const exited = new Promise<number | null>((resolve) =>
    proc.on('exit', (code) => {
      running.delete(proc);
      resolve(code);
    }),
  );
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        resolve({
          url: match[1]!,
          proc,
          output: () => out,
          async stop(signal = 'SIGTERM') {
            if (proc.exitCode === null) proc.kill(signal);
            return exited;
          },
        });
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
}

/**
 * Runs a one-shot command of the server CLI (`npm run server -- <args>`) to its end and resolves
 * with its exit code and output; `input` is written to its stdin. Ended with the test process
 * like the servers.
 */
export function runCli(args: string[], env: Record<string, string>, input?: string) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const proc = spawn(process.execPath, [serverEntry(), ...args], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    running.add(proc);
    if (input !== undefined) proc.stdin!.end(input);
    let out = '';
    let err = '';
    proc.stdout!.on('data', (c: Buffer) => (out += c));
    proc.stderr!.on('data', (c: Buffer) => (err += c));
    proc.on('exit', (code) => {
      running.delete(proc);
      resolve({ code, out, err });
    });
  });
}
