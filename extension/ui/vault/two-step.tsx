// Settings → Two-step sign-in: an authenticator app (QR code to scan, a code to confirm), security
// keys, one-time recovery codes (shown once), and the browsers remembered for 30 days. Whatever
// turns it on or off asks for the master password again.
import QRCode from 'qrcode';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { Responses } from '../../messages.ts';
import { call, messageOf, useWorkerEvents } from '../api.ts';
import { useConfirm } from '../dialogs.tsx';
import { useT } from '../i18n.ts';
import { createSecurityKey } from '../webauthn.ts';

type Status = Responses['twoFactorStatus'];
type View =
  | { kind: 'idle' }
  | { kind: 'password'; purpose: 'totp' | 'totp-off' | 'codes' | { removeKey: string } }
  | { kind: 'scan'; secret: string; qr: string }
  | { kind: 'codes'; codes: string[] };

export function TwoStep() {
  const t = useT();
  const [status, setStatus] = useState<Status | null>(null);
  const [view, setView] = useState<View>({ kind: 'idle' });
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [dialog, ask] = useConfirm();
  const load = useCallback(
    () =>
      void call({ type: 'twoFactorStatus' }).then(
        (s) => setStatus(s),
        (e) => setError(t(messageOf(e))),
      ),
    [t],
  );
  useEffect(load, [load]);
  useWorkerEvents(load);

  const act = async (fn: () => Promise<void>, ok = '') => {
    setError('');
    setDone('');
    try {
      await fn();
      if (ok) setDone(ok);
      load();
    } catch (e) {
      setError(t(messageOf(e)));
    }
  };

  const withPassword = (password: string) => {
    if (view.kind !== 'password') return;
    const purpose = view.purpose;
    return act(async () => {
      if (purpose === 'totp') {
        const begun = await call({ type: 'totpBegin', password });
        const qr = await QRCode.toDataURL(begun.uri, { margin: 1, width: 200 });
        setView({ kind: 'scan', secret: begun.secret, qr });
      } else if (purpose === 'totp-off') {
        await call({ type: 'totpRemove', password });
        setView({ kind: 'idle' });
      } else if (purpose === 'codes') {
        const { recoveryCodes } = await call({ type: 'newRecoveryCodes', password });
        setView(recoveryCodes ? { kind: 'codes', codes: recoveryCodes } : { kind: 'idle' });
      } else {
        await call({ type: 'removeSecurityKey', id: purpose.removeKey, password });
        setView({ kind: 'idle' });
      }
    });
  };

  const addKey = () =>
    act(async () => {
      const options = await call({ type: 'securityKeyOptions' });
      const response = await createSecurityKey(options);
      const { recoveryCodes } = await call({
        type: 'registerSecurityKey',
        name: t('Security key'),
        response,
      });
      if (recoveryCodes) setView({ kind: 'codes', codes: recoveryCodes });
    }, t('Security key added: a new device signing in can use it for the second step.'));

  if (!status)
    return (
      <>
        <h3>{t('Two-step sign-in')}</h3>
        {error ? <p className="error">{error}</p> : <p className="muted">…</p>}
      </>
    );

  return (
    <section aria-labelledby="two-step-title" className="two-step">
      <h3 id="two-step-title">{t('Two-step sign-in')}</h3>
      {dialog}
      <p data-testid="two-step-state">
        {status.enabled ? (
          <span className="tag ok">{t('On')}</span>
        ) : (
          <span className="tag warn">{t('Off')}</span>
        )}{' '}
        {t(
          'A new device signing in with your master password also needs a code from your phone or a security key.',
        )}
      </p>
      <p className="muted small">
        {t(
          'It guards your account on the server. Your vault’s key never depends on it: a device that is signed in unlocks with your password, PIN or passkey alone, even offline.',
        )}
      </p>
      {status.required && !status.enabled && (
        <p className="notice" role="alert">
          {t('This server requires two-step sign-in: set it up to keep syncing.')}
        </p>
      )}

      {view.kind === 'password' && (
        <PasswordPrompt
          onSubmit={(p) => void withPassword(p)}
          onCancel={() => setView({ kind: 'idle' })}
        />
      )}
      {view.kind === 'scan' && (
        <ScanTotp
          view={view}
          onConfirmed={(codes) => {
            setView(codes ? { kind: 'codes', codes } : { kind: 'idle' });
            setDone(t('Authenticator app set up: new devices will ask for its code.'));
            load();
          }}
          onCancel={() => setView({ kind: 'idle' })}
        />
      )}
      {view.kind === 'codes' && (
        <RecoveryCodes codes={view.codes} onSaved={() => setView({ kind: 'idle' })} />
      )}

      {view.kind === 'idle' && (
        <>
          <h4>{t('Authenticator app')}</h4>
          {status.totp ? (
            <p className="row">
              <span className="tag ok">{t('Set up')}</span>
              <button
                type="button"
                className="link"
                onClick={() => setView({ kind: 'password', purpose: 'totp' })}
              >
                {t('Move to another phone')}
              </button>
              <button
                type="button"
                className="danger"
                onClick={async () => {
                  const yes = await ask({
                    title: t('Turn the authenticator app off?'),
                    body: status.keys.length
                      ? t('Your security keys still guard new sign-ins.')
                      : t(
                          'With no other second factor, new devices sign in with the password alone, and your recovery codes and remembered browsers are forgotten.',
                        ),
                    confirm: t('Turn off'),
                    danger: true,
                  });
                  if (yes) setView({ kind: 'password', purpose: 'totp-off' });
                }}
              >
                {t('Turn off')}
              </button>
            </p>
          ) : (
            <button type="button" onClick={() => setView({ kind: 'password', purpose: 'totp' })}>
              {t('Set up an authenticator app')}
            </button>
          )}

          <h4>{t('Security keys')}</h4>
          <ul className="plain">
            {status.keys.map((k) => (
              <li key={k.id} data-testid="security-key">
                {k.name} · <span className="muted">{t.dateTime(k.createdAt)}</span>{' '}
                <button
                  type="button"
                  className="link"
                  onClick={() => setView({ kind: 'password', purpose: { removeKey: k.id } })}
                  aria-label={t('Remove {name}', { name: k.name })}
                >
                  {t('Remove')}
                </button>
              </li>
            ))}
          </ul>
          <button type="button" onClick={() => void addKey()}>
            {t('Add a security key')}
          </button>

          {status.enabled && (
            <>
              <h4>{t('Recovery codes')}</h4>
              <p data-testid="recovery-codes-left">
                {t('{n, plural, one {# code left} other {# codes left}}', {
                  n: status.recoveryCodesLeft,
                })}{' '}
                <button
                  type="button"
                  className="link"
                  onClick={() => setView({ kind: 'password', purpose: 'codes' })}
                >
                  {t('Make new codes')}
                </button>
              </p>
            </>
          )}

          <h4>{t('Remembered browsers')}</h4>
          {status.rememberedDevices.length === 0 ? (
            <p className="muted">{t('None.')}</p>
          ) : (
            <ul className="plain">
              {status.rememberedDevices.map((d) => (
                <li key={d.id} data-testid="remembered-browser">
                  {d.deviceName} {d.current && <span className="tag ok">{t('this browser')}</span>}{' '}
                  <span className="muted small">
                    {t('until {date}', { date: t.dateTime(d.expiresAt) })}
                  </span>{' '}
                  <button
                    type="button"
                    className="link"
                    onClick={() =>
                      void act(
                        () => call({ type: 'forgetRemembered', id: d.id }).then(() => {}),
                        t('Forgotten: it asks for the second step at its next sign-in.'),
                      )
                    }
                  >
                    {t('Forget')}
                  </button>
                </li>
              ))}
            </ul>
          )}
          {status.rememberedDevices.length > 1 && (
            <button
              type="button"
              onClick={() =>
                void act(
                  () => call({ type: 'forgetAllRemembered' }).then(() => {}),
                  t('Every browser asks for the second step at its next sign-in.'),
                )
              }
            >
              {t('Forget all')}
            </button>
          )}
        </>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {done && (
        <p className="ok" role="status">
          {done}
        </p>
      )}
    </section>
  );
}

function PasswordPrompt({
  onSubmit,
  onCancel,
}: {
  onSubmit: (password: string) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const [password, setPassword] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(password);
  };
  return (
    <form className="row" onSubmit={submit} aria-label={t('Confirm with your master password')}>
      <label>
        {t('Master password')}
        <input
          type="password"
          name="two-step-password"
          autoFocus
          required
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <button type="submit" className="primary" disabled={!password}>
        {t('Continue')}
      </button>
      <button type="button" className="link" onClick={onCancel}>
        {t('Cancel')}
      </button>
    </form>
  );
}

function ScanTotp({
  view,
  onConfirmed,
  onCancel,
}: {
  view: { secret: string; qr: string };
  onConfirmed: (codes: string[] | null) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const [code, setCode] = useState('');
  const [error, setError] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    try {
      onConfirmed(
        (await call({ type: 'totpConfirm', code: code.replace(/\s/g, '') })).recoveryCodes,
      );
    } catch (err) {
      setError(t(messageOf(err)));
    }
  };
  return (
    <form className="card-form totp-setup" onSubmit={(e) => void submit(e)}>
      <p>{t('Scan this code with your authenticator app (any app that does TOTP):')}</p>
      <img src={view.qr} alt={t('QR code of the secret for your authenticator app')} width={200} />
      <p className="small">
        {t('Or type this secret into it:')}{' '}
        <code data-testid="totp-secret">{view.secret.match(/.{1,4}/g)?.join(' ')}</code>
      </p>
      <label>
        {t('Then type the code it shows')}
        <input
          name="totp-confirm"
          required
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={7}
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="row">
        <button type="submit" className="primary">
          {t('Turn on')}
        </button>
        <button type="button" className="link" onClick={onCancel}>
          {t('Cancel')}
        </button>
      </div>
    </form>
  );
}

function RecoveryCodes({ codes, onSaved }: { codes: string[]; onSaved: () => void }) {
  const t = useT();
  const text = `${t('Cofre recovery codes — each signs in once:')}\n\n${codes.join('\n')}\n`;
  return (
    <section className="notice recovery-codes" aria-label={t('Recovery codes')}>
      <p>
        <strong>{t('Keep these recovery codes somewhere safe.')}</strong>{' '}
        {t(
          'Each one signs a device in once if you lose your phone or security key. They are shown only now.',
        )}
      </p>
      <ol className="codes" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <div className="row">
        <button type="button" onClick={() => void navigator.clipboard.writeText(text)}>
          {t('Copy')}
        </button>
        <a
          className="button"
          download="cofre-recovery-codes.txt"
          href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`}
        >
          {t('Download')}
        </a>
        <button type="button" className="primary" onClick={onSaved}>
          {t('I have saved them')}
        </button>
      </div>
    </section>
  );
}
