// Byte helpers that run unchanged in the browser and in Node (no Buffer).
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export const utf8 = (s: string): Uint8Array => encoder.encode(s);
export const fromUtf8 = (b: Uint8Array): string => decoder.decode(b);

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

export function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

// The engine's own base64 (Uint8Array.prototype.toBase64 and Uint8Array.fromBase64: Chrome 140,
// Node 25) where it has one: on a pull of 10,000 records the hand-written loops below cost ~250
// ms of the worker's CPU (profiled). Both give the same answers (bytes.test.ts).
interface NativeBase64 {
  fromBase64(s: string, o: { alphabet: 'base64url' }): Uint8Array<ArrayBuffer>;
}
interface NativeToBase64 {
  toBase64(o: { alphabet: 'base64url'; omitPadding: true }): string;
}
const native =
  typeof (Uint8Array as unknown as Partial<NativeBase64>).fromBase64 === 'function' &&
  typeof (Uint8Array.prototype as unknown as Partial<NativeToBase64>).toBase64 === 'function';

/** base64url without padding, by hand (engines without their own). */
export function toBase64urlLoop(b: Uint8Array): string {
  let s = '';
  for (const byte of b) s += String.fromCharCode(byte);
  return btoa(s).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export const toBase64url: (b: Uint8Array) => string = native
  ? (b) => (b as unknown as NativeToBase64).toBase64({ alphabet: 'base64url', omitPadding: true })
  : toBase64urlLoop;

/** base64url, by hand: atob and a plain loop. */
export function fromBase64urlLoop(s: string): Uint8Array {
  const bin = atob(s.replaceAll('-', '+').replaceAll('_', '/'));
  // A plain loop: Uint8Array.from with a mapping function is ~10× slower on large pulls.
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const decode: (s: string) => Uint8Array = native
  ? (s) => (Uint8Array as unknown as NativeBase64).fromBase64(s, { alphabet: 'base64url' })
  : fromBase64urlLoop;

/** Unpadded base64url only: no padding, no whitespace (the engine's decoder would skip them). */
export function fromBase64url(s: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) throw new TypeError('not base64url');
  return decode(s);
}

/** Standard base64 (with + / and padding), as other tools' files use it. */
export function fromBase64(s: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw new TypeError('not base64');
  return fromBase64url(s.replace(/=+$/, '').replaceAll('+', '-').replaceAll('/', '_'));
}

export const toBase64 = (b: Uint8Array): string => {
  const url = toBase64url(b).replaceAll('-', '+').replaceAll('_', '/');
  return url + '='.repeat((4 - (url.length % 4)) % 4);
};

/** A copy backed by its own ArrayBuffer, as WebCrypto's BufferSource wants. */
export const own = (b: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(b);

/**
 * `b` as WebCrypto's BufferSource, copied only when a SharedArrayBuffer backs it. WebCrypto takes
 * a copy of what it is given, so a view of a larger buffer is fine; a copy per call was ~1 % of
 * the initial sync's worker time (three per record opened).
 */
export const bufferSource = (b: Uint8Array): Uint8Array<ArrayBuffer> =>
  b.buffer instanceof ArrayBuffer ? (b as Uint8Array<ArrayBuffer>) : new Uint8Array(b);
