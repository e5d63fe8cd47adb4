// Autofill settings: the sites that never ask to save (kept sealed on this device) and the
// user's own equivalent domains (logins shared between, say, example.com and example.net).
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { AppState } from '../../messages.ts';
import { call, messageOf, saveSettings } from '../api.ts';
import { useT } from '../i18n.ts';

const parseGroups = (text: string) =>
  text
    .split('\n')
    .map((line) =>
      line
        .split(',')
        .map((d) => d.trim().toLowerCase())
        .filter(Boolean),
    )
    .filter((g) => g.length >= 2);

export function AutofillSettings({
  state,
  setState,
}: {
  state: AppState;
  setState: (s: AppState) => void;
}) {
  const t = useT();
  const [never, setNever] = useState<string[]>([]);
  const [groups, setGroups] = useState(() =>
    state.settings.equivalentDomains.map((g) => g.join(', ')).join('\n'),
  );
  const [error, setError] = useState('');
  const load = useCallback(
    () => void call({ type: 'neverSaveSites' }).then(setNever, () => {}),
    [],
  );
  useEffect(load, [load]);

  const saveGroups = (e: FormEvent) => {
    e.preventDefault();
    setError('');
    call({ type: 'saveSettings', settings: { equivalentDomains: parseGroups(groups) } }).then(
      setState,
      (err) => setError(t(messageOf(err))),
    );
  };

  return (
    <>
      <h3>{t('Autofill')}</h3>
      <label className="inline">
        <input
          type="checkbox"
          name="cardReask"
          checked={state.settings.cardReask}
          onChange={(e) =>
            void saveSettings({ cardReask: e.target.checked }, state, setState).catch((err) =>
              setError(t(messageOf(err))),
            )
          }
        />{' '}
        {t(
          'Ask for the master password before filling a card, unless the vault was unlocked in the last 5 minutes',
        )}
      </label>
      <h4>{t('Sites that never ask to save')}</h4>
      <ul className="plain" aria-label={t('Sites that never ask to save')}>
        {never.map((d) => (
          <li key={d}>
            {d}{' '}
            <button
              type="button"
              className="link"
              onClick={() => void call({ type: 'removeNeverSave', domain: d }).then(setNever)}
            >
              {t('Remove')}
            </button>
          </li>
        ))}
        {never.length === 0 && <li className="muted small">{t('No site yet.')}</li>}
      </ul>
      <form onSubmit={saveGroups}>
        <label>
          {t('Equivalent domains')}
          <textarea
            name="equivalentDomains"
            rows={3}
            value={groups}
            onChange={(e) => setGroups(e.target.value)}
          />
        </label>
        <p className="muted small">
          {t('One group per line, domains separated by commas (e.g. example.com, example.net).')}
        </p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit">{t('Save domains')}</button>
      </form>
    </>
  );
}
