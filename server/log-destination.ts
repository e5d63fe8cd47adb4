// Where the server's log lines go: stdout, never blocking the server, with a bounded buffer.
//
// pino's default stdout destination writes synchronously, and on Linux a write to a pipe blocks
// once the pipe is full: a log collector that stalls (or a parent that stopped reading) froze
// the whole event loop — the server kept its socket open but answered nothing, not even
// /healthz, and never ran its SIGTERM handler (the orphaned test server of issue 19). pino's
// asynchronous destination only moves the blocked write(2) into a thread of the pool, where
// process.exit then waits for it forever.
//
// Here stdout, when it is a pipe or a terminal, is switched to non-blocking writes queued by
// libuv; while the reader is slow they wait in memory up to MAX_BUFFER_BYTES, and beyond that
// lines are dropped and counted (cofre_log_lines_dropped). A file on stdout is written as before.
import type pino from 'pino';

const MAX_BUFFER_BYTES = 4 * 1024 * 1024;

export interface LogDestination {
  stream: pino.DestinationStream & { flush(cb: (err?: Error) => void): void };
  /** Lines dropped because the reader did not keep up. */
  dropped(): number;
  /**
   * Makes stdout non-blocking again. O_NONBLOCK belongs to the open file, which a child that
   * inherits stdout shares — and a Node child sets it back to blocking (the PGlite `migrate`
   * child at first start did, and the server then froze on a full pipe). Call after one ran.
   */
  nonBlocking(): void;
}

export function logDestination(
  out: NodeJS.WriteStream = process.stdout,
  maxBytes = MAX_BUFFER_BYTES,
): LogDestination {
  const handle = (out as unknown as { _handle?: { setBlocking?(b: boolean): number } })._handle;
  const nonBlocking = () => void handle?.setBlocking?.(false);
  nonBlocking();
  // A reader that went away (EPIPE) must not take the server down with it.
  out.on('error', () => {});
  let dropped = 0;
  return {
    stream: {
      write(line: string) {
        if (out.writableLength > maxBytes) dropped++;
        else out.write(line);
      },
      flush(cb) {
        if (out.writableLength === 0) cb();
        else out.once('drain', () => cb());
      },
    },
    dropped: () => dropped,
    nonBlocking,
  };
}
