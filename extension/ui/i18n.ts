// English and Spanish, in ICU MessageFormat (FormatJS's intl-messageformat): plurals, numbers,
// dates and selects are right in both languages. The English message is its own id (so a
// missing translation shows English, never an id); es.ts is the Spanish catalog, and
// i18n-catalog.test.ts fails on a message with no translation, a translation no code uses, or
// one left in English. The language follows the setting, else the browser.
import { IntlMessageFormat } from 'intl-messageformat';
import { createContext, useContext } from 'react';
import { msg } from '../../shared/i18n-msg.ts';
import { es } from './i18n-es.ts';

export type Lang = 'en' | 'es';
export type Vars = Record<string, string | number | Date>;

export const browserLang = (): Lang =>
  navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en';

/** Marks a message used through a variable (a label in a table), so the catalog check sees it. */
export { msg };

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

export function translator(lang: Lang) {
  const compiled = new Map<string, IntlMessageFormat | null>();
  const t = (s: string, vars?: Vars): string => {
    const text = lang === 'es' ? (es[s] ?? s) : s;
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
export const LangContext = createContext<Translate>(translator('en'));
export const useT = () => useContext(LangContext);
