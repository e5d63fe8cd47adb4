// A man in the middle between a client and the real server: every request is forwarded, and
// the answer of any tRPC procedure can be rewritten, held back for ever, or replaced, so a
// test plays the hostile server with the real one behind it. WebSocket upgrades (the change
// feed) pass through untouched.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Readable } from 'node:stream';

type Rule =
  | { kind: 'rewrite'; fn: (data: unknown, input: unknown) => unknown | Promise<unknown> }
  | { kind: 'hang' }
  | { kind: 'raw'; fn: (input: unknown) => { status: number; body: Readable | string } };

export interface Mitm {
  url: string;
  /** Rewrites the `result.data` of `procedure` (e.g. "sync.pull") while the rule stands. */
  rewrite<D, I = unknown>(procedure: string, fn: (data: D, input: I) => unknown): void;
  /** Never answers `procedure` (the request stays open until the proxy closes). */
  hang(procedure: string): void;
  /** Answers `procedure` with this status and body instead of asking the server. */
  raw<I = unknown>(
    procedure: string,
    fn: (input: I) => { status: number; body: Readable | string },
  ): void;
  honest(procedure?: string): void;
  /** Cuts the client off (every request and feed socket dropped, as a lost network) or back on. */
  offline(on: boolean): void;
  /** Every tRPC call that went through, with its input. */
  calls: Array<{ procedure: string; input: unknown }>;
  /** The ids of every record pushed through it (from the `from`-th call on), in order, once each. */
  pushed(from?: number): string[];
  close(): Promise<void>;
}

export async function startMitm(target: string): Promise<Mitm> {
  const upstream = new URL(target);
  const rules = new Map<string, Rule>();
  const calls: Mitm['calls'] = [];
  const open = new Set<ServerResponse>();
  const sockets = new Set<Socket>();

  let cut = false;
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    if (cut) {
      req.socket.destroy();
      return;
    }
    open.add(res);
    res.on('close', () => open.delete(res));
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', upstream);
    const procedure = url.pathname.startsWith('/trpc/') ? url.pathname.slice(6) : '';
    let input: unknown;
    try {
      const raw = req.method === 'GET' ? url.searchParams.get('input') : body.toString('utf8');
      input = raw ? JSON.parse(raw) : undefined;
    } catch {
      input = undefined;
    }
    if (procedure) calls.push({ procedure, input });
    const rule = rules.get(procedure);
    if (rule?.kind === 'hang') return;
    if (rule?.kind === 'raw') {
      const out = rule.fn(input);
      res.writeHead(out.status, { 'content-type': 'application/json' });
      if (typeof out.body === 'string') res.end(out.body);
      else out.body.pipe(res);
      return;
    }
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers))
      if (typeof v === 'string' && !['host', 'content-length', 'connection'].includes(k))
        headers.set(k, v);
    const answer = await fetch(url, {
      method: req.method,
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
    });
    let text = await answer.text();
    if (rule?.kind === 'rewrite' && answer.ok) {
      const parsed = JSON.parse(text) as { result: { data: unknown } };
      const data = await rule.fn(structuredClone(parsed.result.data), input);
      text = JSON.stringify({ result: { data } });
    }
    // Every header but the framing ones (CORS included: a browser behind it needs them).
    const out: Record<string, string> = {};
    answer.headers.forEach((v, k) => {
      if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(k))
        out[k] = v;
    });
    res.writeHead(answer.status, out);
    res.end(text);
  });
  server.on('upgrade', (req, socket: Socket, head) => {
    if (cut) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    const up = connect(Number(upstream.port), upstream.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      up.write(`${lines.join('\r\n')}\r\n\r\n`);
      up.write(head);
      socket.pipe(up).pipe(socket);
    });
    sockets.add(up);
    const end = () => {
      socket.destroy();
      up.destroy();
    };
    socket.on('error', end);
    up.on('error', end);
    socket.on('close', end);
    up.on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    rewrite(p, fn) {
      rules.set(p, { kind: 'rewrite', fn: fn as Extract<Rule, { kind: 'rewrite' }>['fn'] });
    },
    hang: (p) => rules.set(p, { kind: 'hang' }),
    raw(p, fn) {
      rules.set(p, { kind: 'raw', fn: fn as Extract<Rule, { kind: 'raw' }>['fn'] });
    },
    honest: (p) => (p ? rules.delete(p) : rules.clear()),
    offline(on) {
      cut = on;
      if (!on) return;
      for (const res of open) res.destroy();
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    calls,
    pushed: (from = 0) => [
      ...new Set(
        calls
          .slice(from)
          .filter((c) => c.procedure === 'sync.push')
          .flatMap((c) => (c.input as { items: Array<{ id: string }> }).items.map((i) => i.id)),
      ),
    ],
    async close() {
      for (const res of open) res.destroy();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
