// The second step of signing in (two-step sign-in): a code from the authenticator app, a security
// key or passkey, or a one-time recovery code; and the code field a locked account's owner types
// with the password.
import { type FormEvent, useState } from 'react';
import type { AppState } from '../messages.ts';
import { call, messageOf } from './api.ts';
import { useT } from './i18n.ts';
import { answerWithKey } from './webauthn.ts';

type Step = NonNullable<AppState['secondStep']>;

/** A typed code as the factor it is: six digits from the app, anything else a recovery code. */
export const typedFactor = (code: string) => {
  const c = code.replace(/\s/g, '');
  return /^\d{6}$/.test(c) ? { totp: c } : { recoveryCode: code.trim() };
};

export function SecondStepForm({
  step,
  onDone,
  onGone,
}: {
  step: Step;
  onDone: (s: AppState) => void;
  /** The sign-in ended without a session (expired, tried too often): why, for the password form. */
  onGone: (message: string) => void;
}) {
  const t = useT();
  const [useRecovery, setUseRecovery] = useState(!step.methods.includes('totp'));
  const [code, setCode] = useState('');
  const [remember, setRemember] = useState(false);
  const [busy, setBusy] = useState('');
  const [error, setError] = useState('');

  const finish = async (factor: Record<string, unknown>) => {
    setError('');
    try {
      onDone(await call({ type: 'completeSignIn', factor: factor as never, remember }));
    } catch (err) {
      const message = t(messageOf(err));
      // A spent ticket is gone from the worker: the page falls back to the password form.
      const fresh = await call({ type: 'getState' });
      if (fresh.secondStep) setError(message);
      else {
        onGone(message);
        onDone(fresh);
      }
    } finally {
      setBusy('');
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(t('Checking…'));
    void finish(useRecovery ? { recoveryCode: code.trim() } : { totp: code.replace(/\s/g, '') });
  };
  const withKey = async () => {
    setBusy(t('Waiting for your security key…'));
    try {
      const options = await call({ type: 'secondFactorOptions' });
      await finish({ webauthn: await answerWithKey(options) });
    } catch (err) {
      setBusy('');
      setError(t(messageOf(err)));
    }
  };

  return (
    <form className="card-form second-step" onSubmit={submit} aria-labelledby="second-step-title">
      <h2 id="second-step-title">{t('Two-step sign-in')}</h2>
      <p>
        {t('Your password was right. {email} asks a new device for a second step.', {
          email: step.email,
        })}
      </p>
      <p className="muted small">
        {t(
          'This step guards signing in to the server only. A device that is already signed in unlocks with your password, PIN or passkey alone, even offline.',
        )}
      </p>
      {(step.methods.includes('totp') || step.methods.includes('recovery')) && (
        <label>
          {useRecovery ? t('Recovery code') : t('Code from your authenticator app')}
          <input
            name="second-factor-code"
            autoFocus
            required
            autoComplete="one-time-code"
            inputMode={useRecovery ? 'text' : 'numeric'}
            spellCheck={false}
            maxLength={useRecovery ? 40 : 7}
            placeholder={useRecovery ? 'XXXX-XXXX-XXXX-XXXX' : '123456'}
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
        </label>
      )}
      <label className="inline">
        <input
          type="checkbox"
          name="remember-browser"
          checked={remember}
          onChange={(e) => setRemember(e.target.checked)}
        />{' '}
        {t('Remember this browser for 30 days')}
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {busy && <Working label={busy} />}
      <div className="row">
        {(step.methods.includes('totp') || step.methods.includes('recovery')) && (
          <button type="submit" className="primary" disabled={!!busy}>
            {t('Verify')}
          </button>
        )}
        {step.methods.includes('webauthn') && (
          <button type="button" disabled={!!busy} onClick={() => void withKey()}>
            {t('Use a security key or passkey')}
          </button>
        )}
      </div>
      <div className="row">
        {step.methods.includes('recovery') && step.methods.includes('totp') && (
          <button
            type="button"
            className="link"
            onClick={() => {
              setUseRecovery(!useRecovery);
              setCode('');
            }}
          >
            {useRecovery ? t('Use the authenticator app') : t('Use a recovery code')}
          </button>
        )}
        <button
          type="button"
          className="link"
          onClick={() => void call({ type: 'cancelSignIn' }).then(onDone)}
        >
          {t('Cancel')}
        </button>
      </div>
    </form>
  );
}

/** The code field shown with the password once the account was locked by wrong passwords. */
export function LockedAccountCode({
  code,
  setCode,
}: {
  code: string;
  setCode: (c: string) => void;
}) {
  const t = useT();
  return (
    <label>
      {t('Code from your authenticator app, or a recovery code')}
      <input
        name="locked-code"
        autoComplete="one-time-code"
        spellCheck={false}
        maxLength={40}
        value={code}
        onChange={(e) => setCode(e.target.value)}
      />
    </label>
  );
}

/** Work under way with no way to tell how far it got (a key derivation, a server's answer). */
export function Working({ label }: { label: string }) {
  return (
    <div className="progress" role="progressbar" aria-label={label}>
      <div className="progress-bar indeterminate" />
      <span>{label}</span>
    </div>
  );
}
