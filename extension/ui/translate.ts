// English and Spanish, in ICU MessageFormat (FormatJS's intl-messageformat): plurals, numbers,
// dates and selects are right in both languages. The English message is its own id (so a
// missing translation shows English, never an id); i18n-es.ts is the Spanish catalog, and
// i18n-catalog.test.ts fails on a message with no translation, a translation no code uses, or
// one left in English. The language follows the setting, else the browser. No React here: the
// worker translates the toolbar's title with it too.
//
// The catalog is handed in rather than imported: pages load it only for Spanish (i18n.ts), since
// it is a fifth of the code every page parses at each open, and the worker imports it whole.
import { IntlMessageFormat } from 'intl-messageformat';
import { msg } from '../../shared/i18n-msg.ts';

/** Marks a message used through a variable (a label in a table), so the catalog check sees it. */
export { msg };

export type Lang = 'en' | 'es';
/** A language's messages, keyed by the English message. */
export type Catalog = Record<string, string>;
export type Vars = Record<string, string | number | Date>;

export const browserLang = (): Lang =>
  (globalThis.navigator?.language ?? 'en').toLowerCase().startsWith('es') ? 'es' : 'en';

/** An item type as a word in a sentence ("New login", "3 cards"). */
export const TYPE_NAME: Record<string, string> = {
  login: msg('login'),
  note: msg('note'),
  card: msg('card'),
  identity: msg('identity'),
};

/** How a website is matched, in words. */
export const MATCH_NAME: Record<string, string> = {
  domain: msg('Base domain'),
  host: msg('Host'),
  startsWith: msg('Starts with'),
  exact: msg('Exact'),
  regex: msg('Regular expression'),
  never: msg('Never'),
};

/** A catalog key with simple `{name}` arguments as a pattern that finds its filled sentences. */
interface Filled {
  re: RegExp;
  names: string[];
  key: string;
}
const filledOf = new WeakMap<Catalog, Filled[]>();
const literal = (key: string) => key.replace(/\{\w+\}/g, '').length;
function filledPatterns(messages: Catalog): Filled[] {
  const known = filledOf.get(messages);
  if (known) return known;
  const filled = Object.keys(messages).flatMap((key) => {
    // Only simple arguments can be read back (a plural's branches cannot).
    if (!/\{\w+\}/.test(key) || /\{\w+,/.test(key)) return [];
    const names: string[] = [];
    const source = key
      .split(/(\{\w+\})/)
      .map((part) => {
        const arg = /^\{(\w+)\}$/.exec(part);
        if (!arg) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(arg[1]!);
        return '(.+?)';
      })
      .join('');
    return [{ re: new RegExp(`^${source}$`, 's'), names, key }];
  });
  // The most specific first: more fixed words, fewer ways to match.
  filled.sort((a, b) => literal(b.key) - literal(a.key));
  filledOf.set(messages, filled);
  return filled;
}

/** Arguments of said() sentences that are themselves sentences (translated in turn). */
const NESTED = ['why', 'where', 'what'];

/** A sentence made with said() elsewhere: its template and values, if it is one of the catalog's. */
function readBack(messages: Catalog, s: string): { key: string; vars: Vars } | null {
  for (const f of filledPatterns(messages)) {
    const m = f.re.exec(s);
    if (m) return { key: f.key, vars: Object.fromEntries(f.names.map((n, i) => [n, m[i + 1]!])) };
  }
  return null;
}

/** The translator for a language; every language but English needs its catalog. */
export function translator(lang: Lang, catalog?: Catalog) {
  if (lang !== 'en' && !catalog) throw new Error(`The ${lang} catalog was not loaded.`);
  const messages = lang === 'en' ? null : catalog!;
  const compiled = new Map<string, IntlMessageFormat | null>();
  const t = (s: string, vars?: Vars): string => {
    if (messages && !(s in messages) && !vars) {
      const back = readBack(messages, s);
      if (back) {
        // A sentence inside a sentence ("could not be read: {why}") is translated too.
        for (const k of NESTED)
          if (typeof back.vars[k] === 'string') back.vars[k] = t(back.vars[k] as string);
        return t(back.key, back.vars);
      }
    }
    const text = messages?.[s] ?? s;
    // No argument and no quote: the message is its own text. (Parsing it would cost a locale
    // lookup and an ICU parse per message: ~15 ms of a popup's first render here, profiled.)
    if (!text.includes('{') && !text.includes("'")) return text;
    let f = compiled.get(text);
    if (f === undefined) {
      try {
        f = new IntlMessageFormat(text, lang, undefined, { ignoreTag: true });
      } catch {
        f = null; // not a valid message (a sentence from the server): shown as it is
      }
      compiled.set(text, f);
    }
    if (!f) return text;
    try {
      return String(f.format(vars));
    } catch {
      return text;
    }
  };
  /** A date and time as people of this language write it ("2 dic 2026, 14:05"). */
  t.dateTime = (d: string | number | Date) =>
    new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(d));
  t.date = (d: string | number | Date) =>
    new Intl.DateTimeFormat(lang, { dateStyle: 'medium' }).format(new Date(d));
  t.time = (d: string | number | Date) =>
    new Intl.DateTimeFormat(lang, { timeStyle: 'short' }).format(new Date(d));
  t.lang = lang;
  return t;
}

export type Translate = ReturnType<typeof translator>;
