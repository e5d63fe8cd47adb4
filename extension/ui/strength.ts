// Password strength (@zxcvbn-ts) and the passphrase word list, loaded on first use: the
// dictionaries are large and only the vault page needs them.
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

let loaded: Promise<ZxcvbnFactory> | null = null;

async function load() {
  loaded ??= (async () => {
    const [core, common, en] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
    ]);
    return new core.ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      translations: en.translations,
    });
  })();
  return loaded;
}

export interface Strength {
  score: 0 | 1 | 2 | 3 | 4;
  warning: string;
  crackTime: string;
}

export async function strengthOf(password: string, userInputs: string[] = []): Promise<Strength> {
  const r = (await load()).check(password.slice(0, 256), userInputs);
  return {
    score: r.score,
    warning: r.feedback.warning ?? r.feedback.suggestions[0] ?? '',
    crackTime: r.crackTimes.offlineSlowHashingXPerSecond.display,
  };
}

/** 8,192 common English words of 4–8 letters: 13 bits each. */
export async function passphraseWords(): Promise<string[]> {
  const en = await import('@zxcvbn-ts/language-en');
  const words = (en.dictionary['commonWords-en'] as string[]).filter((w) => /^[a-z]{4,8}$/.test(w));
  return [...new Set(words)].slice(0, 8_192);
}
