// Codes people read and type (invitations, recovery codes): random bytes in Crockford's base32
// (no I, L, O or U to misread), in groups of four. Typing is forgiving: any case, spaces or
// dashes, O for 0 and I or L for 1.
import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ0123456789';

/** `bytes` random bytes (a multiple of 5 gives whole groups) as XXXX-XXXX-… */
export function newCode(bytes: number): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of randomBytes(bytes)) {
    value = ((value << 8) | b) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{1,4}/g)!.join('-');
}

/** The code as typed → the form it was made in. */
export function normaliseCode(typed: string): string {
  const plain = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return plain.match(/.{1,4}/g)?.join('-') ?? '';
}
