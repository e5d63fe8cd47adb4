// The translator for React pages: the context each page's shell provides (page-shell.tsx) and
// the hook components read it with. The messages are in translate.ts. A catalog other than
// English is loaded when a page first needs it (a separate chunk, so English pages never parse
// it), and kept for the page's life.
import { createContext, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { type Catalog, type Lang, type Translate, translator } from './translate.ts';

export * from './translate.ts';

export const LangContext = createContext<Translate>(translator('en'));
export const useT = () => useContext(LangContext);

const loading = new Map<Lang, Promise<Catalog>>();
const loaded = new Map<Lang, Catalog>();

/** Starts loading a language's catalog (nothing for English); resolves once it is loaded. */
export function loadCatalog(lang: Lang): Promise<Catalog | undefined> {
  if (lang === 'en') return Promise.resolve(undefined);
  let p = loading.get(lang);
  if (!p) {
    p = import('./i18n-es.ts')
      .then(({ es }) => es)
      // A chunk that cannot load (an extension updated under an open page) shows English, as a
      // missing translation does, rather than a page that never leaves "loading".
      .catch((): Catalog => ({}))
      .then((catalog) => {
        loaded.set(lang, catalog);
        return catalog;
      });
    loading.set(lang, p);
  }
  return p;
}

/**
 * The translator for a language. While its catalog loads: the previous language's translator
 * (a page switching language keeps its place), or null on a page's first render.
 */
export function useTranslator(lang: Lang): Translate | null {
  const [, setLoads] = useState(0);
  const catalog = loaded.get(lang);
  useEffect(() => {
    if (lang === 'en' || loaded.has(lang)) return;
    let live = true;
    loadCatalog(lang).then(() => live && setLoads((n) => n + 1));
    return () => {
      live = false;
    };
  }, [lang]);
  const ready = useMemo(
    () => (lang === 'en' || catalog ? translator(lang, catalog) : null),
    [lang, catalog],
  );
  const last = useRef<Translate | null>(null);
  if (ready) last.current = ready;
  return ready ?? last.current;
}
