// Bundles the server (server/main.ts and Cofre's own modules; npm packages stay imports) into
// .output/server/main.mjs, with its migrations and the Argon2 worker thread's file beside it.
// `npm run server` runs that file with plain Node: no TypeScript loader in the long-running
// process (PGlite idle, measured: 219–227 MiB resident against 250–296 through tsx; a start
// 2.0 s against 3.0 s).
// Written to a temporary name and renamed, so a process starting meanwhile never reads half.
import { cp, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, '.output/server');
const result = await build({
  entryPoints: [join(root, 'server/main.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  write: false,
  outfile: join(out, 'main.mjs'),
  logLevel: 'warning',
});
await mkdir(out, { recursive: true });
const stamp = `${process.pid}-${Date.now()}`;
// The migrations are read at start (server/db/client.ts resolves them next to the code).
const migrations = join(out, 'migrations');
await rm(`${migrations}.${stamp}`, { recursive: true, force: true });
await cp(join(root, 'server/db/migrations'), `${migrations}.${stamp}`, { recursive: true });
await rm(migrations, { recursive: true, force: true });
await rename(`${migrations}.${stamp}`, migrations);
// The Argon2 worker thread's file, found beside main.mjs (server/services/auth-hash.ts).
const worker = join(out, 'auth-hash-worker.mjs');
await cp(join(root, 'server/services/auth-hash-worker.mjs'), `${worker}.${stamp}`);
await rename(`${worker}.${stamp}`, worker);
for (const file of result.outputFiles) {
  await mkdir(dirname(file.path), { recursive: true });
  await writeFile(`${file.path}.${stamp}`, file.contents);
  await rename(`${file.path}.${stamp}`, file.path);
}
