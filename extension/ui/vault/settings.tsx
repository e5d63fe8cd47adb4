// Settings: server, lock options, language, autofill, PIN, passkeys, two-step sign-in, devices
// and sessions, master password.
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { AppState, Responses, Settings as SettingsT } from '../../messages.ts';
import { call, messageOf, saveSettings } from '../api.ts';
import { useConfirm } from '../dialogs.tsx';
import { useT } from '../i18n.ts';
import { createPasskey } from '../webauthn.ts';
import { ChangePassword, RotateKey } from './account-keys.tsx';
import { AutofillSettings } from './autofill-settings.tsx';
import { RecoveryKits } from './recovery-kit.tsx';
import { TwoStep } from './two-step.tsx';
import { useAction } from './use-action.tsx';

export function Settings({
  state,
  setState,
}: {
  state: AppState;
  setState: (s: AppState) => void;
}) {
  const [dialog, ask] = useConfirm();
  const t = useT();
  // A control shows the setting as the worker saved it: a failed save puts it back, and says
  // why under the controls it came from.
  const [failed, setFailed] = useState<{ where: 'lock' | 'language'; message: string } | null>(
    null,
  );
  const save = (s: Partial<SettingsT>) => {
    const where = s.language === undefined ? 'lock' : 'language';
    setFailed(null);
    void saveSettings(s, state, setState).catch((err) =>
      setFailed({ where, message: t(messageOf(err)) }),
    );
  };
  const failure = (where: 'lock' | 'language') =>
    failed?.where === where && (
      <p className="error" role="alert">
        {failed.message}
      </p>
    );
  return (
    <section className="panel settings" aria-label={t('Settings')}>
      <h2>{t('Settings')}</h2>
      <h3>{t('Server')}</h3>
      <p>
        <code>{state.serverUrl}</code> · {state.email}
      </p>
      <h3>{t('Lock')}</h3>
      <label>
        {t('Lock after')}{' '}
        <select
          name="lockMinutes"
          value={state.settings.lockMinutes}
          onChange={(e) => save({ lockMinutes: Number(e.target.value), lockSeconds: null })}
        >
          {[1, 5, 15, 30, 60, 240, 0].map((m) => (
            <option key={m} value={m}>
              {m === 0
                ? t('Never')
                : m % 60 === 0
                  ? t('{n, plural, one {# hour} other {# hours}}', { n: m / 60 })
                  : t('{n, plural, one {# minute} other {# minutes}}', { n: m })}
            </option>
          ))}
        </select>
      </label>
      <label className="inline">
        <input
          type="checkbox"
          checked={state.settings.lockOnIdle}
          onChange={(e) => save({ lockOnIdle: e.target.checked })}
        />{' '}
        {t('Lock when the computer is idle or locked')}
      </label>
      <label className="inline">
        <input
          type="checkbox"
          name="lockOnRestart"
          checked={state.settings.lockOnRestart}
          onChange={(e) => save({ lockOnRestart: e.target.checked })}
        />{' '}
        {t('Lock when the browser restarts')}
      </label>
      {!state.settings.lockOnRestart && (
        <p className="muted small">
          {t(
            'The unlocked key is kept sealed by a key this browser profile cannot export; anyone with this profile can open the vault until it locks.',
          )}
        </p>
      )}
      {failure('lock')}
      <h3>{t('Language')}</h3>
      <select
        aria-label={t('Language')}
        value={state.settings.language ?? ''}
        onChange={(e) => save({ language: (e.target.value || null) as SettingsT['language'] })}
      >
        <option value="">{t('Browser default')}</option>
        <option value="en">English</option>
        <option value="es">Español</option>
      </select>
      {failure('language')}
      <DeviceName state={state} setState={setState} />
      <AutofillSettings state={state} setState={setState} />
      <Pin state={state} setState={setState} />
      <Passkeys setState={setState} />
      <TwoStep />
      <Sessions />
      <ChangePassword setState={setState} email={state.email ?? ''} />
      <RecoveryKits state={state} />
      <RotateKey state={state} setState={setState} />
      <h3>{t('This device')}</h3>
      {dialog}
      <button
        type="button"
        className="danger"
        onClick={async () => {
          const yes = await ask({
            title: t('Sign out and remove the vault from this browser?'),
            body:
              state.pending > 0
                ? t(
                    '{n, plural, one {# edit has} other {# edits have}} not reached the server yet and will be lost.',
                    { n: state.pending },
                  )
                : t('Everything is synced: sign in again to get it back.'),
            confirm: t('Sign out'),
            danger: true,
          });
          if (yes) setState(await call({ type: 'signOut' }));
        }}
      >
        {t('Sign out and remove local data')}
      </button>
    </section>
  );
}

function Pin({ state, setState }: { state: AppState; setState: (s: AppState) => void }) {
  const t = useT();
  const [pin, setPin] = useState('');
  const [run, view] = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(
      async () => setState(await call({ type: 'setPin', pin })),
      t('PIN set. 5 wrong tries erase it.'),
    ).then(() => setPin(''));
  };
  return (
    <>
      <h3>{t('PIN')}</h3>
      {state.hasPin ? (
        <button
          type="button"
          onClick={() =>
            void run(async () => setState(await call({ type: 'removePin' })), t('PIN removed.'))
          }
        >
          {t('Remove PIN')}
        </button>
      ) : (
        <form onSubmit={submit} className="input-row">
          <input
            name="new-pin"
            type="password"
            inputMode="numeric"
            pattern="\d{4,12}"
            placeholder={t('4 to 12 digits')}
            value={pin}
            onChange={(e) => setPin(e.target.value)}
            aria-label={t('New PIN')}
          />
          <button type="submit" disabled={!/^\d{4,12}$/.test(pin)}>
            {t('Set PIN')}
          </button>
        </form>
      )}
      {view}
    </>
  );
}

function Passkeys({ setState }: { setState: (s: AppState) => void }) {
  const t = useT();
  const [list, setList] = useState<Responses['listPasskeys'] | null>(null);
  const [run, view] = useAction();
  const load = useCallback(
    () => void call({ type: 'listPasskeys' }).then(setList, () => setList([])),
    [],
  );
  useEffect(load, [load]);
  const add = () =>
    run(async () => {
      const { options, prfSalt } = await call({ type: 'passkeyRegistrationOptions' });
      const { response, prfOutput } = await createPasskey(options, prfSalt);
      setState(
        await call({
          type: 'registerPasskey',
          name: t('Passkey on this device'),
          response,
          prfOutput,
          prfSalt,
        }),
      );
      load();
    }, t('Passkey added: you can unlock with it, even offline.'));
  return (
    <>
      <h3>{t('Passkeys')}</h3>
      <ul className="plain">
        {list?.map((p) => (
          <li key={p.id} data-testid="passkey">
            {p.name} {p.here && <span className="tag ok">{t('unlocks this device')}</span>}{' '}
            {!p.hasPrf && <span className="tag warn">{t('no PRF')}</span>}
            <button
              type="button"
              className="link"
              onClick={() =>
                void run(async () => {
                  setState(await call({ type: 'removePasskey', id: p.id }));
                  load();
                }, t('Passkey removed.'))
              }
            >
              {t('Remove')}
            </button>
          </li>
        ))}
        {list === null && <li className="muted">…</li>}
      </ul>
      <button type="button" onClick={() => void add()}>
        {t('Add a passkey')}
      </button>
      {view}
    </>
  );
}

function DeviceName({ state, setState }: { state: AppState; setState: (s: AppState) => void }) {
  const t = useT();
  const [name, setName] = useState(state.deviceName ?? '');
  const [run, view] = useAction();
  return (
    <form
      className="card-form"
      onSubmit={(e) => {
        e.preventDefault();
        void run(
          async () => setState(await call({ type: 'renameDevice', name })),
          t('Device renamed.'),
        );
      }}
    >
      <h3>{t('This device’s name')}</h3>
      <span className="input-row">
        <input
          name="device-name"
          aria-label={t('This device’s name')}
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit" disabled={!name.trim() || name === state.deviceName}>
          {t('Rename')}
        </button>
      </span>
      <p className="muted small">
        {t('Shown in the list of devices and on the side of a conflict this device wrote.')}
      </p>
      {view}
    </form>
  );
}

function Sessions() {
  const t = useT();
  const [list, setList] = useState<Responses['listSessions'] | null>(null);
  const [run, view] = useAction();
  const [dialog, ask] = useConfirm();
  const load = useCallback(
    () => void call({ type: 'listSessions' }).then(setList, () => setList(null)),
    [],
  );
  useEffect(load, [load]);
  const remove = async (s: Responses['listSessions'][number]) => {
    const yes = await ask({
      title: t('Remove “{name}” from your account?', { name: s.deviceName }),
      body: t(
        'It is signed out now. The next time it reaches the server it locks and erases its copy of the vault and its keys. Edits it has not synced are lost.',
      ),
      confirm: t('Remove device'),
      danger: true,
    });
    if (!yes) return;
    await run(async () => {
      await call({ type: 'revokeSession', id: s.id });
      load();
    }, t('Device removed.'));
  };
  return (
    <>
      <h3>{t('Devices and sessions')}</h3>
      {dialog}
      <table className="report">
        <tbody>
          {list?.map((s) => (
            <tr key={s.id} data-testid="session">
              <td>
                {s.deviceName || t('Unnamed device')}{' '}
                {s.current && <span className="tag ok">{t('this device')}</span>}
                <span className="muted small block">
                  {t('Signed in {date}', { date: t.date(s.createdAt) })} ·{' '}
                  {t('last seen {date}', { date: t.dateTime(s.lastSeenAt) })}
                </span>
              </td>
              <td>
                {!s.current && (
                  <button
                    type="button"
                    className="link danger"
                    aria-label={t('Remove {name}', { name: s.deviceName })}
                    onClick={() => void remove(s)}
                  >
                    {t('Remove')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list === null && (
        <p className="muted small">{t('Sessions are shown when the server is reachable.')}</p>
      )}
      {view}
    </>
  );
}
