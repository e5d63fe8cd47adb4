// Password strength (@zxcvbn-ts) and the passphrase word list, loaded on first use: the
// dictionaries are large and only the vault page needs them.
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import type { Translate } from './i18n.ts';

const loaded = new Map<string, Promise<ZxcvbnFactory>>();

/** English and Spanish dictionaries both (a Spanish name is as guessable as an English one); the feedback in the UI's language. */
async function load(lang: 'en' | 'es') {
  let f = loaded.get(lang);
  if (!f) {
    f = (async () => {
      const [core, common, en, es] = await Promise.all([
        import('@zxcvbn-ts/core'),
        import('@zxcvbn-ts/language-common'),
        import('@zxcvbn-ts/language-en'),
        import('@zxcvbn-ts/language-es-es'),
      ]);
      return new core.ZxcvbnFactory({
        dictionary: { ...common.dictionary, ...en.dictionary, ...es.dictionary },
        graphs: common.adjacencyGraphs,
        translations: lang === 'es' ? es.translations : en.translations,
      });
    })();
    loaded.set(lang, f);
  }
  return f;
}

export interface Strength {
  score: 0 | 1 | 2 | 3 | 4;
  warning: string;
  crackTime: string;
}

export async function strengthOf(
  password: string,
  userInputs: string[] = [],
  lang: 'en' | 'es' = 'en',
): Promise<Strength> {
  const r = (await load(lang)).check(password.slice(0, 256), userInputs);
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

/** The shortest master password accepted (Bitwarden's minimum). */
export const MASTER_MIN_LENGTH = 12;

/**
 * Why a new master password is refused, in the UI's language, or null when it passes: at least
 * 12 characters and zxcvbn's top score (4: more than 10^10 guesses), stricter than Bitwarden's
 * default. The email and the words of the product count as guessable.
 */
export async function masterPasswordProblem(
  password: string,
  email: string,
  t: Translate,
): Promise<string | null> {
  const n = [...password].length;
  if (n < MASTER_MIN_LENGTH)
    return t('Use at least {min} characters (this one has {n}).', { min: MASTER_MIN_LENGTH, n });
  const s = await strengthOf(password, [email, ...email.split(/[@.+_-]/), 'cofre'], t.lang);
  if (s.score < 4)
    return s.warning
      ? t('Too easy to guess: {reason} Choose a longer or less common one.', { reason: s.warning })
      : t(
          'Too easy to guess. Choose a longer or less common one: four or five random words work well.',
        );
  return null;
}
