import { describe, expect, it } from 'vitest';
import { createKeyedQueue } from './keyed-queue.ts';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('createKeyedQueue', () => {
  it('should run tasks of one key one at a time, in arrival order', async () => {
    const q = createKeyedQueue(10);
    const log: string[] = [];
    let running = 0;
    const task = (name: string) => async () => {
      running++;
      expect(running).toBe(1);
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
      running--;
      return name;
    };
    expect(await Promise.all(['a', 'b', 'c'].map((n) => q.run('u', task(n))))).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(q.size).toBe(0);
  });

  it('should run different keys side by side', async () => {
    const q = createKeyedQueue(10);
    let concurrent = 0;
    let peak = 0;
    const task = async () => {
      peak = Math.max(peak, ++concurrent);
      await tick();
      concurrent--;
    };
    await Promise.all([q.run('a', task), q.run('b', task)]);
    expect(peak).toBe(2);
  });

  it('should keep going after a task fails', async () => {
    const q = createKeyedQueue(10);
    const failed = q.run('u', async () => {
      throw new Error('boom');
    });
    const next = q.run('u', async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    expect(await next).toBe('ok');
  });

  it('should refuse with TOO_MANY_REQUESTS when too many tasks wait for one key', async () => {
    const q = createKeyedQueue(2);
    const slow = () => q.run('u', () => new Promise((r) => setTimeout(r, 20)));
    const [a, b] = [slow(), slow()];
    await expect(slow()).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS', retryAfter: 1 });
    await Promise.all([a, b]);
    await expect(slow()).resolves.toBeUndefined();
  });
});
