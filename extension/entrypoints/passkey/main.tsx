// Cofre's passkey window: a site asked to make or use a passkey (issue 20). The worker opened it
// for one request (the token in the URL) and signs nothing until the person clicks here: save
// the new passkey (into a login of the site, or a new one), or choose the passkey to sign in
// with; "Use another device" hands the request to the browser's own WebAuthn dialog. A site that
// asks for user verification gets the master password, the PIN or the unlock passkey first, and
// a frame of another origin is named beside the page that frames it.
import {
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useState,
} from 'react';
import type { AppState, PasskeyInfo, RequestOf } from '../../messages.ts';
import { call, messageOf } from '../../ui/api.ts';
import { SecretFields, UnlockPanel } from '../../ui/components.tsx';
import { useT } from '../../ui/i18n.ts';
import { Icon } from '../../ui/icons.tsx';
import { mount } from '../../ui/page-shell.tsx';
import { unlockWithPasskey } from '../../ui/webauthn.ts';

const token = location.hash.slice(1);

function PasskeyWindow({ state, setState }: { state: AppState; setState: (s: AppState) => void }) {
  const t = useT();
  const [info, setInfo] = useState<PasskeyInfo | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [saveTo, setSaveTo] = useState<string | null>(null);

  const load = useCallback(
    () =>
      call({ type: 'passkeyInfo', token }).then(
        (i) => {
          setInfo(i);
          setSaveTo(i.suggested);
        },
        (e) => setError(t(messageOf(e))),
      ),
    [t],
  );
  useEffect(() => {
    void load();
  }, [load]);
  // The request lives in the worker, which Chrome stops after 30 s without an extension event:
  // while the person reads or types here, a message every 20 s keeps it (and the request) alive.
  useEffect(() => {
    const keep = setInterval(() => void call({ type: 'getState' }).catch(() => {}), 20_000);
    return () => clearInterval(keep);
  }, []);

  /** Answers the request; the window's work is done then (the worker closes it too). */
  async function act(fn: () => Promise<unknown>) {
    setBusy(true);
    setError('');
    try {
      await fn();
      window.close();
    } catch (e) {
      setError(t(messageOf(e)));
      // Asked for a proof, or locked meanwhile: show what the worker now needs.
      const code = (e as { code?: string }).code;
      if (code === 'PROOF_NEEDED' || code === 'LOCKED') void load();
    } finally {
      setBusy(false);
    }
  }
  const cancel = () => act(() => call({ type: 'passkeyCancel', token }));
  const fallback = () => act(() => call({ type: 'passkeyFallback', token }));
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') void cancel();
  };

  if (!info)
    return (
      <main className="passkey" aria-busy={!error}>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </main>
    );

  const site =
    info.rpName && info.rpName !== info.rpId ? `${info.rpName} (${info.rpId})` : info.rpId;
  const footer = (
    <div className="passkey-actions">
      <button type="button" className="link" onClick={fallback} disabled={busy}>
        {t('Use another device or security key')}
      </button>
      <button type="button" onClick={cancel} disabled={busy}>
        {t('Cancel')}
      </button>
    </div>
  );

  let body: ReactNode;
  if (info.locked) {
    body = (
      <UnlockPanel
        state={state}
        onDone={(s) => {
          setState(s);
          if (s.phase === 'unlocked') void load();
        }}
      />
    );
  } else if (info.needsProof) {
    body = <ProveForm state={state} onDone={() => void load()} />;
  } else if (info.kind === 'create' && info.excluded) {
    body = (
      <>
        <p>{t('A passkey for this account is already saved in Cofre.')}</p>
        <button
          type="button"
          className="primary"
          onClick={() => act(() => call({ type: 'passkeyApprove', token }))}
          disabled={busy}
        >
          {t('OK')}
        </button>
      </>
    );
  } else if (info.kind === 'create') {
    body = (
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void act(() => call({ type: 'passkeyApprove', token, saveTo }));
        }}
      >
        <p className="passkey-account">
          <Icon name="identity" />
          <span>
            <strong>{info.userName || t('(no username)')}</strong>
            {info.userDisplayName && info.userDisplayName !== info.userName && (
              <span className="muted"> · {info.userDisplayName}</span>
            )}
          </span>
        </p>
        <fieldset className="passkey-targets">
          <legend>{t('Keep it in')}</legend>
          {info.logins.map((l) => (
            <label key={l.id} className="radio-row">
              <input
                type="radio"
                name="save-to"
                checked={saveTo === l.id}
                onChange={() => setSaveTo(l.id)}
              />
              <span>
                {l.name} <span className="muted">{l.username || t('(no username)')}</span>
                {l.vaultName !== undefined && (
                  <span className="tag vault-tag">{l.vaultName || t('Shared vault')}</span>
                )}
              </span>
            </label>
          ))}
          <label className="radio-row">
            <input
              type="radio"
              name="save-to"
              checked={saveTo === null}
              onChange={() => setSaveTo(null)}
            />
            <span>{t('A new login')}</span>
          </label>
        </fieldset>
        <button type="submit" className="primary" disabled={busy} autoFocus>
          {t('Save passkey')}
        </button>
      </form>
    );
  } else if (info.choices.length === 0) {
    body = <p>{t('Cofre has no passkey for {site}.', { site: info.rpId })}</p>;
  } else {
    body = (
      <ul className="passkey-choices" aria-label={t('Passkeys')}>
        {info.choices.map((c, i) => (
          <li key={c.credentialId}>
            <button
              type="button"
              className="menu-row"
              autoFocus={i === 0}
              disabled={busy}
              onClick={() =>
                act(() => call({ type: 'passkeyApprove', token, credentialId: c.credentialId }))
              }
            >
              <Icon name="key" />
              <span className="item-text">
                <span className="item-name">{c.userName || t('(no username)')}</span>
                <span className="item-sub">
                  {c.itemName} · {t.date(c.createdAt)}
                </span>
              </span>
              {c.vaultName !== undefined && (
                <span className="tag vault-tag">{c.vaultName || t('Shared vault')}</span>
              )}
            </button>
          </li>
        ))}
      </ul>
    );
  }

  return (
    <main className="passkey" onKeyDown={onKey} aria-labelledby="passkey-title">
      <header className="menu-head">
        <span className="logo">Cofre</span>
      </header>
      <h1 id="passkey-title">
        {info.kind === 'create'
          ? t('Save a passkey for {site}?', { site })
          : t('Sign in to {site} with a passkey', { site })}
      </h1>
      <p
        className={info.topOrigin ? 'passkey-warning small' : 'muted small'}
        data-testid="passkey-origin"
        role={info.topOrigin ? 'note' : undefined}
      >
        {info.topOrigin
          ? t(
              'Asked by {origin}, inside a page of {top}. Go on only if you expected to sign in there.',
              {
                origin: info.origin,
                top: info.topOrigin,
              },
            )
          : t('Asked by {origin}.', { origin: info.origin })}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {body}
      {footer}
    </main>
  );
}

/** The site asked for user verification: the master password, the PIN or the unlock passkey. */
function ProveForm({ state, onDone }: { state: AppState; onDone: () => void }) {
  const t = useT();
  const [chosen, setMode] = useState<'password' | 'pin'>(state.hasPin ? 'pin' : 'password');
  const mode = state.hasPin ? chosen : 'password';
  const [value, setValue] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  async function run(proof: () => Promise<RequestOf<'proveIdentity'>['proof']>) {
    setBusy(true);
    setError('');
    try {
      await call({ type: 'proveIdentity', token, proof: await proof() });
      onDone();
    } catch (e) {
      setValue('');
      setError(t(messageOf(e)));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form
      className="passkey-prove"
      onSubmit={(e) => {
        e.preventDefault();
        if (value) void run(async () => (mode === 'pin' ? { pin: value } : { password: value }));
      }}
    >
      <p>{t('This site asks you to confirm it is you.')}</p>
      <SecretFields
        state={state}
        mode={mode}
        setMode={setMode}
        value={value}
        setValue={setValue}
        busy={busy}
        error={error}
        submit={t('Confirm')}
        passkeyLabel={t('Use your unlock passkey')}
        onPasskey={() => void run(() => unlockWithPasskey(state.unlockPasskeys))}
      />
    </form>
  );
}

mount(({ state, setState }) => <PasskeyWindow state={state} setState={setState} />);
