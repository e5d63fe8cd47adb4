// Settings cards that change the account's keys: the master password (with the Argon2id
// strength to use) and a rotation of the account key, with its re-encryption progress.
import { type FormEvent, useState } from 'react';
import type { AppState } from '../../messages.ts';
import { call } from '../api.ts';
import { useT } from '../i18n.ts';
import { masterPasswordProblem } from '../strength.ts';
import { useAction } from './use-action.tsx';

type Strength = 'standard' | 'strong' | 'strongest';

export function ChangePassword({
  setState,
  email,
}: {
  setState: (s: AppState) => void;
  email: string;
}) {
  const t = useT();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [strength, setStrength] = useState<Strength | ''>('');
  const [run, view] = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      if (next !== again) throw new Error(t('The passwords do not match.'));
      const problem = await masterPasswordProblem(next, email, t);
      if (problem) throw new Error(problem);
      setState(
        await call({
          type: 'changePassword',
          current,
          next,
          ...(strength ? { strength } : {}),
        }),
      );
      setCurrent('');
      setNext('');
      setAgain('');
    }, t('Master password changed. Other devices must sign in again.'));
  };
  return (
    <form onSubmit={submit} className="card-form">
      <h3>{t('Change master password')}</h3>
      <input
        name="current-password"
        type="password"
        autoComplete="current-password"
        placeholder={t('Current master password')}
        aria-label={t('Current master password')}
        value={current}
        onChange={(e) => setCurrent(e.target.value)}
      />
      <input
        name="next-password"
        type="password"
        autoComplete="new-password"
        placeholder={t('New master password')}
        aria-label={t('New master password')}
        value={next}
        onChange={(e) => setNext(e.target.value)}
      />
      <input
        name="again-password"
        type="password"
        autoComplete="new-password"
        placeholder={t('Repeat new master password')}
        aria-label={t('Repeat new master password')}
        value={again}
        onChange={(e) => setAgain(e.target.value)}
      />
      <label>
        {t('Key derivation')}{' '}
        <select
          name="kdf-strength"
          value={strength}
          onChange={(e) => setStrength(e.target.value as Strength | '')}
        >
          <option value="">{t('Keep the current setting')}</option>
          <option value="standard">{t('Standard: 64 MiB, 3 passes')}</option>
          <option value="strong">{t('Strong: 128 MiB, 4 passes (about 2× slower unlock)')}</option>
          <option value="strongest">
            {t('Strongest: 256 MiB, 4 passes (about 4× slower unlock)')}
          </option>
        </select>
      </label>
      <button type="submit" disabled={!current || next.length < 8}>
        {t('Change')}
      </button>
      {view}
    </form>
  );
}

export function RotateKey({
  state,
  setState,
}: {
  state: AppState;
  setState: (s: AppState) => void;
}) {
  const t = useT();
  const [password, setPassword] = useState('');
  const [run, view] = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      setState(await call({ type: 'rotateAccountKey', password }));
      setPassword('');
    }, t(
      'New account key made. Every item is being re-encrypted; other devices must sign in again.',
    ));
  };
  const progress = state.rekey;
  return (
    <form onSubmit={submit} className="card-form" aria-label={t('Rotate account key')}>
      <h3>{t('Rotate account key')}</h3>
      <p className="muted small">
        {t(
          'Makes a new key for the whole vault and re-encrypts every item with it. Do this if a recovery kit or a device may be in the wrong hands. Other devices are signed out; the PIN and passkey unlock must be set up again.',
        )}
      </p>
      <input
        name="rotate-password"
        type="password"
        autoComplete="current-password"
        placeholder={t('Master password')}
        aria-label={t('Master password to rotate the account key')}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <button type="submit" disabled={!password || progress !== null}>
        {t('Rotate key')}
      </button>
      {progress && (
        <div className="rekey-progress" role="status">
          <progress max={progress.total} value={progress.done} />{' '}
          {t('Re-encrypting: {done} of {total} items', {
            done: progress.done,
            total: progress.total,
          })}
        </div>
      )}
      {view}
    </form>
  );
}
