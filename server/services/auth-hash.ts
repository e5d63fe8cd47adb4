// The server's own hash of a client's authKey: Argon2id with a per-user random salt, so a stolen
// database does not hand out login keys. Parameters are the OWASP minimum (m=19 MiB, t=2, p=1).
//
// Each hash takes ~85 ms of CPU here. On the event loop it stalled every other request (pushes,
// pulls, the change feed) for that long at every sign-in, sign-up and password change (measured:
// 81–95 ms stalls). It runs in worker threads instead (auth-hash-worker.mjs): one per spare core,
// at least one and at most two (each keeps ~19 MiB of WebAssembly memory while it lives), started
// at the first hash, holding the process open only while a hash is under way, and gone after
// IDLE_MS without one, so a server at rest holds none.
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

const PARAMS = { memorySize: 19_456, iterations: 2, parallelism: 1, hashLength: 32 } as const;

/** Beside this module in the sources, beside main.mjs in the bundle (scripts/build-server.mjs). */
const WORKER_URL = new URL('./auth-hash-worker.mjs', import.meta.url);
const POOL_SIZE = Math.min(2, Math.max(1, availableParallelism() - 1));
const IDLE_MS = 30_000;

type Job =
  | { op: 'hash'; password: Uint8Array; salt: Uint8Array; params: typeof PARAMS }
  | { op: 'verify'; password: Uint8Array; hash: string };

interface Thread {
  worker: Worker;
  busy: number;
  idle?: ReturnType<typeof setTimeout>;
}
const threads: Thread[] = [];
const waiting = new Map<
  number,
  { thread: Thread; resolve(v: unknown): void; reject(e: Error): void }
>();
let nextId = 0;

function forget(thread: Thread) {
  const i = threads.indexOf(thread);
  if (i >= 0) threads.splice(i, 1);
}

function spawnThread(): Thread {
  const thread: Thread = { worker: new Worker(WORKER_URL), busy: 0 };
  thread.worker.unref();
  thread.worker.on('message', ({ id, result, error }) => {
    const job = waiting.get(id);
    if (!job) return;
    waiting.delete(id);
    if (--thread.busy === 0) {
      thread.worker.unref();
      thread.idle = setTimeout(() => {
        forget(thread);
        void thread.worker.terminate();
      }, IDLE_MS);
      thread.idle.unref();
    }
    if (error !== undefined) job.reject(new Error(`argon2: ${error}`));
    else job.resolve(result);
  });
  // A thread that dies takes its jobs with it: they fail, and the next hash starts a new one.
  const fail = (err: Error) => {
    forget(thread);
    for (const [id, job] of waiting)
      if (job.thread === thread) {
        waiting.delete(id);
        job.reject(err);
      }
  };
  thread.worker.on('error', fail);
  thread.worker.on('exit', (code) => {
    if (threads.includes(thread)) fail(new Error(`argon2 worker exited (${code})`));
  });
  threads.push(thread);
  return thread;
}

function runJob<T>(job: Job): Promise<T> {
  // The least busy thread; a new one while the pool has room and all are busy.
  let thread = threads.reduce<Thread | undefined>(
    (a, t) => (a && a.busy <= t.busy ? a : t),
    undefined,
  );
  if (!thread || (thread.busy > 0 && threads.length < POOL_SIZE)) thread = spawnThread();
  const id = nextId++;
  clearTimeout(thread.idle);
  if (thread.busy++ === 0) thread.worker.ref();
  const t = thread;
  return new Promise<T>((resolve, reject) => {
    waiting.set(id, { thread: t, resolve: resolve as (v: unknown) => void, reject });
    t.worker.postMessage({ id, job });
  });
}

export function hashAuthKey(authKey: Uint8Array): Promise<string> {
  return runJob({ op: 'hash', password: authKey, salt: randomBytes(16), params: PARAMS });
}

export function verifyAuthKey(authKey: Uint8Array, encoded: string): Promise<boolean> {
  return runJob({ op: 'verify', password: authKey, hash: encoded });
}

/** A hash of nothing anyone knows, verified for unknown emails so they cost the same time. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  if (!decoy) {
    decoy = hashAuthKey(randomBytes(32));
    decoy.catch(() => {
      decoy = undefined; // asked again next time
    });
  }
  return decoy;
}
