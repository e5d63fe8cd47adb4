// Keeps a device in sync: runs the engine when asked (after an edit, on a change event, on a
// timer) and, after a failure, retries with capped exponential backoff and jitter, so a
// thousand devices coming back online do not all knock at once.
import type { SyncReport } from './engine.ts';

export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
}

/** "Equal jitter": half the capped exponential delay, plus a random part of the other half. */
export function backoffDelay(
  attempt: number,
  random: () => number,
  opts: BackoffOptions = {},
): number {
  const ceiling = Math.min(
    opts.capMs ?? 300_000,
    (opts.baseMs ?? 1_000) * 2 ** Math.min(attempt, 30),
  );
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export type SyncState =
  | { kind: 'idle'; lastSync?: SyncReport }
  | { kind: 'syncing' }
  | { kind: 'waiting'; attempt: number; retryInMs: number; error: unknown };

export interface SyncLoopPorts {
  sync(): Promise<SyncReport>;
  setTimer(ms: number, fn: () => void): unknown;
  clearTimer(handle: unknown): void;
  random?: () => number;
  onState?: (state: SyncState) => void;
  backoff?: BackoffOptions;
}

export function createSyncLoop(ports: SyncLoopPorts) {
  const random = ports.random ?? Math.random;
  let attempt = 0;
  let timer: unknown;
  let running: Promise<void> | null = null;
  let again = false;

  async function run(): Promise<void> {
    ports.onState?.({ kind: 'syncing' });
    try {
      const report = await ports.sync();
      attempt = 0;
      ports.onState?.({ kind: 'idle', lastSync: report });
    } catch (error) {
      const retryInMs = backoffDelay(attempt, random, ports.backoff);
      attempt++;
      ports.onState?.({ kind: 'waiting', attempt, retryInMs, error });
      timer = ports.setTimer(retryInMs, () => void trigger());
    }
  }

  /** Asks for a sync now; calls during a running sync fold into one more run after it. */
  function trigger(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    if (timer !== undefined) ports.clearTimer(timer);
    timer = undefined;
    running = (async () => {
      do {
        again = false;
        await run();
      } while (again && timer === undefined);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    trigger,
    /** Resolves once no sync is running (at once when none is); never starts one. */
    async settled(): Promise<void> {
      while (running) await running;
    },
    stop() {
      if (timer !== undefined) ports.clearTimer(timer);
      timer = undefined;
    },
  };
}
