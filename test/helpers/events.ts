// Collects sync.changes events from a tRPC subscription and waits for the one a test expects.
import type { makeClient } from './test-server.ts';

export interface ChangeStream {
  events: Array<{ id: string; seq: number }>;
  errors: unknown[];
  stopped: boolean;
  waitFor(
    pred: (e: { id: string; seq: number }) => boolean,
    ms?: number,
  ): Promise<{ id: string; seq: number }>;
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
      stream.events.push({ id: e.id, seq: e.data.seq });
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
