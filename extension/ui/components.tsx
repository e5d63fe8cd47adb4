// Pieces the popup, the vault page and the inline menu share: the sync badge, the unlock panel,
// copying with a 30-second clipboard clear, an item row, and the "fill here?" question.
import { type FormEvent, type MouseEvent, useEffect, useState } from 'react';
import type { AppState, FillQuestion, ItemSummary, ItemVault } from '../messages.ts';
import { call, messageOf } from './api.ts';
import { useConfirm } from './dialogs.tsx';
import { useT } from './i18n.ts';
import { Icon, type IconName } from './icons.tsx';
import { LockedAccountCode, SecondStepForm, typedFactor } from './second-step.tsx';
import { forgetSiteIcon, knownSiteIcon, siteIcon, siteLetter } from './site-icon.ts';
import type { RowPlacement } from './virtual-list.tsx';
import { unlockWithPasskey } from './webauthn.ts';

export const CLIPBOARD_CLEAR_MS = 30_000;

export async function copySecret(text: string) {
  await navigator.clipboard.writeText(text);
  await call({ type: 'clearClipboardLater', ms: CLIPBOARD_CLEAR_MS });
}

export function SyncBadge({ state }: { state: AppState }) {
  const t = useT();
  const s = state.sync;
  const [label, tone, title] =
    s.kind === 'syncing'
      ? [
          s.pulled > 0
            ? t('Syncing… {n, plural, one {# item} other {# items}}', { n: s.pulled })
            : t('Syncing…'),
          'busy',
          '',
        ]
      : s.kind === 'offline'
        ? [
            t('Offline · {n, plural, one {# pending} other {# pending}}', { n: s.pending }),
            'warn',
            t('Edits are kept here and sent when the server is back.'),
          ]
        : s.kind === 'error'
          ? [t('Sync error'), 'bad', t(s.reason)]
          : state.pending > 0
            ? [
                t('{n, plural, one {# pending} other {# pending}}', { n: state.pending }),
                'busy',
                '',
              ]
            : [t('Synced'), 'ok', s.at ? t.time(s.at) : ''];
  return (
    <span
      className={`badge badge-${tone}`}
      data-testid="sync-status"
      data-kind={s.kind}
      title={title}
      role="status"
    >
      {label}
      {s.kind === 'error' && <span className="badge-reason"> — {t(s.reason)}</span>}
    </span>
  );
}

/**
 * What syncing found out about the server, in sentences: copies set aside because they failed
 * their check, a checkpoint of another device that disagrees with this vault, keys refused.
 * Nothing when all is well.
 */
export function TrustNotice({ state }: { state: AppState }) {
  const t = useT();
  const trust = state.trust;
  if (!trust) return null;
  const lines: string[] = [];
  if (trust.setAside === 1)
    lines.push(
      t(
        'The server sent an item that failed its check. It was set aside: this device kept its own copy.',
      ),
    );
  else if (trust.setAside > 1)
    lines.push(
      t(
        'The server sent {n} items that failed their check. They were set aside: this device kept its own copies.',
        { n: trust.setAside },
      ),
    );
  if (trust.integrity === 'mismatch' && trust.detail)
    lines.push(
      t(
        'The server may be hiding or rolling back items: this vault ({ours} items) differs from the one another device sealed at {at} ({theirs} items).',
        {
          ours: trust.detail.ours,
          theirs: trust.detail.theirs,
          at: t.dateTime(trust.detail.at),
        },
      ),
    );
  if (trust.warning) lines.push(t(trust.warning));
  if (lines.length === 0) return null;
  return (
    <div className="trust" role="alert" data-testid="trust-notice">
      {lines.map((l) => (
        <p key={l}>{l}</p>
      ))}
    </div>
  );
}

export function UnlockPanel({ state, onDone }: { state: AppState; onDone: (s: AppState) => void }) {
  const t = useT();
  const [chosen, setMode] = useState<'password' | 'pin'>(state.hasPin ? 'pin' : 'password');
  // A PIN erased by too many wrong tries leaves the master password as the way in.
  const mode = state.hasPin ? chosen : 'password';
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [dialog, ask] = useConfirm();

  async function run(fn: () => Promise<AppState>) {
    setBusy(true);
    setError('');
    try {
      onDone(await fn());
    } catch (e) {
      setValue('');
      // What the failure changed (a PIN erased, tries left) shows at once.
      const next = await call({ type: 'getState' }).catch(() => state);
      setError(
        (e as { code?: string }).code === 'WRONG_PIN'
          ? t('Wrong PIN. {n, plural, one {# try} other {# tries}} left.', {
              n: next.pinTriesLeft,
            })
          : t(messageOf(e)),
      );
      onDone(next);
    } finally {
      setBusy(false);
    }
  }
  async function signOut() {
    const yes = await ask({
      title: t('Sign out and remove the vault from this browser?'),
      body: t(
        'Edits not yet synced are lost. Sign in again with your master password, or recover the account with a recovery kit.',
      ),
      confirm: t('Sign out'),
      danger: true,
    });
    if (yes) onDone(await call({ type: 'signOut' }));
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!value) return;
    void run(() =>
      mode === 'pin'
        ? call({ type: 'unlockPin', pin: value })
        : call({ type: 'unlockPassword', password: value }),
    );
  };
  const passkey = () =>
    run(async () => {
      const { credentialId, prfOutput } = await unlockWithPasskey(state.unlockPasskeys);
      return call({ type: 'unlockPasskey', credentialId, prfOutput });
    });

  return (
    <>
      {dialog}
      <form className="unlock" onSubmit={submit}>
        <h1 className="unlock-title">{t('Vault locked')}</h1>
        <p className="muted">{state.email}</p>
        <SecretFields
          state={state}
          mode={mode}
          setMode={setMode}
          value={value}
          setValue={setValue}
          busy={busy}
          error={error}
          submit={busy ? t('Unlocking…') : t('Unlock')}
          passkeyLabel={t('Unlock with passkey')}
          onPasskey={passkey}
        />
        <p className="small muted unlock-foot">
          {t('Forgot the master password?')}{' '}
          <button type="button" className="link" onClick={() => void signOut()}>
            {t('Sign out')}
          </button>
        </p>
      </form>
    </>
  );
}

/**
 * The master password or PIN field (switchable when a PIN is set), its error, the submit button
 * and the unlock passkey: unlocking, and proving it is you again for a site that asks.
 */
export function SecretFields({
  state,
  mode,
  setMode,
  value,
  setValue,
  busy,
  error,
  submit,
  passkeyLabel,
  onPasskey,
}: {
  state: AppState;
  mode: 'password' | 'pin';
  setMode: (m: 'password' | 'pin') => void;
  value: string;
  setValue: (v: string) => void;
  busy: boolean;
  error: string;
  submit: string;
  passkeyLabel: string;
  onPasskey: () => void;
}) {
  const t = useT();
  return (
    <>
      <label>
        {mode === 'pin' ? t('PIN') : t('Master password')}
        <input
          type="password"
          name={mode}
          autoFocus
          inputMode={mode === 'pin' ? 'numeric' : undefined}
          autoComplete="current-password"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          disabled={busy}
        />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy || !value}>
        {submit}
      </button>
      <div className="row">
        {state.hasPin && (
          <button
            type="button"
            className="link"
            onClick={() => setMode(mode === 'pin' ? 'password' : 'pin')}
          >
            {mode === 'pin' ? t('Use master password') : t('Use PIN')}
          </button>
        )}
        {state.unlockPasskeys.length > 0 && (
          <button type="button" className="link" onClick={onPasskey} disabled={busy}>
            {passkeyLabel}
          </button>
        )}
      </div>
    </>
  );
}

const ICON: Record<ItemSummary['type'], IconName> = {
  login: 'key',
  note: 'note',
  card: 'card',
  identity: 'identity',
  folder: 'folder',
  generated: 'dice',
  contact: 'identity',
  'vault-pin': 'folder',
  'vault-settings': 'folder',
};

/** A login's site icon from the browser's cache, else its letter; other items their type's icon. */
const ICON_DELAY_MS = 150;

function ItemIcon({ item }: { item: ItemSummary }) {
  const site = item.site;
  // undefined while the browser is asked, then the icon's URL or null (none cached).
  const [src, setSrc] = useState(() => (site ? knownSiteIcon(site) : undefined));
  useEffect(() => {
    if (!site) return;
    const now = knownSiteIcon(site);
    setSrc(now);
    if (now !== undefined) return;
    // Asked once the row has stayed a moment: rows that flash past while the person types or
    // scrolls cost no lookups (each is two fetches and a hash on the page's thread).
    let live = true;
    let asked = false;
    const ask = setTimeout(() => {
      asked = true;
      void siteIcon(site).then((url) => live && setSrc(url));
    }, ICON_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(ask);
      if (asked) forgetSiteIcon(site);
    };
  }, [site]);
  if (!site)
    return (
      <span className={`item-icon t-${item.type}`}>
        <Icon name={ICON[item.type]} size={18} />
      </span>
    );
  return (
    <span className={`item-icon t-${item.type} site`} data-testid="site-icon">
      {src ? (
        <img src={src} alt="" width={20} height={20} />
      ) : src === null ? (
        // Drawn by CSS from the attribute: not part of the row's name or text.
        <span className="letter" aria-hidden="true" data-letter={siteLetter(site, item.name)} />
      ) : null}
    </span>
  );
}

export function ItemRow({
  item,
  selected,
  onOpen,
  actions,
  placement,
}: {
  item: ItemSummary;
  selected?: boolean;
  onOpen: () => void;
  actions?: React.ReactNode;
  /** Its place in a virtual list (position, size, measuring). */
  placement?: RowPlacement;
}) {
  return (
    <li
      {...placement}
      className={`item-row${selected ? ' selected' : ''}`}
      aria-current={selected ? 'true' : undefined}
      data-testid="item-row"
      data-name={item.name}
    >
      <button type="button" className="item-main" onClick={onOpen}>
        <ItemIcon item={item} />
        <span className="item-text">
          <span className="item-name">
            {item.favorite && <Icon name="star" size={12} />}
            {item.name}
            {item.conflicts > 0 && (
              <span className="tag warn">
                {' '}
                <Icon name="warn" size={11} /> {item.conflicts}
              </span>
            )}
          </span>
          <span className="item-sub">{item.subtitle}</span>
        </span>
        {item.vault && <VaultTag vault={item.vault} />}
      </button>
      {actions}
    </li>
  );
}

/** The shared vault an item is in, named (and "view only" for a role that cannot change it). */
export function VaultTag({ vault }: { vault: ItemVault }) {
  const t = useT();
  return (
    <span className="tag vault-tag" data-testid="vault-tag">
      <Icon name="users" size={11} /> {vault.name ?? t('Shared vault')}
      {vault.readOnly && <span className="sr-only"> ({t('view only')})</span>}
    </span>
  );
}

/** Shown when the server ended this device's session: sign in again, keeping local edits. */
export function SignInAgain({ state, onDone }: { state: AppState; onDone: (s: AppState) => void }) {
  const t = useT();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [locked, setLocked] = useState(false);
  const [code, setCode] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      onDone(
        await call({
          type: 'reauthenticate',
          password,
          ...(locked && code.trim() ? { secondFactor: typedFactor(code) } : {}),
        }),
      );
      setPassword('');
    } catch (err) {
      if ((err as { code?: string }).code === 'account-locked') setLocked(true);
      setError(t(messageOf(err)));
    } finally {
      setBusy(false);
    }
  };
  if (state.secondStep?.purpose === 'sign-in-again')
    return <SecondStepForm step={state.secondStep} onDone={onDone} onGone={setError} />;
  return (
    <form className="reauth" onSubmit={submit} aria-label={t('Sign in again')}>
      <p className="small">
        {t('Your edits are kept on this device. Sign in again to sync them.')}
      </p>
      <input
        type="password"
        name="reauth-password"
        aria-label={t('Master password')}
        placeholder={t('Master password')}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      {locked && <LockedAccountCode code={code} setCode={setCode} />}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy || !password}>
        {t('Sign in again')}
      </button>
    </form>
  );
}

/** Asks before a fill that needs a yes: a frame from another origin, or an http page. */
export function FillQuestionPanel({
  q,
  className,
  onFill,
  onCancel,
  passkey = false,
}: {
  q: FillQuestion;
  className: string;
  onFill: (e: MouseEvent) => void;
  onCancel: () => void;
  /** The question is before signing in with a passkey, not before a fill. */
  passkey?: boolean;
}) {
  const t = useT();
  return (
    <div className={className} role="alertdialog" aria-labelledby="fill-q">
      <p id="fill-q">
        {passkey
          ? t(
              'This sign-in is in a frame from {frame}, inside {top}. Sign in there with a passkey?',
              {
                frame: q.frameOrigin,
                top: q.topOrigin || t('another site'),
              },
            )
          : q.ask.includes('crossOrigin')
            ? t('This form is in a frame from {frame}, inside {top}. Fill it there?', {
                frame: q.frameOrigin,
                top: q.topOrigin || t('another site'),
              })
            : t('{origin} is not secure (http). Fill it anyway?', { origin: q.frameOrigin })}
      </p>
      <div className="menu-actions">
        <button type="button" className="primary" onClick={onFill}>
          {passkey ? t('Sign in') : t('Fill')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('Cancel')}
        </button>
      </div>
    </div>
  );
}
