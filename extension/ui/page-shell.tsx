// Mounts a page: loads the settings' language and provides the translator.
import { type ReactNode, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { AppState } from '../messages.ts';
import { changedSinceLoad, prefetchAppState, useAppState } from './api.ts';
import { browserLang, LangContext, loadCatalog, translator, useTranslator } from './i18n.ts';
import './style.css';

const english = translator('en');
/** How long a page waits for its first data before it shows its loading frame. */
const FIRST_DATA_WAIT_MS = 250;

/**
 * Mounts `App` once its first data is in: the state, the likely language's catalog and what
 * `opts.before` waits for (the popup's first list), so the first render shows the page as it
 * will be rather than a "loading" frame and one render per answer. Data slower than
 * FIRST_DATA_WAIT_MS shows the loading frame meanwhile.
 */
export function mount(
  App: (props: {
    state: NonNullable<ReturnType<typeof useAppState>[0]>;
    refresh: () => void;
    setState: ReturnType<typeof useAppState>[1];
  }) => ReactNode,
  opts: { before?: Promise<unknown> } = {},
) {
  const early = prefetchAppState();
  // The browser's language is the likely one: its catalog loads alongside the state.
  const catalog = loadCatalog(browserLang());
  function Shell({ initial }: { initial: AppState | null }) {
    const [state, setState, refresh] = useAppState(initial);
    const lang = state?.settings.language ?? browserLang();
    const t = useTranslator(lang);
    document.documentElement.lang = (t ?? english).lang;
    return (
      <LangContext.Provider value={t ?? english}>
        {state && t ? (
          <App state={state} refresh={refresh} setState={setState} />
        ) : (
          <main className="loading" aria-busy="true">
            …
          </main>
        )}
      </LangContext.Provider>
    );
  }
  let initial: AppState | null = null;
  void early.then(
    (s) => {
      initial = s;
    },
    () => {},
  );
  const ready = Promise.allSettled([early, catalog, opts.before]);
  const waited = new Promise((resolve) => setTimeout(resolve, FIRST_DATA_WAIT_MS));
  void Promise.race([ready, waited]).then(() =>
    createRoot(document.getElementById('root')!).render(
      <StrictMode>
        {/* A state that changed since it was asked for is not drawn: the shell asks again. */}
        <Shell initial={changedSinceLoad() ? null : initial} />
      </StrictMode>,
    ),
  );
}
