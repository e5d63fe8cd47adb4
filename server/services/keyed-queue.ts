// Runs tasks one at a time per key, in arrival order, with a bound on how many may wait.
// Pushes of one user take that user's row lock anyway; queueing them here first means a burst
// from one account waits in memory instead of holding every pooled connection, so other
// accounts keep being served.
import { AppError } from '../errors.ts';

export function createKeyedQueue(maxPending: number) {
  const queues = new Map<string, { tail: Promise<void>; pending: number }>();

  return {
    async run<T>(key: string, task: () => Promise<T>): Promise<T> {
      let queue = queues.get(key);
      if (!queue) {
        queue = { tail: Promise.resolve(), pending: 0 };
        queues.set(key, queue);
      }
      if (queue.pending >= maxPending) {
        throw new AppError('TOO_MANY_REQUESTS', 'Too many pushes in flight for this account.', 1);
      }
      queue.pending++;
      const previous = queue.tail;
      let release!: () => void;
      queue.tail = new Promise<void>((resolve) => {
        release = resolve;
      });
      try {
        await previous;
        return await task();
      } finally {
        release();
        queue.pending--;
        if (queue.pending === 0) queues.delete(key);
      }
    },
    get size() {
      return queues.size;
    },
  };
}

export type KeyedQueue = ReturnType<typeof createKeyedQueue>;
