import { describe, expect, it } from 'vitest';
import { backoffDelay, createSyncLoop, type SyncState } from './sync-loop.ts';
import { newReport } from './sync-report.ts';

const ok = newReport();

describe('backoffDelay', () => {
  it('should double from the base, stay within [half, full] of it, and stop at the cap', () => {
    expect(backoffDelay(0, () => 0)).toBe(500);
    expect(backoffDelay(0, () => 1)).toBe(1000);
    expect(backoffDelay(3, () => 0.5)).toBe(6000);
    expect(backoffDelay(50, () => 1)).toBe(300_000);
    expect(backoffDelay(50, () => 0)).toBe(150_000);
  });
});

describe('createSyncLoop', () => {
  function harness(results: Array<'ok' | 'fail'>) {
    const timers: Array<{ ms: number; fn: () => void; cleared: boolean }> = [];
    const states: SyncState[] = [];
    let calls = 0;
    const loop = createSyncLoop({
      sync: async () => {
        const r = results[calls++] ?? 'ok';
        if (r === 'fail') throw new Error('offline');
        return ok;
      },
      setTimer: (ms, fn) => {
        const t = { ms, fn, cleared: false };
        timers.push(t);
        return t;
      },
      clearTimer: (t) => {
        (t as { cleared: boolean }).cleared = true;
      },
      random: () => 1,
      onState: (s) => states.push(s),
    });
    return { loop, timers, states, calls: () => calls };
  }

  it('should retry after failures with growing delays and reset after a success', async () => {
    const h = harness(['fail', 'fail', 'ok', 'fail']);
    const flush = () => new Promise((r) => setTimeout(r, 0));
    await h.loop.trigger();
    expect(h.timers.map((t) => t.ms)).toEqual([1000]);
    h.timers[0]!.fn();
    await flush();
    expect(h.timers.map((t) => t.ms)).toEqual([1000, 2000]);
    h.timers[1]!.fn();
    await flush();
    expect(h.states.at(-1)).toEqual({ kind: 'idle', lastSync: ok });
    await h.loop.trigger();
    expect(h.timers.at(-1)!.ms).toBe(1000);
    expect(h.calls()).toBe(4);
  });

  it('should fold triggers during a sync into one more run', async () => {
    const h = harness([]);
    const first = h.loop.trigger();
    void h.loop.trigger();
    void h.loop.trigger();
    await first;
    expect(h.calls()).toBe(2);
  });

  it('should say when no sync is running, without starting one', async () => {
    const h = harness([]);
    await h.loop.settled();
    expect(h.calls()).toBe(0);
    const first = h.loop.trigger();
    void h.loop.trigger();
    let settled = false;
    const waiting = h.loop.settled().then(() => {
      settled = true;
    });
    await Promise.resolve();
    expect(settled).toBe(false);
    await waiting;
    // Settled after the folded run too, not only the first.
    expect(h.calls()).toBe(2);
    await first;
    expect(h.calls()).toBe(2);
  });

  it('should run at once when triggered while waiting for a retry', async () => {
    const h = harness(['fail', 'ok']);
    await h.loop.trigger();
    await h.loop.trigger();
    expect(h.timers[0]!.cleared).toBe(true);
    expect(h.states.at(-1)).toMatchObject({ kind: 'idle' });
  });
});
