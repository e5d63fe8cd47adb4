// HAProxy (Debian's) in front of server processes, for the multi-instance test and bench: a
// config of its own on a free port, round robin, started in the foreground and killed when the
// test process exits; resolves once the port answers.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A port nothing listens on now. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

/** The haproxy binary, or '' when it is not installed. */
export const haproxyBin = (() => {
  try {
    return execFileSync('sh', ['-c', 'command -v haproxy'], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
})();

/**
 * Starts HAProxy before `backends` (server URLs). With `healthChecks`, a backend is taken out
 * when /readyz fails, and a request whose connection fails is sent to another.
 */
export async function startHaproxy(
  dir: string,
  backends: string[],
  opts: { healthChecks?: boolean } = {},
): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  const check = opts.healthChecks ? ' check' : '';
  const config = [
    'global',
    '  maxconn 4000',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 1h',
    '  timeout server 1h',
    '  timeout tunnel 1h',
    '  option redispatch',
    '  retries 3',
    ...(opts.healthChecks ? ['  retry-on conn-failure empty-response'] : []),
    'frontend fe',
    `  bind 127.0.0.1:${port}`,
    '  default_backend be',
    'backend be',
    '  balance roundrobin',
    ...(opts.healthChecks
      ? ['  option httpchk GET /readyz', '  default-server inter 300ms fall 1 rise 1']
      : []),
    ...backends.map((u, i) => `  server s${i} ${new URL(u).host}${check}`),
    '',
  ].join('\n');
  const file = join(dir, 'haproxy.cfg');
  await writeFile(file, config);
  const proc = spawn(haproxyBin || 'haproxy', ['-f', file, '-db'], { stdio: 'ignore' });
  process.once('exit', () => proc.kill('SIGKILL'));
  const url = `http://127.0.0.1:${port}`;
  // Wait for the port to answer (a condition, not a time).
  for (;;) {
    if (proc.exitCode !== null) throw new Error('haproxy exited');
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, proc };
}
