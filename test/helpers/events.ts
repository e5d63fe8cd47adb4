// Collects sync.changes events from a tRPC subscription and waits for the one a test expects.
import type { makeClient } from './test-server.ts';

export interface ChangeEvent {
  id: string;
  seq: number;
  /** Each shared vault's head (sharing, an addition to v1); absent when in none. */
  vaults?: Record<string, number>;
  /** How many sharing signals (invitations, answers, memberships) the feed told so far. */
  news?: number;
}

export interface ChangeStream {
  events: ChangeEvent[];
  errors: unknown[];
  stopped: boolean;
  waitFor(pred: (e: ChangeEvent) => boolean, ms?: number): Promise<ChangeEvent>;
  close(): void;
}

export function watchChanges(
  api: ReturnType<typeof makeClient>,
  input: { lastEventId?: string } = {},
): ChangeStream {
  const waiters = new Set<() => void>();
  const stream: ChangeStream = {
    events: [],
    errors: [],
    stopped: false,
    waitFor(pred, ms = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = stream.events.find(pred);
          if (hit) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(hit);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event in ${ms} ms; got ${JSON.stringify(stream.events)}`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
    close: () => sub.unsubscribe(),
  };
  const sub = api.sync.changes.subscribe(input, {
    onData(e) {
      const vaults = e.data.vaults;
      // Only an account in shared vaults sees `vaults`: other tests compare events exactly.
      stream.events.push({
        id: e.id,
        seq: e.data.seq,
        ...(vaults && Object.keys(vaults).length ? { vaults } : {}),
        ...(e.data.news ? { news: e.data.news } : {}),
      });
      for (const w of [...waiters]) w();
    },
    onError(err) {
      stream.errors.push(err);
    },
    onStopped() {
      stream.stopped = true;
    },
  });
  return stream;
}
