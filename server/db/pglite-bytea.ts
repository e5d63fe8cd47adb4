// bytea to and from PGlite's text format with Node's hex codec. PGlite's own goes byte by byte
// (`parseInt` of each two hex digits to read, `toString(16)` of each byte to write): reading a
// pulled page of 1,000 records (~600 B each) cost the server ~70 ms of its one thread, most of a
// pull's time on PGlite (a CPU profile of the server during a 10,000-item first sync: 723 of
// ~1,800 ms). Values come back as Buffers, as node-postgres returns them.
import { types } from '@electric-sql/pglite';

/** `\x0a1b…` → its bytes. */
export const parseBytea = (text: string): Uint8Array => Buffer.from(text.slice(2), 'hex');

/** Bytes → `\x0a1b…`. */
export function serializeBytea(value: unknown): string {
  if (!(value instanceof Uint8Array)) throw new Error('Invalid input for bytea type');
  return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
}

export const byteaParsers = { [types.BYTEA]: parseBytea };
export const byteaSerializers = { [types.BYTEA]: serializeBytea };
