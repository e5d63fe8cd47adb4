// The inline menu, framed under a focused login field by the content script. It shows the
// logins for that frame (from the worker, by the menu's token) and fills one on a real click
// while fully visible; a fill that needs a yes (an http page, a frame from another origin)
// asks here first, naming the origin.
import { type KeyboardEvent, useEffect, useMemo, useState } from 'react';
import { browser } from 'wxt/browser';
import type { FillQuestion, Responses } from '../../messages.ts';
import { call, messageOf } from '../../ui/api.ts';
import { FillQuestionPanel } from '../../ui/components.tsx';
import { useT } from '../../ui/i18n.ts';
import { Icon } from '../../ui/icons.tsx';
import { mount } from '../../ui/page-shell.tsx';
import { generateForRules } from '../../ui/password-rules.ts';
import { useVisibilityGuard } from '../../ui/visibility-guard.ts';

const token = location.hash.slice(1);
type Menu = Responses['menuItems'];
type Item = Menu['items'][number];
type PasskeyRow = Menu['passkeys'][number];
/** What a question (or the master password) is asked before: a fill, or a passkey signing. */
type Pick = { kind: 'item'; item: Item } | { kind: 'passkey'; passkey: PasskeyRow };
const pickName = (p: Pick) => (p.kind === 'item' ? p.item.name : p.passkey.itemName);

function InlineMenu() {
  const t = useT();
  const close = () => void call({ type: 'menuClose', token }).catch(() => {});
  const guard = useVisibilityGuard(close);
  const [menu, setMenu] = useState<Menu | null>(null);
  const [question, setQuestion] = useState<{ pick: Pick; q: FillQuestion } | null>(null);
  const [proof, setProof] = useState('');
  const [proving, setProving] = useState(false);
  const [notice, setNotice] = useState('');

  useEffect(() => {
    call({ type: 'menuItems', token }).then(setMenu, (e) => setNotice(t(messageOf(e))));
  }, [t]);

  async function pick(e: { isTrusted: boolean }, chosen: Pick, confirmed = false) {
    const refused = guard(e);
    if (refused) {
      if (refused !== 'just-shown') close();
      setNotice(t('Cofre did not fill: the menu was not fully visible.'));
      return;
    }
    try {
      const result =
        chosen.kind === 'item'
          ? await call({ type: 'menuPick', token, id: chosen.item.id, confirmed })
          : await call({
              type: 'menuPasskey',
              token,
              credentialId: chosen.passkey.credentialId,
              confirmed,
            });
      if ('ask' in result) setQuestion({ pick: chosen, q: result });
      else if ('refused' in result)
        setNotice(
          result.refused === 'field-hidden'
            ? t('Cofre did not fill: the field is hidden or covered.')
            : t('Cofre did not fill: the menu was not fully visible.'),
        );
    } catch (error) {
      setNotice(t(messageOf(error)));
    }
  }

  // Made with the menu it belongs to, so the row is never drawn without it.
  const suggestion = useMemo(
    () => (menu?.role === 'newPassword' ? generateForRules(menu.rules) : ''),
    [menu],
  );
  async function useSuggestion(e: { isTrusted: boolean }) {
    if (guard(e)) {
      setNotice(t('Cofre did not fill: the menu was not fully visible.'));
      return;
    }
    try {
      const result = await call({ type: 'menuGenerate', token, password: suggestion });
      if ('refused' in result) setNotice(t('Cofre did not fill: the menu was not fully visible.'));
    } catch (error) {
      setNotice(t(messageOf(error)));
    }
  }

  async function unlock(e: { isTrusted: boolean }) {
    if (guard(e)) return;
    try {
      await browser.action.openPopup();
    } catch {
      await browser.tabs.create({ url: '/vault.html' });
    }
  }

  const onKey = (e: KeyboardEvent) => {
    const rows = [
      ...document.querySelectorAll<HTMLButtonElement>('.menu-row, .menu-actions button'),
    ];
    const at = rows.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'ArrowDown') rows[(at + 1) % rows.length]?.focus();
    else if (e.key === 'ArrowUp') rows[(at - 1 + rows.length) % rows.length]?.focus();
    else if (e.key === 'Escape') close();
    else return;
    e.preventDefault();
  };

  /** The card re-ask: the master password, checked by the worker, then the fill. */
  async function prove(e: { isTrusted: boolean; preventDefault(): void }) {
    e.preventDefault();
    if (!question || guard(e)) return;
    setProving(true);
    try {
      await call({ type: 'menuProve', token, password: proof });
      setProof('');
      const { pick: chosen } = question;
      setQuestion(null);
      await pick(e, chosen, true);
    } catch (error) {
      setNotice(t(messageOf(error)));
    } finally {
      setProving(false);
    }
  }

  if (question?.q.ask.includes('prove') && !question.q.ask.some((a) => a !== 'prove')) {
    return (
      <main className="menu" onKeyDown={onKey} aria-label="Cofre">
        <form className="menu-question" onSubmit={prove}>
          <label htmlFor="prove-pw">
            {question.pick.kind === 'passkey'
              ? t('Enter your master password to sign in with “{name}”.', {
                  name: pickName(question.pick),
                })
              : t('Enter your master password to fill “{name}”.', {
                  name: pickName(question.pick),
                })}
          </label>
          <input
            id="prove-pw"
            type="password"
            autoComplete="current-password"
            autoFocus
            value={proof}
            onChange={(e) => setProof(e.target.value)}
          />
          {notice && (
            <span className="error small" role="alert">
              {notice}
            </span>
          )}
          <div className="menu-actions">
            <button type="submit" className="primary" disabled={!proof || proving}>
              {t('Fill')}
            </button>
            <button type="button" onClick={() => setQuestion(null)}>
              {t('Cancel')}
            </button>
          </div>
        </form>
      </main>
    );
  }

  if (question) {
    const { q, pick: chosen } = question;
    return (
      <main className="menu" onKeyDown={onKey} aria-label="Cofre">
        <FillQuestionPanel
          className="menu-question"
          q={q}
          onFill={(e) => pick(e, chosen, true)}
          passkey={chosen.kind === 'passkey'}
          onCancel={() => setQuestion(null)}
        />
      </main>
    );
  }

  return (
    <main className="menu" onKeyDown={onKey} aria-label="Cofre">
      <header className="menu-head">
        <span className="logo">Cofre</span>
        {notice && (
          <span className="error small" role="alert">
            {notice}
          </span>
        )}
      </header>
      {menu?.locked && (
        <div className="menu-actions">
          <span className="muted">{t('Cofre is locked.')}</span>
          <button type="button" className="primary" onClick={unlock}>
            {t('Unlock')}
          </button>
        </div>
      )}
      {menu?.role === 'newPassword' && (
        <div className="menu-list">
          <button type="button" className="menu-row" onClick={useSuggestion}>
            <Icon name="dice" />
            <span className="item-text">
              <span className="item-name">{t('Use a strong password')}</span>
              <span className="item-sub mono" data-testid="suggestion">
                {suggestion}
              </span>
            </span>
          </button>
        </div>
      )}
      {menu && menu.passkeys.length > 0 && (
        <section className="menu-list" aria-label={t('Passkeys')}>
          {menu.passkeys.map((passkey) => (
            <button
              key={passkey.credentialId}
              type="button"
              className="menu-row"
              data-testid="menu-passkey"
              onClick={(e) => pick(e, { kind: 'passkey', passkey })}
            >
              <Icon name="key" />
              <span className="item-text">
                <span className="item-name">{passkey.userName || t('(no username)')}</span>
                <span className="item-sub">
                  {t('Passkey · {name}', { name: passkey.itemName })}
                </span>
              </span>
              {passkey.vaultName !== undefined && (
                <span className="tag vault-tag">{passkey.vaultName || t('Shared vault')}</span>
              )}
            </button>
          ))}
        </section>
      )}
      <div className="menu-list">
        {menu?.items.map((item) => (
          <button
            key={item.id}
            type="button"
            className="menu-row"
            onClick={(e) => pick(e, { kind: 'item', item })}
          >
            <Icon
              name={
                menu.role === 'otp'
                  ? 'clock'
                  : menu.role === 'card'
                    ? 'card'
                    : menu.role === 'identity'
                      ? 'identity'
                      : 'key'
              }
            />
            <span className="item-text">
              <span className="item-name">{item.name}</span>
              <span className="item-sub">
                {menu.role === 'otp'
                  ? t('One-time code')
                  : item.sub !== undefined
                    ? item.sub
                    : item.username || t('(no username)')}
              </span>
            </span>
            {item.vaultName !== undefined && (
              <span className="tag vault-tag">{item.vaultName || t('Shared vault')}</span>
            )}
            {item.ask.length > 0 && <span className="tag warn">{t('asks first')}</span>}
          </button>
        ))}
        {menu && menu.more > 0 && (
          <p className="muted small menu-more">
            {t('{n} more: search in the Cofre popup.', { n: menu.more })}
          </p>
        )}
      </div>
    </main>
  );
}

mount(() => <InlineMenu />);
