// From a card's or identity's values (by autofill token, as the worker sends them) to what one
// field should receive: the expiry in the shape the field asks for (MM/YY, MM / YYYY, MMYY,
// a month or a year), a full name split or joined, a country by code or by name. For a
// <select>, every way an option may spell it (01, 1, January, Jan, enero; ES, Spain, España).

import type { AutofillToken } from './detect-payment.ts';
import { fillSelect, typeField } from './fill-field.ts';

export type Values = Record<string, string>;

/** The languages option texts are matched in: English, Spanish and the page's own. */
const languages = () => [...new Set(['en', 'es', document.documentElement.lang || 'en'])];

/** Every way a select may spell a month: 07, 7, and its long and short names (Intl). */
function monthWords(mm: string): string[] {
  const n = Number(mm);
  if (!(n >= 1 && n <= 12)) return [];
  const two = mm.padStart(2, '0');
  const out = [two, String(n)];
  const day = new Date(2000, n - 1, 15);
  for (const lang of languages())
    for (const month of ['long', 'short'] as const) {
      try {
        const name = new Intl.DateTimeFormat(lang, { month }).format(day).replace(/\.$/, '');
        out.push(name, `${two} ${name}`);
      } catch {
        // an unknown page language: the others stay
      }
    }
  return out;
}

/** Region codes Intl knows, named in English, Spanish and the page's own language. */
let countryIndex: Map<string, string> | null = null;
function countries(): Map<string, string> {
  if (countryIndex) return countryIndex;
  countryIndex = new Map();
  const names = languages().map((l) => {
    try {
      return new Intl.DisplayNames([l], { type: 'region', fallback: 'none' });
    } catch {
      return null;
    }
  });
  const A = 65;
  for (let i = 0; i < 26; i++)
    for (let j = 0; j < 26; j++) {
      const code = String.fromCharCode(A + i, A + j);
      for (const n of names) {
        const name = n?.of(code);
        if (name) countryIndex.set(name.toLowerCase(), code);
      }
    }
  return countryIndex;
}

/** Every way a country may be written: its code and its names. */
function countryWords(stored: string): string[] {
  const trimmed = stored.trim();
  if (!trimmed) return [];
  const code = /^[a-z]{2}$/i.test(trimmed)
    ? trimmed.toUpperCase()
    : countries().get(trimmed.toLowerCase());
  if (!code) return [trimmed];
  const out = [trimmed, code];
  for (const l of [document.documentElement.lang || 'en', 'en', 'es']) {
    try {
      const name = new Intl.DisplayNames([l], { type: 'region', fallback: 'none' }).of(code);
      if (name) out.push(name);
    } catch {
      // an unknown page language: the English and Spanish names stay
    }
  }
  return out;
}

/** The shape an expiry field asks for, from its placeholder, label and length. */
function expiryFor(el: HTMLInputElement, mm: string, yyyy: string): string {
  const hint = `${el.placeholder} ${el.getAttribute('aria-label') ?? ''}`.toLowerCase();
  const max = el.maxLength > 0 ? el.maxLength : 99;
  const yy = yyyy.slice(-2);
  const long = /yyyy|aaaa/.test(hint) || (max >= 7 && max < 9 && !/yy|aa/.test(hint));
  const year = long ? yyyy : yy;
  if (max === 4 || (/mmyy|mmaa/.test(hint.replace(/\s/g, '')) && !/[/-]/.test(hint)))
    return `${mm}${yy}`;
  const sep = / \/ /.test(hint) ? ' / ' : hint.includes('-') ? '-' : '/';
  return `${mm}${sep}${year}`;
}

/** The strings a field of `token` may take, best first (empty: nothing to fill). */
export function candidatesFor(
  token: AutofillToken,
  v: Values,
  el: HTMLInputElement | HTMLSelectElement,
): string[] {
  const mm = (v['cc-exp-month'] ?? '').padStart(2, '0');
  const yyyy = v['cc-exp-year'] ?? '';
  const name =
    v.name ?? [v['given-name'], v['additional-name'], v['family-name']].filter(Boolean).join(' ');
  const pick = (...s: Array<string | undefined>) => s.filter((x): x is string => !!x);
  switch (token) {
    case 'cc-exp':
      if (!v['cc-exp-month'] || !yyyy) return [];
      if (el instanceof HTMLSelectElement) return [`${mm}/${yyyy.slice(-2)}`, `${mm}/${yyyy}`];
      return [expiryFor(el, mm, yyyy)];
    case 'cc-exp-month':
      return v['cc-exp-month'] ? monthWords(mm) : [];
    case 'cc-exp-year':
      if (!yyyy) return [];
      if (el instanceof HTMLSelectElement) return [yyyy, yyyy.slice(-2)];
      return [
        el.maxLength === 2 || /^\s*(yy|aa)\s*$/i.test(el.placeholder) ? yyyy.slice(-2) : yyyy,
      ];
    case 'cc-name':
      return pick(v['cc-name']);
    case 'cc-given-name':
      return pick(v['cc-name']?.split(' ').slice(0, -1).join(' ') || v['cc-name']);
    case 'cc-family-name':
      return pick(v['cc-name']?.split(' ').at(-1));
    case 'name':
      return pick(name);
    case 'street-address':
      return pick(
        [v['address-line1'], v['address-line2'], v['address-line3']].filter(Boolean).join(', '),
      );
    case 'tel-national':
      return pick(v.tel?.replace(/^\+\d{1,3}\s*/, ''));
    case 'country':
      return v.country ? countryWords(v.country) : [];
    case 'country-name': {
      // A text box asking for the name: the name in the page's language first, not a code.
      if (!v.country) return [];
      const words = countryWords(v.country);
      return el instanceof HTMLSelectElement ? words : [...words.slice(2), ...words.slice(0, 2)];
    }
    default:
      return pick(v[token]);
  }
}

/** Fills one field from the values; returns whether it received anything. */
export function fillToken(
  el: HTMLInputElement | HTMLSelectElement,
  token: AutofillToken,
  v: Values,
): boolean {
  const options = candidatesFor(token, v, el);
  if (!options.length) return false;
  if (el instanceof HTMLSelectElement) return fillSelect(el, options);
  typeField(el, options[0]!);
  return true;
}
