// fetch with a deadline and a size cap: an answer that never finishes is aborted, and one larger
// than the protocol allows is cut off as it streams in, before anything in it is parsed. (The
// largest honest answer is a pull page: 1,000 records of at most 64 KiB, about 86 MiB in JSON.)
import { LIMITS } from './sync.ts';

export const MAX_ANSWER_BYTES = LIMITS.pullLimit * Math.ceil((LIMITS.ctBytes * 4) / 3) + (8 << 20);

export class AnswerTooLargeError extends TypeError {
  constructor(limit: number) {
    super(`The server's answer is larger than ${Math.round(limit / 2 ** 20)} MiB: refused.`);
    this.name = 'AnswerTooLargeError';
  }
}

export function boundedFetch(
  opts: { timeoutMs?: number; maxBytes?: number; fetch?: typeof fetch } = {},
): typeof fetch {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxBytes = opts.maxBytes ?? MAX_ANSWER_BYTES;
  const base = opts.fetch ?? globalThis.fetch.bind(globalThis);
  return async (input, init) => {
    const signals = [AbortSignal.timeout(timeoutMs), ...(init?.signal ? [init.signal] : [])];
    const res = await base(input, { ...init, signal: AbortSignal.any(signals) });
    if (Number(res.headers.get('content-length') ?? 0) > maxBytes) {
      await res.body?.cancel().catch(() => {});
      throw new AnswerTooLargeError(maxBytes);
    }
    if (!res.body) return res;
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => {});
        throw new AnswerTooLargeError(maxBytes);
      }
      chunks.push(value);
    }
    const body = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      body.set(c, at);
      at += c.byteLength;
    }
    return new Response(body, {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
    });
  };
}
