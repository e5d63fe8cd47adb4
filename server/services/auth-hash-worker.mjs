// The server's Argon2id, off the event loop: a worker thread of auth-hash.ts's pool. Plain
// JavaScript so that the same file runs from the sources (tests) and beside the bundle
// (.output/server, copied there by scripts/build-server.mjs), with no TypeScript loader.
import { parentPort } from 'node:worker_threads';
import { argon2id, argon2Verify } from 'hash-wasm';

/**
 * @param {{ op: 'hash', password: Uint8Array, salt: Uint8Array, params: object }
 *       | { op: 'verify', password: Uint8Array, hash: string }} job
 */
function run(job) {
  if (job.op === 'hash')
    return argon2id({
      ...job.params,
      password: job.password,
      salt: job.salt,
      outputType: 'encoded',
    });
  return argon2Verify({ password: job.password, hash: job.hash });
}

parentPort?.on('message', async ({ id, job }) => {
  try {
    parentPort.postMessage({ id, result: await run(job) });
  } catch (err) {
    // The message only: a hash or key never leaves in an error.
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : 'argon2 failed' });
  }
});
