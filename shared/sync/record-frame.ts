// The plaintext inside every record ciphertext (record format 2): what kind of record it is, its
// revision, and its payload, padded to a size bucket.
//   [format 2][kind 1][rev u32 BE][payload length u32 BE][payload (UTF-8 JSON)][zero padding]
// The revision is the record's own logical clock: every new ciphertext of a record carries one
// more than any revision its writer had seen, so "older than what this device saw" survives a
// server that restarts its version numbers (a restore, a compaction). It is inside the
// ciphertext, so no one without the account key can forge or raise it.
// Padding hides small changes of length: a ciphertext's size says which bucket its record falls
// in (256-byte steps up to 4 KiB, then at most ~12 % more than the payload), not its length.
import { SyncError } from './errors.ts';

export const FRAME_FORMAT = 2;
export const KIND = { item: 1, checkpoint: 2, tombstone: 3 } as const;
export type RecordKind = keyof typeof KIND;
const KIND_NAMES = new Map<number, RecordKind>(
  Object.entries(KIND).map(([name, code]) => [code, name as RecordKind]),
);

const HEADER = 10;
const SMALL_STEP = 256;
const SMALL_LIMIT = 4096;
export const MAX_REV = 0xffff_ffff;

/**
 * The padded size of a frame of `n` bytes: the next multiple of 256 up to 4 KiB; above that,
 * Padmé (Nikitin et al., PETS 2019), which leaks O(log log n) bits with at most ~12 % overhead.
 */
export function paddedLength(n: number): number {
  if (n <= SMALL_LIMIT) return Math.max(SMALL_STEP, Math.ceil(n / SMALL_STEP) * SMALL_STEP);
  const e = Math.floor(Math.log2(n));
  const s = Math.floor(Math.log2(e)) + 1;
  const mask = 2 ** (e - s) - 1;
  return Math.ceil(n / (mask + 1)) * (mask + 1);
}

export interface Frame {
  kind: RecordKind;
  rev: number;
  payload: Uint8Array;
}

/** A frame ready to encrypt; tombstones carry no payload and are not padded (all alike). */
export function encodeFrame({ kind, rev, payload }: Frame): Uint8Array {
  if (!Number.isInteger(rev) || rev < 1 || rev > MAX_REV)
    throw new RangeError('A record revision is 1 to 2^32-1.');
  const size = kind === 'tombstone' ? HEADER : paddedLength(HEADER + payload.byteLength);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out[0] = FRAME_FORMAT;
  out[1] = KIND[kind];
  view.setUint32(2, rev);
  view.setUint32(6, payload.byteLength);
  out.set(payload, HEADER);
  return out;
}

/** The frame in a decrypted plaintext; anything else is INVALID_ITEM (it opened, so a writer's bug). */
export function decodeFrame(plain: Uint8Array, recordId: string): Frame {
  const bad = (why: string) =>
    new SyncError(
      'INVALID_ITEM',
      `Record ${recordId} is not a record of format 2 (${why}).`,
      recordId,
    );
  if (plain.byteLength < HEADER || plain[0] !== FRAME_FORMAT) throw bad('format');
  const kind = KIND_NAMES.get(plain[1]!);
  if (!kind) throw bad('kind');
  const view = new DataView(plain.buffer, plain.byteOffset, plain.byteLength);
  const rev = view.getUint32(2);
  const length = view.getUint32(6);
  if (rev < 1 || HEADER + length > plain.byteLength) throw bad('length');
  for (let i = HEADER + length; i < plain.byteLength; i++) if (plain[i] !== 0) throw bad('padding');
  return { kind, rev, payload: plain.subarray(HEADER, HEADER + length) };
}
