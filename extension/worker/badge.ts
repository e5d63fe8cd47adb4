// The toolbar button tells the vault's state at a glance: a grey icon while locked (or before
// setup), and a badge for what needs the person: "!" (red) when sync fails or the server's
// answers failed their check, the number of edits waiting (amber) while offline or syncing.
// A blue count tells of sharing that waits for the person (an invitation, someone to confirm).
// The title says it in words for screen readers and on hover.
import { browser } from 'wxt/browser';
import type { AppState } from '../messages.ts';
import { es } from '../ui/i18n-es.ts';
import { browserLang, translator } from '../ui/translate.ts';

// The toolbar draws 16 px (32 px on a 2× screen): only those sizes are given, since Chrome
// decodes every size it is handed in this worker on each change.
const ICON = (variant: '' | 'locked-') => ({
  16: `/icon/${variant}16.png`,
  32: `/icon/${variant}32.png`,
});

export interface Badge {
  locked: boolean;
  text: string;
  color: string;
  title: string;
}

/** What the button shows for a state (a pure function, tested on its own). */
export function badgeFor(s: AppState): Badge {
  const lang = s.settings?.language ?? browserLang();
  const t = translator(lang, lang === 'es' ? es : undefined);
  if (s.phase !== 'unlocked')
    return {
      locked: true,
      text: '',
      color: '#667085',
      title: s.phase === 'setup' ? t('Cofre — not set up') : t('Cofre — locked'),
    };
  const trouble = (s.trust?.setAside ?? 0) > 0 || s.trust?.integrity === 'mismatch';
  if (s.sync.kind === 'error' || trouble)
    return {
      locked: false,
      text: '!',
      color: '#c92a2a',
      title: trouble
        ? t('Cofre — the server sent items that failed their check')
        : t('Cofre — sync error'),
    };
  // Edits waiting are counted offline and once a sync shows as running: the quick sync after
  // every edit (shown as synced until it has run 250 ms) leaves the button as it was, rather
  // than flashing a count and making six toolbar calls per edit.
  const pending =
    s.sync.kind === 'offline' ? s.sync.pending : s.sync.kind === 'syncing' ? s.pending : 0;
  if (pending > 0)
    return {
      locked: false,
      text: pending > 999 ? '999+' : String(pending),
      color: '#b06000',
      title:
        s.sync.kind === 'offline'
          ? t('Cofre — {n, plural, one {# edit} other {# edits}} waiting to sync (offline)', {
              n: pending,
            })
          : t('Cofre — {n, plural, one {# edit} other {# edits}} waiting to sync', { n: pending }),
    };
  const refused = s.sharing?.refused ?? 0;
  if (refused > 0)
    return {
      locked: false,
      text: '!',
      color: '#c92a2a',
      title: t('Cofre — a shared vault failed its check: open Cofre to see why'),
    };
  const asks = (s.sharing?.invitations ?? 0) + (s.sharing?.toConfirm ?? 0);
  if (asks > 0)
    return {
      locked: false,
      text: String(Math.min(asks, 99)),
      color: '#1864ab',
      title:
        (s.sharing?.invitations ?? 0) > 0
          ? t('Cofre — {n, plural, one {# invitation} other {# invitations}} to a shared vault', {
              n: s.sharing?.invitations ?? 0,
            })
          : t(
              'Cofre — {n, plural, one {# person waits} other {# people wait}} for your confirmation',
              {
                n: s.sharing?.toConfirm ?? 0,
              },
            ),
    };
  return { locked: false, text: '', color: '#2b8a3e', title: t('Cofre — unlocked, synced') };
}

/** What the button shows now, part by part: each Chrome call is made only when its part changed. */
const shown: { [K in keyof Badge]?: Badge[K] } = {};

export async function showBadge(s: AppState) {
  const b = badgeFor(s);
  const calls: Array<Promise<void>> = [];
  const change = <K extends keyof Badge>(part: K, set: (v: Badge[K]) => Promise<void>) => {
    if (shown[part] === b[part]) return;
    shown[part] = b[part];
    calls.push(
      // (A call that throws rather than rejects is caught the same way.)
      Promise.resolve(b[part])
        .then(set)
        .catch(() => {
          delete shown[part]; // a later change tries again
        }),
    );
  };
  // Drawing the icon is the one costly call (Chrome decodes the images in this worker, tens of
  // milliseconds on a slow machine, in the middle of an unlock): only when locked flips.
  change('locked', (locked) => browser.action.setIcon({ path: ICON(locked ? 'locked-' : '') }));
  change('text', (text) => browser.action.setBadgeText({ text }));
  change('color', (color) => browser.action.setBadgeBackgroundColor({ color }));
  change('title', (title) => browser.action.setTitle({ title }));
  await Promise.all(calls);
}
