// The password and passphrase generator: uniform choices from crypto.getRandomValues (rejection
// sampling, no modulo bias), and the entropy the result really has.

export interface PasswordOptions {
  length: number;
  lower: boolean;
  upper: boolean;
  digits: boolean;
  symbols: boolean;
  avoidAmbiguous: boolean;
}

/** What a new password gets unless the user chooses otherwise. */
export const DEFAULT_PASSWORD: PasswordOptions = {
  length: 20,
  lower: true,
  upper: true,
  digits: true,
  symbols: true,
  avoidAmbiguous: false,
};

const SETS = {
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  symbols: '!@#$%^&*()-_=+[]{};:,.?/',
} as const;
const AMBIGUOUS = /[Il1O0o]/g;

/**
 * Random words from the CSPRNG, drawn 64 at a time: one call per character made a candidate
 * for a site's pattern cost ~0.2 ms, and a pattern refusing the first lengths tried ~200 of them.
 */
const pool = new Uint32Array(64);
let drawn = pool.length;
function randomWord(): number {
  if (drawn === pool.length) {
    crypto.getRandomValues(pool);
    drawn = 0;
  }
  const w = pool[drawn]!;
  pool[drawn++] = 0; // a word is used once, and not kept
  return w;
}

/** A uniform integer in [0, n) (rejection sampling: no modulo bias). */
export function randomBelow(n: number): number {
  if (n < 1 || n > 2 ** 32) throw new RangeError('n out of range');
  const limit = Math.floor(2 ** 32 / n) * n;
  for (;;) {
    const w = randomWord();
    if (w < limit) return w % n;
  }
}

export function generatePassword(o: PasswordOptions): { value: string; bits: number } {
  const sets = (Object.keys(SETS) as Array<keyof typeof SETS>)
    .filter((k) => o[k])
    .map((k) => (o.avoidAmbiguous ? SETS[k].replace(AMBIGUOUS, '') : SETS[k]));
  if (sets.length === 0) throw new RangeError('Choose at least one kind of character.');
  const length = Math.max(o.length, sets.length);
  const all = sets.join('');
  // One of each chosen set, the rest from all, then a Fisher–Yates shuffle.
  const chars = sets.map((s) => s[randomBelow(s.length)]!);
  while (chars.length < length) chars.push(all[randomBelow(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomBelow(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return { value: chars.join(''), bits: Math.floor(length * Math.log2(all.length)) };
}

export function generatePassphrase(
  words: readonly string[],
  o: { words: number; separator: string; capitalize: boolean; number: boolean },
): { value: string; bits: number } {
  if (words.length < 1_000) throw new RangeError('The word list is too short.');
  const picked = Array.from({ length: o.words }, () => {
    const w = words[randomBelow(words.length)]!;
    return o.capitalize ? w[0]!.toUpperCase() + w.slice(1) : w;
  });
  let bits = o.words * Math.log2(words.length);
  if (o.number) {
    const at = randomBelow(picked.length);
    picked[at] += String(randomBelow(10));
    bits += Math.log2(10 * picked.length);
  }
  return { value: picked.join(o.separator), bits: Math.floor(bits) };
}
