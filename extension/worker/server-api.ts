// The worker's tRPC client for one server: HTTP for queries and mutations, a WebSocket for
// sync.changes. The WebSocket is chosen over SSE because its traffic keeps an MV3 worker alive
// (an SSE stream does not), and its token travels in the first message, never in a URL.
import { createTRPCClient, createWSClient, httpLink, TRPCClientError, wsLink } from '@trpc/client';
import type { AppRouter } from '../../server/trpc/router.ts';
import { boundedFetch } from '../../shared/protocol/bounded-fetch.ts';

export type ServerClient = ReturnType<typeof createServerApi>['client'];

export function createServerApi(serverUrl: string, token: string | null) {
  const client = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${serverUrl}/trpc`,
        headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
        // Every request has a deadline and every answer a size cap (a stuck or huge answer
        // must not hang the worker or fill its memory).
        fetch: boundedFetch({ timeoutMs: 45_000 }),
      }),
    ],
  });

  /**
   * Calls `onHead` with the server's head seq now and after every commit, and `onFeed` when the
   * feed starts, when its socket drops (the client reconnects and resubscribes by itself, on a
   * backoff), and when the server ends it (a shutdown, a revoked session: nothing resubscribes
   * then). Returns a stopper.
   */
  function watchChanges(
    onHead: (seq: number, vaults?: Record<string, number>, news?: number) => void,
    onFeed: (state: 'open' | 'down' | 'ended') => void,
  ) {
    let stopped = false;
    const tell = (state: 'open' | 'down' | 'ended') => {
      if (!stopped) onFeed(state);
    };
    const ws = createWSClient({
      url: `${serverUrl.replace(/^http/, 'ws')}/trpc`,
      connectionParams: async () => ({ token: token ?? '' }),
      retryDelayMs: (attempt) => Math.min(30_000, 1_000 * 2 ** attempt),
      onClose: () => tell('down'),
    });
    const live = createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] });
    const sub = live.sync.changes.subscribe(
      {},
      {
        onStarted: () => tell('open'),
        onData: (e) => onHead(e.data.seq, e.data.vaults, e.data.news),
        onError: () => tell('ended'),
        onComplete: () => tell('ended'),
      },
    );
    return () => {
      stopped = true;
      // Unsubscribing sends a stop message, which throws on a socket still connecting: stopping
      // a feed must never fail the lock or the sync that stops it.
      try {
        sub.unsubscribe();
      } catch {}
      ws.close().catch(() => {});
    };
  }

  return { client, watchChanges, token: token ?? '' };
}

/** True when the request never got an answer (server down, no network). */
export function isUnreachable(error: unknown): boolean {
  if (error instanceof TRPCClientError) return !error.data && !error.shape;
  return error instanceof TypeError;
}

/** The tRPC error code of a server answer, if it was one. */
export function serverCode(error: unknown): string | null {
  return error instanceof TRPCClientError
    ? ((error.data?.code as string | undefined) ?? null)
    : null;
}
