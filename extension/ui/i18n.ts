// The translator for React pages: the context each page's shell provides (page-shell.tsx) and
// the hook components read it with. The messages and the catalog are in translate.ts.
import { createContext, useContext } from 'react';
import { type Translate, translator } from './translate.ts';

export * from './translate.ts';

export const LangContext = createContext<Translate>(translator('en'));
export const useT = () => useContext(LangContext);
