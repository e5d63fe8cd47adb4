// Mounts a page: loads the settings' language and provides the translator.
import { type ReactNode, StrictMode, useMemo } from 'react';
import { createRoot } from 'react-dom/client';
import { prefetchAppState, useAppState } from './api.ts';
import { browserLang, LangContext, translator } from './i18n.ts';
import './style.css';

export function mount(
  App: (props: {
    state: NonNullable<ReturnType<typeof useAppState>[0]>;
    refresh: () => void;
    setState: ReturnType<typeof useAppState>[1];
  }) => ReactNode,
) {
  prefetchAppState();
  function Shell() {
    const [state, setState, refresh] = useAppState();
    const lang = state?.settings.language ?? browserLang();
    const t = useMemo(() => translator(lang), [lang]);
    document.documentElement.lang = lang;
    return (
      <LangContext.Provider value={t}>
        {state ? (
          <App state={state} refresh={refresh} setState={setState} />
        ) : (
          <main className="loading" aria-busy="true">
            …
          </main>
        )}
      </LangContext.Provider>
    );
  }
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <Shell />
    </StrictMode>,
  );
}
