// The save / update prompt, framed at the top right of the page after a login that looks
// successful. It shows the site and username (never the password) and acts only on a real
// click while fully visible; the password it saves never left the worker.
import { useEffect, useState } from 'react';
import type { Responses } from '../../messages.ts';
import { call, messageOf } from '../../ui/api.ts';
import { useT } from '../../ui/i18n.ts';
import { mount } from '../../ui/page-shell.tsx';
import { useVisibilityGuard } from '../../ui/visibility-guard.ts';

const token = location.hash.slice(1);

function SavePrompt() {
  const t = useT();
  const guard = useVisibilityGuard(() => {});
  const [info, setInfo] = useState<Responses['promptInfo'] | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    call({ type: 'promptInfo', token }).then(setInfo, (e) => setError(t(messageOf(e))));
  }, [t]);

  async function answer(e: { isTrusted: boolean }, what: 'save' | 'never' | 'dismiss') {
    if (what !== 'dismiss' && guard(e)) {
      setError(t('Cofre did not save: the prompt was not fully visible.'));
      return;
    }
    try {
      await call({ type: 'promptAnswer', token, answer: what });
    } catch (err) {
      setError(t(messageOf(err)));
    }
  }

  if (!info) return <main className="prompt">{error && <p className="error">{error}</p>}</main>;
  const update = info.kind === 'update';
  return (
    <main className="prompt" aria-labelledby="prompt-title">
      <header className="menu-head">
        <span className="logo">Cofre</span>
      </header>
      <h1 id="prompt-title">
        {update
          ? t('Update the password for {name}?', { name: info.itemName ?? info.site })
          : t('Save this login for {site}?', { site: info.site })}
      </h1>
      <p className="muted">{info.username || t('(no username)')}</p>
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
      <div className="menu-actions">
        <button type="button" className="primary" onClick={(e) => answer(e, 'save')}>
          {update ? t('Update') : t('Save')}
        </button>
        {!update && (
          <button type="button" onClick={(e) => answer(e, 'never')}>
            {t('Never for this site')}
          </button>
        )}
        <button type="button" className="link" onClick={(e) => answer(e, 'dismiss')}>
          {t('Not now')}
        </button>
      </div>
    </main>
  );
}

mount(() => <SavePrompt />);
