// English and Spanish. English strings are the keys (so a missing translation shows English,
// never a key); the language follows the setting, else the browser.
import { createContext, useContext } from 'react';
import { es } from './i18n-es.ts';

export type Lang = 'en' | 'es';

export const browserLang = (): Lang =>
  navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en';

export function translator(lang: Lang) {
  return (s: string, vars?: Record<string, string | number>) => {
    let out = lang === 'es' ? (es[s] ?? s) : s;
    for (const [k, v] of Object.entries(vars ?? {})) out = out.replaceAll(`{${k}}`, String(v));
    return out;
  };
}

export const LangContext = createContext<ReturnType<typeof translator>>(translator('en'));
export const useT = () => useContext(LangContext);
