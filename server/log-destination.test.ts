import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { logDestination } from './log-destination.ts';

/** A reader that has stalled: it takes the first chunk and never finishes writing it. */
function stalled() {
  const chunks: string[] = [];
  const out = new Writable({
    highWaterMark: 16,
    write(chunk, _enc, _done) {
      chunks.push(String(chunk));
    },
  });
  return { out: out as unknown as NodeJS.WriteStream, chunks };
}

describe('logDestination', () => {
  it('should queue lines while the reader is slow, then drop and count them past the bound', () => {
    const { out } = stalled();
    const d = logDestination(out, 1_000);
    const line = `${'x'.repeat(99)}\n`;
    for (let i = 0; i < 50; i++) d.stream.write(line);
    // Up to the bound (and the line that crossed it) queued; the rest dropped, each counted.
    expect(out.writableLength).toBeGreaterThan(1_000);
    expect(out.writableLength).toBeLessThanOrEqual(1_100);
    expect(d.dropped()).toBe(50 - out.writableLength / 100);
  });

  it('should write every line when the reader keeps up, and flush at once', async () => {
    const got: string[] = [];
    const out = new Writable({
      write(chunk, _enc, done) {
        got.push(String(chunk));
        done();
      },
    }) as unknown as NodeJS.WriteStream;
    const d = logDestination(out, 1_000);
    for (let i = 0; i < 500; i++) d.stream.write(`${i}\n`);
    await new Promise<void>((r) => d.stream.flush(() => r()));
    expect(got).toHaveLength(500);
    expect(d.dropped()).toBe(0);
  });
});
