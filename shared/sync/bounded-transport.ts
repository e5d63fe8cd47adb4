// Every request of a sync has a deadline: a server (or a link) that never finishes its answer
// ends that sync with TIMEOUT instead of hanging it, and every later sync with it. The adapter
// should also abort the request itself (the worker's fetch does); this bound holds whatever the
// adapter does.
import { said } from '../i18n-msg.ts';
import { SyncError } from './errors.ts';
import type { Transport } from './ports.ts';

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new SyncError(
            'TIMEOUT',
            said('The server did not answer within {seconds} s.', {
              seconds: Math.round(ms / 1000),
            }),
          ),
        ),
      ms,
    );
  });
  promise.catch(() => {});
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

export function boundTransport(t: Transport, timeoutMs: number): Transport {
  return {
    push: (input) => within(t.push(input), timeoutMs),
    pull: (input) => within(t.pull(input), timeoutMs),
  };
}
