// A homomorphic set hash (LtHash16: Bellare–Micciancio's additive hash as Facebook's LtHash
// uses it, Lewi et al., ePrint 2019/227): each element is expanded by BLAKE3 to 1,024 lanes of
// 16 bits, and a set's hash is the lane-wise sum mod 2^16. Adding or removing one element costs
// one expansion, whatever the size of the set, and the order of additions does not matter, so a
// device keeps the hash of its whole vault up to date at every write, and two devices holding
// the same set hold the same 2 KiB, however they got there.
import { createBLAKE3, type IHasher } from 'hash-wasm';
import { utf8 } from './bytes.ts';

export const SET_HASH_BYTES = 2048;
const LANES = SET_HASH_BYTES / 2;

let hasher: IHasher | null = null;
let loading: Promise<IHasher> | null = null;

/** Loads the WebAssembly hasher once; the hash functions below are synchronous after it. */
export async function loadSetHash(): Promise<void> {
  if (hasher) return;
  if (!loading) loading = createBLAKE3(SET_HASH_BYTES * 8);
  hasher = await loading;
}

export const emptySetHash = () => new Uint8Array(SET_HASH_BYTES);

function expand(element: string): Uint16Array {
  if (!hasher) throw new Error('loadSetHash() first.');
  hasher.init();
  hasher.update(utf8(`cofre/v1/set-hash|${element}`));
  const out = hasher.digest('binary');
  return new Uint16Array(out.buffer, out.byteOffset, LANES);
}

/** `hash` with `added` put in and `removed` taken out (each an element's canonical string). */
export function updateSetHash(hash: Uint8Array, added: string[], removed: string[]): Uint8Array {
  const lanes = new Uint16Array(LANES);
  lanes.set(new Uint16Array(hash.slice().buffer, 0, LANES));
  for (const e of added) {
    const x = expand(e);
    for (let i = 0; i < LANES; i++) lanes[i] = (lanes[i]! + x[i]!) & 0xffff;
  }
  for (const e of removed) {
    const x = expand(e);
    for (let i = 0; i < LANES; i++) lanes[i] = (lanes[i]! - x[i]!) & 0xffff;
  }
  return new Uint8Array(lanes.buffer);
}

export function sameSetHash(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  let diff = 0;
  for (let i = 0; i < a.byteLength; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
