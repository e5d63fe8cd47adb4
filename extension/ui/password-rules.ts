// A suggested password that the site will take: what the new-password field says it wants —
// Apple's `passwordrules` attribute (required / allowed classes and characters, minlength,
// maxlength, max-consecutive), and HTML's minlength, maxlength and pattern — with the default
// generator's strength wherever the site leaves room.
//
//   passwordrules="minlength: 8; maxlength: 12; required: lower; required: upper;
//                  required: digit; allowed: [-_!]; max-consecutive: 2"

import type { PasswordRules } from '../autofill/autofill-messages.ts';
import { DEFAULT_PASSWORD, generatePassword, randomBelow } from './generator.ts';

const CLASSES: Record<string, string> = {
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digit: '0123456789',
  // The ASCII printable specials, as the passwordrules spec defines `special`.
  special: '-~!@#$%^&*_+=`|(){}[:;"\'<>,.?] /\\',
};
CLASSES['ascii-printable'] = CLASSES.lower! + CLASSES.upper! + CLASSES.digit! + CLASSES.special!;
CLASSES.unicode = CLASSES['ascii-printable']!;
/** When the site says nothing of classes: the generator's usual alphabet. */
const DEFAULT_SETS = [CLASSES.lower!, CLASSES.upper!, CLASSES.digit!, '!@#$%^&*()-_=+[]{};:,.?/'];

export interface ParsedRules {
  required: string[];
  allowed: string;
  minLength: number | null;
  maxLength: number | null;
  maxConsecutive: number | null;
}

/** One `required:`/`allowed:` value: class names and bracketed characters, comma-separated. */
function charsOf(value: string): string {
  let out = '';
  for (const m of value.matchAll(/\[([^\]]*(?:\][^\]]*)?)\]|([a-z-]+)/gi)) {
    if (m[1] !== undefined) out += m[1];
    else if (m[2] && CLASSES[m[2].toLowerCase()]) out += CLASSES[m[2].toLowerCase()];
  }
  return [...new Set(out)].join('');
}

/** Parses Apple's passwordrules language (unknown properties are ignored, as the spec says). */
export function parsePasswordRules(text: string): ParsedRules {
  const rules: ParsedRules = {
    required: [],
    allowed: '',
    minLength: null,
    maxLength: null,
    maxConsecutive: null,
  };
  for (const part of text.split(';')) {
    const at = part.indexOf(':');
    if (at < 0) continue;
    const name = part.slice(0, at).trim().toLowerCase();
    const value = part.slice(at + 1).trim();
    const n = Number.parseInt(value, 10);
    if (name === 'required') {
      const chars = charsOf(value);
      if (chars) rules.required.push(chars);
    } else if (name === 'allowed') rules.allowed += charsOf(value);
    else if (name === 'minlength' && n > 0) rules.minLength = Math.max(rules.minLength ?? 0, n);
    else if (name === 'maxlength' && n > 0) rules.maxLength = Math.min(rules.maxLength ?? n, n);
    else if (name === 'max-consecutive' && n > 0)
      rules.maxConsecutive = Math.min(rules.maxConsecutive ?? n, n);
  }
  return rules;
}

const runTooLong = (s: string, max: number | null) => {
  if (!max) return false;
  let run = 1;
  for (let i = 1; i < s.length; i++) {
    run = s[i] === s[i - 1] ? run + 1 : 1;
    if (run > max) return true;
  }
  return false;
};

function fromSets(sets: string[], length: number): string {
  const all = [...new Set(sets.join(''))].join('');
  const chars = sets.map((s) => s[randomBelow(s.length)]!);
  while (chars.length < length) chars.push(all[randomBelow(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomBelow(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.slice(0, Math.max(length, sets.length)).join('');
}

function compilePattern(pattern: string | undefined): RegExp | null {
  if (!pattern) return null;
  for (const flags of ['v', 'u']) {
    try {
      return new RegExp(`^(?:${pattern})$`, flags);
    } catch {
      // try the next flag set; an invalid pattern is ignored, as browsers do
    }
  }
  return null;
}

/**
 * A password the field accepts: the rules' classes (each required one at least once), a length
 * inside every bound given (the default 20 where allowed), no run longer than max-consecutive,
 * and matching `pattern`. Falls back to the default generator when there are no rules.
 */
export function generateForRules(rules: PasswordRules | null | undefined): string {
  if (!rules || Object.keys(rules).length === 0) return generatePassword(DEFAULT_PASSWORD).value;
  const parsed = parsePasswordRules(rules.passwordrules ?? '');
  const min = Math.max(parsed.minLength ?? 0, rules.minLength ?? 0, 1);
  const maxes = [parsed.maxLength, rules.maxLength].filter((n): n is number => !!n);
  const max = maxes.length ? Math.min(...maxes) : Number.POSITIVE_INFINITY;
  const length = Math.max(Math.min(DEFAULT_PASSWORD.length, max), Math.min(min, max));
  const explicit = parsed.required.length > 0 || parsed.allowed.length > 0;
  const requiredSets = parsed.required;
  const sets = explicit
    ? [...requiredSets, ...(parsed.allowed ? [parsed.allowed] : [])]
    : DEFAULT_SETS.slice();
  const pattern = compilePattern(rules.pattern);
  // Try the site's alphabet; if the pattern refuses it, narrower ones a pattern often wants.
  // (With explicit classes, only those: the site said which characters it takes.)
  const attempts: string[][] = explicit
    ? [sets]
    : [
        sets,
        [CLASSES.lower!, CLASSES.upper!, CLASSES.digit!],
        [CLASSES.digit!],
        [CLASSES.lower!, CLASSES.digit!],
      ];
  // A pattern may bound the length too ({8,16}): shorter lengths are tried, down to the minimum.
  const floor = Math.min(Math.max(min, 4), length);
  const lengths = pattern
    ? Array.from({ length: length - floor + 1 }, (_, i) => length - i)
    : [length];
  const tries = pattern ? 12 : 200;
  // The longest length first, with the widest alphabet it takes: 16 letters and digits are
  // stronger than 8 characters with symbols, and a pattern that refuses symbols is found out at
  // the first length instead of after every length was tried with them.
  for (const size of lengths) {
    for (const alphabet of attempts) {
      for (let i = 0; i < tries; i++) {
        const candidate = fromSets(alphabet, size);
        if (requiredSets.some((r) => ![...candidate].some((c) => r.includes(c)))) continue;
        if (runTooLong(candidate, parsed.maxConsecutive)) continue;
        if (pattern && !pattern.test(candidate)) continue;
        return candidate;
      }
    }
  }
  return fromSets(sets, length);
}
