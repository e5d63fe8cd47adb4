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

export function toBase64url(b: Uint8Array): string {
  let s = '';
  for (const byte of b) s += String.fromCharCode(byte);
  return btoa(s).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export function fromBase64url(s: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) throw new TypeError('not base64url');
  const bin = atob(s.replaceAll('-', '+').replaceAll('_', '/'));
  // A plain loop: Uint8Array.from with a mapping function is ~10× slower on large pulls.
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
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
