// First run: choose the server (checked with /readyz), then create an account, sign in with the
// master password, sign in with a passkey on this new device, or recover with a recovery kit
// (k shares, then a new master password).
import { type FormEvent, useEffect, useState } from 'react';
import type { AppState, Responses } from '../../messages.ts';
import { call, messageOf } from '../api.ts';
import { useT } from '../i18n.ts';
import { LockedAccountCode, SecondStepForm, typedFactor, Working } from '../second-step.tsx';
import { masterPasswordProblem, type Strength, strengthOf } from '../strength.ts';
import { signInWithPasskey } from '../webauthn.ts';

const DEFAULT_SERVER = 'http://127.0.0.1:8787';
type Mode = 'create' | 'login' | 'passkey' | 'recover';

export function Onboarding({
  onDone,
  removed = null,
  secondStep = null,
}: {
  onDone: (s: AppState) => void;
  /** This browser erased its vault because another device removed it: say so. */
  removed?: AppState['removed'];
  /** A sign-in whose password was right, waiting for its second step. */
  secondStep?: AppState['secondStep'];
}) {
  const t = useT();
  const [server, setServer] = useState(DEFAULT_SERVER);
  const [mode, setMode] = useState<Mode>('create');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [shares, setShares] = useState('');
  const [invitation, setInvitation] = useState('');
  const [policy, setPolicy] = useState<Responses['signupPolicy']>(null);
  /** The account is locked by wrong passwords: its owner may add a code to the password. */
  const [locked, setLocked] = useState(false);
  const [lockedCode, setLockedCode] = useState('');
  const [strength, setStrength] = useState<Strength | null>(null);
  const [step, setStep] = useState('');
  const [error, setError] = useState('');
  const busy = step !== '';

  useEffect(() => {
    if ((mode !== 'create' && mode !== 'recover') || !password) return setStrength(null);
    let live = true;
    void strengthOf(password, [email], t.lang).then((s) => live && setStrength(s));
    return () => {
      live = false;
    };
  }, [password, email, mode, t]);

  // Who may sign up on the server named: asked again (after a pause in typing) when it changes.
  useEffect(() => {
    if (mode !== 'create') return;
    const serverUrl = server.trim().replace(/\/+$/, '');
    let live = true;
    const timer = setTimeout(() => {
      void call({ type: 'signupPolicy', serverUrl }).then(
        (p) => live && setPolicy(p),
        () => live && setPolicy(null),
      );
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [server, mode]);
  const needsCode = mode === 'create' && !!policy && policy.mode !== 'open';

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError('');
    const serverUrl = server.trim().replace(/\/+$/, '');
    const newPassword = mode === 'create' || mode === 'recover';
    if (newPassword && password !== confirm) return setError(t('The passwords do not match.'));
    // Judged here on what is in the field now: the meter's answer may still be on its way for
    // a password pasted (or filled) a moment before Enter.
    if (newPassword) {
      const problem = await masterPasswordProblem(password, email, t);
      if (problem) return setError(problem);
    }
    try {
      setStep(t('Checking the server…'));
      const { ok, reason } = await call({ type: 'checkServer', url: serverUrl });
      if (!ok) {
        setStep('');
        return setError(
          reason === 'not-cofre'
            ? t('Something answers at {url}, but it is not a Cofre server. Check the address.', {
                url: serverUrl,
              })
            : reason === 'not-ready'
              ? t(
                  'The Cofre server at {url} is up but cannot reach its database. Try again in a moment, or tell whoever runs it.',
                  {
                    url: serverUrl,
                  },
                )
              : t('The server at {url} cannot be reached. Is it running? (npm start)', {
                  url: serverUrl,
                }),
        );
      }
      let state: AppState;
      if (mode === 'passkey') {
        setStep(t('Waiting for your passkey…'));
        const options = await call({
          type: 'passkeyLoginOptions',
          serverUrl,
          email: email || null,
        });
        const { response, prfOutput } = await signInWithPasskey(options);
        setStep(t('Opening your vault…'));
        state = await call({ type: 'passkeyLogin', serverUrl, response, prfOutput });
      } else if (mode === 'recover') {
        setStep(t('Rebuilding your key and setting the new master password…'));
        state = await call({
          type: 'recoverAccount',
          serverUrl,
          email,
          shares: shares
            .split(/\n\s*\n|\r?\n(?=cofre-kit1\.)/)
            .map((x) => x.trim())
            .filter(Boolean),
          password,
        });
      } else {
        setStep(t('Deriving your key (Argon2id, 64 MiB)… this takes a second.'));
        state = await call(
          mode === 'create'
            ? {
                type: 'register',
                serverUrl,
                email,
                password,
                ...(invitation.trim() ? { invitation: invitation.trim() } : {}),
              }
            : {
                type: 'login',
                serverUrl,
                email,
                password,
                ...(locked && lockedCode.trim() ? { secondFactor: typedFactor(lockedCode) } : {}),
              },
        );
      }
      onDone(state);
    } catch (err) {
      if ((err as { code?: string }).code === 'account-locked') setLocked(true);
      setError(t(err instanceof Error && !('code' in err) ? err.message : messageOf(err)));
    } finally {
      setStep('');
    }
  }

  if (secondStep?.purpose === 'sign-in')
    return (
      <main className="onboarding">
        <h1>
          <span className="logo">◆</span> Cofre
        </h1>
        <SecondStepForm step={secondStep} onDone={onDone} onGone={setError} />
      </main>
    );

  return (
    <main className="onboarding">
      <h1>
        <span className="logo">◆</span> Cofre
      </h1>
      <p className="muted">{t('End-to-end encrypted. Works offline. Your server.')}</p>
      {removed && (
        <div className="notice" role="alert" data-testid="removed-notice">
          <p>
            {t(
              '“{by}” removed this browser from the account {email} on {date}. Its copy of the vault and its keys were erased from this browser.',
              { by: removed.by, email: removed.email, date: t.dateTime(removed.at) },
            )}
          </p>
          <button
            type="button"
            className="link"
            onClick={() => void call({ type: 'dismissRemoved' }).then(onDone)}
          >
            {t('Dismiss')}
          </button>
        </div>
      )}
      <div className="tabs" role="tablist">
        {(['create', 'login', 'passkey', 'recover'] as const).map((m) => (
          <button
            key={m}
            type="button"
            role="tab"
            aria-selected={mode === m}
            className={mode === m ? 'active' : ''}
            onClick={() => setMode(m)}
          >
            {m === 'create'
              ? t('Create account')
              : m === 'login'
                ? t('Sign in')
                : m === 'passkey'
                  ? t('Sign in with a passkey')
                  : t('Recover with a kit')}
          </button>
        ))}
      </div>
      <form onSubmit={submit} className="card-form">
        <label>
          {t('Server')}
          <input
            name="server"
            type="url"
            required
            value={server}
            onChange={(e) => setServer(e.target.value)}
          />
        </label>
        <label>
          {t('Email')}
          <input
            name="email"
            type="email"
            required={mode !== 'passkey'}
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        {mode === 'create' && policy?.domains && (
          <p className="muted small" data-testid="signup-domains">
            {t('This server accepts new accounts for addresses at {domains}.', {
              domains: policy.domains.join(', '),
            })}
          </p>
        )}
        {(needsCode || (mode === 'create' && invitation)) && (
          <label>
            {t('Invitation code')}
            <input
              name="invitation"
              required={needsCode}
              autoComplete="off"
              spellCheck={false}
              placeholder="XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX"
              aria-describedby="invitation-help"
              value={invitation}
              onChange={(e) => setInvitation(e.target.value)}
            />
            <span id="invitation-help" className="muted small">
              {policy?.mode === 'closed'
                ? t(
                    'This server takes new accounts only with an invitation from its administrator.',
                  )
                : t(
                    'This server takes new accounts by invitation: the code came from its administrator or with an invitation to a shared vault.',
                  )}
            </span>
          </label>
        )}
        {mode === 'recover' && (
          <label>
            {t('Recovery shares: one per line, as printed on the sheets')}
            <textarea
              name="shares"
              required
              rows={4}
              spellCheck={false}
              autoComplete="off"
              value={shares}
              onChange={(e) => setShares(e.target.value)}
            />
          </label>
        )}
        {mode !== 'passkey' && (
          <label>
            {mode === 'recover' ? t('New master password') : t('Master password')}
            <input
              name="password"
              type="password"
              required
              autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
        )}
        {mode === 'login' && locked && (
          <LockedAccountCode code={lockedCode} setCode={setLockedCode} />
        )}
        {(mode === 'create' || mode === 'recover') && (
          <>
            <Meter strength={strength} />
            <label>
              {t('Confirm master password')}
              <input
                name="confirm"
                type="password"
                required
                autoComplete="new-password"
                value={confirm}
                onChange={(e) => setConfirm(e.target.value)}
              />
            </label>
            <p className="muted small">
              {t(
                'Nobody can recover this password for you, not even the server. Write it down somewhere safe.',
              )}
            </p>
          </>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {busy && <Working label={step} />}
        <button type="submit" className="primary" disabled={busy}>
          {mode === 'create'
            ? t('Create account')
            : mode === 'login'
              ? t('Sign in')
              : mode === 'passkey'
                ? t('Use passkey')
                : t('Recover my vault')}
        </button>
      </form>
    </main>
  );
}

export function Meter({ strength }: { strength: Strength | null }) {
  const t = useT();
  const labels = [t('Very weak'), t('Weak'), t('Fair'), t('Strong'), t('Very strong')];
  return (
    <div className="meter" data-testid="strength" data-score={strength?.score ?? -1}>
      <div
        className={`meter-bar s${strength?.score ?? 0}`}
        style={{ width: `${((strength?.score ?? -1) + 1) * 20}%` }}
      />
      <span>
        {strength ? labels[strength.score] : ''}
        {strength?.warning ? ` — ${strength.warning}` : ''}
        {strength && strength.score >= 2 ? ` · ${t('crack time')}: ${strength.crackTime}` : ''}
      </span>
    </div>
  );
}
