// Sharing on the vault page (issue 17): invitations to answer, a shared vault's members and
// invitations, the safety-number comparison that makes a member trusted, roles, removal, leaving
// and deleting, and moving or copying items between vaults. Every rule is the worker's
// (worker/sharing-handlers.ts, shared/sharing/); these screens say what it answered.
import QRCode from 'qrcode';
import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ItemSummary, Responses } from '../../messages.ts';
import { call, messageOf, UiError, useWorkerEvents } from '../api.ts';
import { useConfirm } from '../dialogs.tsx';
import { msg, useT } from '../i18n.ts';
import { Icon } from '../icons.tsx';

type Role = 'owner' | 'manager' | 'editor' | 'viewer';
type VaultList = Responses['vaultList'];
type Members = Responses['vaultMembers'];

export const ROLE_LABEL: Record<Role, string> = {
  owner: msg('Owner'),
  manager: msg('Manager'),
  editor: msg('Editor'),
  viewer: msg('Viewer'),
};
const ROLE_HINT: Record<Exclude<Role, 'owner'>, string> = {
  manager: msg('sees and changes items, invites and removes people'),
  editor: msg('sees and changes items'),
  viewer: msg('sees and copies items, changes nothing'),
};

/** Runs `fn` now, or once more after the run in flight: never two at a time. */
function coalesced(fn: () => Promise<unknown>): () => void {
  let running = false;
  let again = false;
  const run = () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    void fn().finally(() => {
      running = false;
      if (again) {
        again = false;
        run();
      }
    });
  };
  return run;
}

/** The shared vaults this device holds (no request), refreshed when the worker says so. */
export function useVaultList(): [VaultList | null, () => void] {
  const [list, setList] = useState<VaultList | null>(null);
  const load = useCallback(() => {
    call({ type: 'vaultList' }).then(setList, () => {});
  }, []);
  useEffect(load, [load]);
  useWorkerEvents(load, 'items');
  return [list, load];
}

/** A key-changed error says whose key and what to do; other errors say what they say. */
function KeyChangedWarning({
  about,
  onCompare,
}: {
  about: { userId: string; email: string };
  onCompare: () => void;
}) {
  const t = useT();
  return (
    <div className="alert-box bad" role="alert" data-testid="key-changed">
      <h3>
        <Icon name="warn" /> {t('The key of {email} changed', { email: about.email })}
      </h3>
      <p>
        {t(
          'The server now shows another key for {email} than the one you checked. Either they set up their account again, or someone is trying to read what you share. Nothing is shared with them until you compare the new safety number with them, in person or on a call you trust.',
          { email: about.email },
        )}
      </p>
      <button type="button" onClick={onCompare}>
        {t('Compare the new safety number')}
      </button>
    </div>
  );
}

/** 60 digits in 12 groups, large, in the order both people read them; and the same as a QR. */
export function SafetyNumber({ number, label }: { number: string; label: string }) {
  const t = useT();
  const [qr, setQr] = useState('');
  useEffect(() => {
    QRCode.toDataURL(`cofre-safety-number:${number.replaceAll(' ', '')}`, {
      errorCorrectionLevel: 'M',
      margin: 1,
      width: 180,
    }).then(setQr, () => setQr(''));
  }, [number]);
  const groups = number.split(' ');
  return (
    <div className="safety">
      <ol className="safety-digits" aria-label={label} data-testid="safety-number">
        {groups.map((g, i) => (
          // Read aloud group by group: each is its own list item, spaced digits for the ear.
          // biome-ignore lint/suspicious/noArrayIndexKey: the groups are fixed positions
          <li key={i} aria-label={g.split('').join(' ')}>
            {g}
          </li>
        ))}
      </ol>
      {qr && (
        <img
          className="safety-qr"
          src={qr}
          width={180}
          height={180}
          alt={t('The same safety number as a QR code, to scan from the other screen')}
        />
      )}
    </div>
  );
}

/** The comparison, in a modal: read it to them, or scan their screen; confirm only if equal. */
function CompareDialog({
  title,
  email,
  number,
  confirmLabel,
  onConfirm,
  onClose,
}: {
  title: string;
  email: string;
  number: string;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      className="modal compare"
      aria-labelledby="compare-title"
      data-testid="compare-dialog"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id="compare-title">{title}</h2>
      <p>
        {t(
          'Ask {email} to open this vault in Cofre on their own device. Read these numbers to each other, group by group — in person or on a call where you know their voice. They must be exactly the same on both screens.',
          { email },
        )}
      </p>
      <SafetyNumber number={number} label={t('Safety number with {email}', { email })} />
      <p className="muted small">
        {t(
          'Different numbers mean the server gave one of you a key that is not the other person’s: do not confirm, and tell them.',
        )}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="row modal-actions">
        <button type="button" autoFocus onClick={onClose}>
          {t('They are different')}
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            try {
              await onConfirm();
              onClose();
            } catch (e) {
              setError(messageOf(e));
            } finally {
              setBusy(false);
            }
          }}
        >
          {busy ? t('Confirming…') : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

type Compare = {
  title: string;
  email: string;
  number: string;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
};

/**
 * The comparison with a contact: their safety number from the worker (of the key served now when
 * `newKey`), and a confirmation that marks them verified (pinning the new key when `newKey`).
 */
async function contactComparison(
  t: ReturnType<typeof useT>,
  who: { userId: string; email: string },
  opts: { newKey?: boolean; after?: () => void } = {},
): Promise<Compare> {
  const newKey = opts.newKey ?? false;
  const n = await call({ type: 'safetyNumber', userId: who.userId, newKey });
  return {
    title: newKey
      ? t('Compare the new safety number with {email}', { email: who.email })
      : t('Compare safety numbers with {email}', { email: who.email }),
    email: who.email,
    number: n.safetyNumber,
    confirmLabel: newKey ? t('The numbers match: trust the new key') : t('The numbers match'),
    onConfirm: async () => {
      await call({
        type: 'verifyContact',
        userId: who.userId,
        safetyNumber: n.safetyNumber,
        newKey,
      });
      opts.after?.();
    },
  };
}

/** Invitations to answer, notices of what sharing did, and a button to make a shared vault. */
export function SharingInbox({
  onOpenVault,
  onOpenItem,
}: {
  onOpenVault: (vaultId: string) => void;
  onOpenItem: (id: string) => void;
}) {
  const t = useT();
  const [state, setState] = useState<Responses['sharingState'] | null>(null);
  const [error, setError] = useState('');
  const [compare, setCompare] = useState<Compare | null>(null);
  const [dialog, ask] = useConfirm();
  // Each load asks the server (vaults, invitations): a burst of worker events makes one more, not many.
  const load = useMemo(
    () =>
      coalesced(() =>
        call({ type: 'sharingState' }).then(
          (s) => {
            setState(s);
            setError('');
          },
          (e) => setError(messageOf(e)),
        ),
      ),
    [],
  );
  useEffect(load, [load]);
  useWorkerEvents(load);

  async function create() {
    const name = await ask({
      title: t('New shared vault'),
      body: t(
        'A vault you share with family or a team. Only the people you invite and confirm can open it; the server cannot.',
      ),
      confirm: t('Create'),
      input: { label: t('Vault name') },
    });
    if (typeof name !== 'string') return;
    try {
      const v = await call({ type: 'createVault', name });
      onOpenVault(v.vaultId);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  async function answer(id: string, accept: boolean, inviter: { userId: string; email: string }) {
    try {
      await call({ type: 'respondInvitation', id, accept });
      load();
      if (!accept) return;
      setCompare(await contactComparison(t, inviter));
    } catch (e) {
      setError(messageOf(e));
    }
  }

  const vaultName = (id: string) => state?.vaults.find((v) => v.vaultId === id)?.name ?? null;
  return (
    <section className="panel sharing" aria-labelledby="sharing-title">
      {dialog}
      {compare && <CompareDialog {...compare} onClose={() => setCompare(null)} />}
      <h2 id="sharing-title">
        <Icon name="users" /> {t('Sharing')}
      </h2>
      <button type="button" className="primary" onClick={() => void create()}>
        + {t('New shared vault')}
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {state && !state.online && (
        <p className="muted">
          {t('Offline: shared vaults open as last checked; invitations wait for the server.')}
        </p>
      )}
      {state && (state.rescued.length > 0 || state.lost.length > 0) && (
        <div className="alert-box warn" role="status" data-testid="sharing-notices">
          {state.rescued.map((r) => (
            <p key={r.to}>
              {t(
                'Your edit of “{name}” could not be saved in “{vault}”: your role there no longer allows changes. It was kept in your personal vault.',
                { name: r.name, vault: vaultName(r.vaultId) ?? t('a shared vault') },
              )}{' '}
              <button type="button" className="link" onClick={() => onOpenItem(r.to)}>
                {t('Open it')}
              </button>
            </p>
          ))}
          {state.lost.length > 0 && (
            <p>
              {t(
                '{n, plural, one {You no longer have access to a shared vault: its copy was removed from this device.} other {You no longer have access to # shared vaults: their copies were removed from this device.}}',
                { n: state.lost.length },
              )}
            </p>
          )}
          <button
            type="button"
            onClick={() => void call({ type: 'dismissSharedNews' }).then(load, () => {})}
          >
            {t('Dismiss')}
          </button>
        </div>
      )}
      {state && Object.keys(state.refused).length > 0 && (
        <div className="alert-box bad" role="alert">
          <h3>
            <Icon name="warn" /> {t('A shared vault failed its check')}
          </h3>
          {Object.entries(state.refused).map(([id, r]) => (
            <p key={id}>{r.message}</p>
          ))}
          <p className="small">
            {t(
              'Nothing of it is shown or written until it passes again. If a member’s key changed, compare the new safety number with them.',
            )}
          </p>
        </div>
      )}
      <h3>{t('Invitations to you')}</h3>
      {state && state.invitations.length === 0 && (
        <p className="muted">{t('No invitations waiting.')}</p>
      )}
      <ul className="plain-list">
        {state?.invitations.map((i) => (
          <li key={i.id} className="invite-row" data-testid="invitation">
            <span>
              {t('{email} invites you to a shared vault as {role}.', {
                email: i.inviter.email,
                role: t(ROLE_LABEL[i.role]).toLowerCase(),
              })}
              {i.status === 'accepted' && (
                <span className="muted small">
                  {' '}
                  {t('Accepted — waiting for {email} to confirm you.', { email: i.inviter.email })}
                </span>
              )}
            </span>
            {i.status === 'pending' ? (
              <span className="row">
                <button
                  type="button"
                  className="primary"
                  onClick={() => void answer(i.id, true, i.inviter)}
                >
                  {t('Accept')}
                </button>
                <button type="button" onClick={() => void answer(i.id, false, i.inviter)}>
                  {t('Decline')}
                </button>
              </span>
            ) : (
              <button
                type="button"
                onClick={() =>
                  void contactComparison(t, i.inviter).then(setCompare, (e) =>
                    setError(messageOf(e)),
                  )
                }
              >
                {t('Show safety number')}
              </button>
            )}
          </li>
        ))}
        {state?.refusedInvitations.map((r) => (
          <li key={r.id} className="invite-row">
            <span className="error">{r.message}</span>
          </li>
        ))}
      </ul>
      <h3>{t('Your shared vaults')}</h3>
      {state && state.vaults.length === 0 && (
        <p className="muted">{t('None yet. Create one, then invite people by email.')}</p>
      )}
      <ul className="plain-list">
        {state?.vaults.map((v) => (
          <li key={v.vaultId}>
            <button type="button" className="link" onClick={() => onOpenVault(v.vaultId)}>
              {v.name ?? t('Shared vault')}
            </button>{' '}
            <span className="muted small">
              {t(ROLE_LABEL[v.role])} ·{' '}
              {t('{n, plural, one {# member} other {# members}}', { n: v.members.length })}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** One shared vault: its members and invitations, and what its owner or managers may do. */
export function VaultManager({
  vaultId,
  meEmail,
  onShowItems,
  onMoveItems,
  onGone,
}: {
  vaultId: string;
  meEmail: string | null;
  /** Shows the vault's items in the list, logins only when `logins`. */
  onShowItems: (logins: boolean) => void;
  onMoveItems: () => void;
  onGone: () => void;
}) {
  const t = useT();
  const [data, setData] = useState<Members | null>(null);
  const [error, setError] = useState<{ text: string; about?: { userId: string; email: string } }>();
  const [done, setDone] = useState('');
  /** The sign-up code of the last invitation, shown once (only its hash stays on the server). */
  const [signup, setSignup] = useState<{
    email: string;
    code: string;
    expiresAt: string;
    mailed: boolean;
  } | null>(null);
  const [compare, setCompare] = useState<Compare | null>(null);
  const [removed, setRemoved] = useState<{
    email: string;
    couldSee: Array<{ id: string; name: string; type: string }>;
  } | null>(null);
  const [busy, setBusy] = useState('');
  const [dialog, ask] = useConfirm();
  const load = useMemo(
    () =>
      coalesced(() =>
        call({ type: 'vaultMembers', vaultId }).then(
          (d) => setData(d),
          (e) => setError(errorOf(e)),
        ),
      ),
    [vaultId],
  );
  useEffect(load, [load]);
  useWorkerEvents(load);

  const run = async (what: string, fn: () => Promise<unknown>, ok?: string) => {
    setError(undefined);
    setDone('');
    setBusy(what);
    try {
      await fn();
      if (ok) setDone(ok);
      load();
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setBusy('');
    }
  };

  if (!data)
    return (
      <section className="panel" aria-label={t('Shared vault')}>
        {error ? <p className="error">{error.text}</p> : <p className="muted">{t('Loading…')}</p>}
      </section>
    );
  const { vault, invitations } = data;
  const manages = vault.role === 'owner' || vault.role === 'manager';
  const name = vault.name ?? t('Shared vault');

  const compareNewKey = (about: { userId: string; email: string }) =>
    void run('compare', async () =>
      setCompare(
        await contactComparison(t, about, {
          newKey: true,
          after: () => {
            setError(undefined);
            load();
          },
        }),
      ),
    );

  const verify = (m: { userId: string; email: string | null }) =>
    void run('verify', async () =>
      setCompare(
        await contactComparison(t, { userId: m.userId, email: m.email ?? '' }, { after: load }),
      ),
    );

  const confirmInvitee = (i: Members['invitations'][number]) =>
    i.safetyNumber &&
    setCompare({
      title: t('Confirm {email}', { email: i.email }),
      email: i.email,
      number: i.safetyNumber,
      confirmLabel: t('The numbers match: confirm'),
      onConfirm: async () => {
        await call({
          type: 'confirmMember',
          vaultId,
          invitationId: i.id,
          safetyNumber: i.safetyNumber!,
        });
        setDone(t('{email} is now a member and can open “{name}”.', { email: i.email, name }));
        load();
      },
    });

  async function remove(m: { userId: string; email: string | null }) {
    const who = m.email ?? t('this member');
    const yes = await ask({
      title: t('Remove {email} from “{name}”?', { email: who, name }),
      body: t(
        'Their access ends now and the vault gets a new key. What they saw before stays known to them: change the passwords they could see.',
      ),
      confirm: t('Remove'),
      danger: true,
    });
    if (!yes) return;
    await run('remove', async () => {
      const r = await call({ type: 'removeMember', vaultId, userId: m.userId });
      setRemoved({ email: who, couldSee: r.couldSee.filter((i) => i.type !== 'vault-settings') });
    });
  }

  async function leave() {
    const yes = await ask({
      title: t('Leave “{name}”?', { name }),
      body: t(
        'Its items leave this device and your other devices. Edits not yet synced are kept in your personal vault.',
      ),
      confirm: t('Leave vault'),
      danger: true,
    });
    if (yes) await run('leave', () => call({ type: 'leaveVault', vaultId }).then(onGone));
  }

  async function destroy() {
    const typed = await ask({
      title: t('Delete “{name}” for everyone?', { name }),
      body: t(
        'Every item in it is deleted for all {n, plural, one {# member} other {# members}}. This cannot be undone. Type the vault’s name to confirm.',
        { n: vault.members.length },
      ),
      confirm: t('Delete vault'),
      danger: true,
      input: { label: t('Vault name') },
    });
    if (typeof typed !== 'string') return;
    if (typed !== (vault.name ?? '')) {
      setError({ text: t('The name typed is not the vault’s name: nothing was deleted.') });
      return;
    }
    await run('delete', () => call({ type: 'deleteVault', vaultId }).then(onGone));
  }

  async function rename() {
    const next = await ask({
      title: t('Rename vault'),
      confirm: t('Rename'),
      input: { label: t('Vault name'), value: vault.name ?? '' },
    });
    if (typeof next === 'string' && next !== vault.name)
      await run('rename', () => call({ type: 'renameVault', vaultId, name: next }));
  }

  const waiting = invitations.filter((i) => i.status === 'pending' || i.status === 'accepted');
  return (
    <section className="panel vault-manager" aria-labelledby="vault-title">
      {dialog}
      {compare && <CompareDialog {...compare} onClose={() => setCompare(null)} />}
      <header className="detail-head">
        <h2 id="vault-title">
          <Icon name="users" /> {name}
        </h2>
        <div className="row">
          <button type="button" onClick={() => onShowItems(false)}>
            {t('Show items')}
          </button>
          {vault.role !== 'viewer' && (
            <button type="button" onClick={onMoveItems}>
              {t('Add items…')}
            </button>
          )}
          {manages && (
            <button type="button" onClick={() => void rename()}>
              {t('Rename')}
            </button>
          )}
        </div>
      </header>
      <p className="muted">
        {t('Your role: {role} — {hint}.', {
          role: t(ROLE_LABEL[vault.role]),
          hint:
            vault.role === 'owner'
              ? t('everything, including deleting the vault')
              : t(ROLE_HINT[vault.role]),
        })}
      </p>
      {error?.about ? (
        <KeyChangedWarning about={error.about} onCompare={() => compareNewKey(error.about!)} />
      ) : (
        error && (
          <p className="error" role="alert">
            {error.text}
          </p>
        )
      )}
      {done && (
        <p className="ok" role="status">
          {done}
        </p>
      )}
      {busy === 'remove' && (
        <p className="muted" role="status">
          {t('Removing, and re-encrypting the vault under a new key…')}
        </p>
      )}
      {removed && (
        <div className="alert-box warn" data-testid="removed-notice">
          <h3>{t('{email} was removed', { email: removed.email })}</h3>
          <p>
            {t(
              'They could see {n, plural, one {# item} other {# items}}. Change the passwords among them: they may have copied them.',
              { n: removed.couldSee.length },
            )}
          </p>
          <ul className="plain-list small">
            {removed.couldSee.slice(0, 20).map((i) => (
              <li key={i.id}>{i.name}</li>
            ))}
            {removed.couldSee.length > 20 && (
              <li className="muted">{t('and {n} more', { n: removed.couldSee.length - 20 })}</li>
            )}
          </ul>
          <button type="button" className="primary" onClick={() => onShowItems(true)}>
            {t('Show these logins to change their passwords')}
          </button>
        </div>
      )}

      <h3>{t('Members')}</h3>
      <table className="members">
        <thead>
          <tr>
            <th scope="col">{t('Person')}</th>
            <th scope="col">{t('Role')}</th>
            <th scope="col">{t('Safety number')}</th>
            <th scope="col">
              <span className="sr-only">{t('Actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {vault.members.map((m) => {
            const self = m.email !== null && m.email === meEmail;
            return (
              <tr key={m.userId} data-testid="member" data-email={m.email ?? ''}>
                <td>
                  {m.email ?? t('(unknown)')} {self && <span className="muted">({t('you')})</span>}
                </td>
                <td>
                  {manages && m.role !== 'owner' && !self ? (
                    <select
                      aria-label={t('Role of {email}', { email: m.email ?? '' })}
                      value={m.role}
                      disabled={!!busy}
                      onChange={(e) =>
                        void run(
                          'role',
                          () =>
                            call({
                              type: 'changeRole',
                              vaultId,
                              userId: m.userId,
                              role: e.target.value as Exclude<Role, 'owner'>,
                            }),
                          t('{email} is now {role}.', {
                            email: m.email ?? '',
                            role: t(ROLE_LABEL[e.target.value as Role]).toLowerCase(),
                          }),
                        )
                      }
                    >
                      {(['manager', 'editor', 'viewer'] as const).map((r) => (
                        <option key={r} value={r}>
                          {t(ROLE_LABEL[r])}
                        </option>
                      ))}
                    </select>
                  ) : (
                    t(ROLE_LABEL[m.role])
                  )}
                </td>
                <td>
                  {self ? (
                    '—'
                  ) : error?.about?.userId === m.userId ? (
                    <span className="tag bad" data-testid="key-changed-tag">
                      <Icon name="warn" size={11} /> {t('Key changed')}
                    </span>
                  ) : m.verified ? (
                    <span className="tag ok">
                      <Icon name="check" size={11} /> {t('Verified')}
                    </span>
                  ) : (
                    <span className="row">
                      <span className="tag warn" data-testid="unverified">
                        {t('Not verified')}
                      </span>
                      <button type="button" className="link" onClick={() => verify(m)}>
                        {t('Compare')}
                      </button>
                    </span>
                  )}
                </td>
                <td>
                  {manages && m.role !== 'owner' && !self && (
                    <button
                      type="button"
                      className="danger"
                      disabled={!!busy}
                      onClick={() => void remove(m)}
                      aria-label={t('Remove {email}', { email: m.email ?? '' })}
                    >
                      {t('Remove')}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      {manages && (
        <>
          <h3>{t('Invite someone')}</h3>
          <InviteForm
            onInvite={(email, role) =>
              run(
                'invite',
                async () => {
                  setSignup(null);
                  const sent = await call({ type: 'inviteMember', vaultId, email, role });
                  if (sent.signupCode && sent.signupCodeExpiresAt)
                    setSignup({
                      email,
                      code: sent.signupCode,
                      expiresAt: sent.signupCodeExpiresAt,
                      mailed: !!sent.mailed,
                    });
                },
                t(
                  'Invitation sent to {email}. When they accept, compare safety numbers with them and confirm them here.',
                  { email },
                ),
              )
            }
          />
          {signup && (
            <div className="notice" role="status" data-testid="signup-code">
              <p>
                {t(
                  'If {email} has no account on this server yet, they need this invitation code to create one. It works once, for that address, until {date}:',
                  { email: signup.email, date: t.dateTime(signup.expiresAt) },
                )}
              </p>
              <p className="row">
                <code className="signup-code">{signup.code}</code>
                <button
                  type="button"
                  onClick={() => void navigator.clipboard.writeText(signup.code)}
                >
                  {t('Copy')}
                </button>
              </p>
              <p className="muted small">
                {signup.mailed
                  ? t('It was also sent to them by email.')
                  : t('This server sends no email: give them the code yourself.')}
              </p>
            </div>
          )}
          <h3>{t('Invitations')}</h3>
          {waiting.length === 0 && <p className="muted">{t('No invitations waiting.')}</p>}
          <ul className="plain-list">
            {waiting.map((i) => (
              <li key={i.id} className="invite-row" data-testid="sent-invitation">
                <span>
                  <strong>{i.email}</strong> · {t(ROLE_LABEL[i.role])} ·{' '}
                  {i.problem ? (
                    <span className="error">{i.problem.message}</span>
                  ) : i.status === 'accepted' ? (
                    <span className="tag warn">{t('Accepted — confirm them')}</span>
                  ) : (
                    <span className="muted">{t('Waiting for them to accept')}</span>
                  )}
                </span>
                <span className="row">
                  {i.status === 'accepted' && i.safetyNumber && !i.problem && (
                    <button type="button" className="primary" onClick={() => confirmInvitee(i)}>
                      {t('Compare and confirm')}
                    </button>
                  )}
                  <button
                    type="button"
                    onClick={() =>
                      void run('cancel', () => call({ type: 'cancelInvitation', id: i.id }))
                    }
                  >
                    {t('Cancel invitation')}
                  </button>
                </span>
              </li>
            ))}
          </ul>
        </>
      )}

      <h3>{t('Leave or delete')}</h3>
      <div className="row">
        {vault.role !== 'owner' && (
          <button type="button" className="danger" onClick={() => void leave()}>
            {t('Leave vault')}
          </button>
        )}
        {vault.role === 'owner' && (
          <button type="button" className="danger" onClick={() => void destroy()}>
            {t('Delete vault')}
          </button>
        )}
      </div>
    </section>
  );
}

function errorOf(e: unknown) {
  return e instanceof UiError && e.about
    ? { text: e.message, about: e.about }
    : { text: messageOf(e) };
}

function InviteForm({
  onInvite,
}: {
  onInvite: (email: string, role: Exclude<Role, 'owner'>) => Promise<void>;
}) {
  const t = useT();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Exclude<Role, 'owner'>>('editor');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!email.trim()) return;
    await onInvite(email.trim(), role);
    setEmail('');
  };
  return (
    <form className="row invite-form" onSubmit={(e) => void submit(e)}>
      <label>
        {t('Email')}
        <input
          type="email"
          name="invite-email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </label>
      <label>
        {t('Role')}
        <select
          name="invite-role"
          value={role}
          onChange={(e) => setRole(e.target.value as typeof role)}
        >
          {(['editor', 'viewer', 'manager'] as const).map((r) => (
            <option key={r} value={r}>
              {t(ROLE_LABEL[r])} — {t(ROLE_HINT[r])}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="primary">
        {t('Invite')}
      </button>
    </form>
  );
}

/**
 * Moves or copies items into another vault (or back to the personal one), in batches with
 * progress: items chosen from a list of the vault they leave.
 */
export function MoveItems({
  from,
  initial,
  vaults,
  onDone,
}: {
  /** The vault the items are in (null: personal). */
  from: string | null;
  /** Preselected item keys. */
  initial: string[];
  vaults: VaultList['vaults'];
  onDone: (to: string | null) => void;
}) {
  const t = useT();
  const targets = [
    ...(from ? [{ id: null as string | null, label: t('Personal vault') }] : []),
    ...vaults
      .filter((v) => !v.readOnly && v.id !== from)
      .map((v) => ({ id: v.id as string | null, label: v.name ?? t('Shared vault') })),
  ];
  const [to, setTo] = useState<string | null | undefined>(targets[0]?.id);
  const [query, setQuery] = useState('');
  const [items, setItems] = useState<ItemSummary[]>([]);
  const [chosen, setChosen] = useState(new Set(initial));
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    call({ type: 'listItems', query, vault: from ?? 'personal', limit: 500 }).then(
      (l) => setItems(l.items),
      (e) => setError(messageOf(e)),
    );
  }, [query, from]);

  async function go(copy: boolean) {
    if (to === undefined) return;
    const keys = [...chosen];
    setError('');
    setProgress({ done: 0, total: keys.length });
    try {
      for (let i = 0; i < keys.length; i += 50) {
        const batch = keys.slice(i, i + 50);
        if (copy)
          for (const key of batch) {
            const { body } = await call({ type: 'getItem', id: key });
            await call({
              type: 'saveItem',
              id: null,
              vaultId: to,
              body: { ...body, folderId: null } as Record<string, unknown>,
            });
          }
        else await call({ type: 'moveItems', ids: batch, from, to });
        setProgress({ done: Math.min(keys.length, i + 50), total: keys.length });
      }
      onDone(to);
    } catch (e) {
      setError(messageOf(e));
      setProgress(null);
    }
  }

  return (
    <section className="panel move-items" aria-labelledby="move-title">
      <h2 id="move-title">{t('Move or copy items')}</h2>
      {targets.length === 0 ? (
        <p className="muted">{t('No other vault you may add items to.')}</p>
      ) : (
        <label>
          {t('To')}
          <select
            name="move-to"
            value={to ?? ''}
            onChange={(e) => setTo(e.target.value === '' ? null : e.target.value)}
          >
            {targets.map((v) => (
              <option key={v.id ?? 'personal'} value={v.id ?? ''}>
                {v.label}
              </option>
            ))}
          </select>
        </label>
      )}
      <input
        type="search"
        aria-label={t('Search')}
        placeholder={t('Search')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <ul className="plain-list pick-list">
        {items.map((i) => (
          <li key={i.id}>
            <label className="inline">
              <input
                type="checkbox"
                checked={chosen.has(i.id)}
                onChange={(e) => {
                  const next = new Set(chosen);
                  if (e.target.checked) next.add(i.id);
                  else next.delete(i.id);
                  setChosen(next);
                }}
              />{' '}
              {i.name} <span className="muted small">{i.subtitle}</span>
            </label>
          </li>
        ))}
      </ul>
      {progress && (
        <div role="status">
          <progress value={progress.done} max={progress.total} />{' '}
          {t('{a} of {b}', { a: progress.done, b: progress.total })}
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="row">
        <button
          type="button"
          className="primary"
          disabled={chosen.size === 0 || to === undefined || !!progress}
          onClick={() => void go(false)}
        >
          {t('Move {n, plural, one {# item} other {# items}}', { n: chosen.size })}
        </button>
        <button
          type="button"
          disabled={chosen.size === 0 || to === undefined || !!progress}
          onClick={() => void go(true)}
        >
          {t('Copy {n, plural, one {# item} other {# items}}', { n: chosen.size })}
        </button>
      </div>
      <p className="muted small">
        {t(
          'Moving takes an item out of where it was, on every device; copying leaves it there too. Items arrive in no folder.',
        )}
      </p>
    </section>
  );
}
