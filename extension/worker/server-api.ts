// The worker's tRPC client for one server: HTTP for queries and mutations, a WebSocket for
// sync.changes. The WebSocket is chosen over SSE because its traffic keeps an MV3 worker alive
// (an SSE stream does not), and its token travels in the first message, never in a URL.
import { createTRPCClient, createWSClient, httpLink, TRPCClientError, wsLink } from '@trpc/client';
import type { AppRouter } from '../../server/trpc/router.ts';

export type ServerClient = ReturnType<typeof createServerApi>['client'];

export function createServerApi(serverUrl: string, token: string | null) {
  const client = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${serverUrl}/trpc`,
        headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
      }),
    ],
  });

  /** Calls `onHead` with the server's head seq now and after every commit; returns a stopper. */
  function watchChanges(onHead: (seq: number) => void, onError: (e: unknown) => void) {
    const ws = createWSClient({
      url: `${serverUrl.replace(/^http/, 'ws')}/trpc`,
      connectionParams: async () => ({ token: token ?? '' }),
      retryDelayMs: (attempt) => Math.min(30_000, 1_000 * 2 ** attempt),
    });
    const live = createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] });
    const sub = live.sync.changes.subscribe({}, { onData: (e) => onHead(e.data.seq), onError });
    return () => {
      sub.unsubscribe();
      void ws.close();
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
