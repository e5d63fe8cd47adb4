// One item: its fields with copy and reveal, a live TOTP code, the password history, and the
// conflicts to review — both values side by side: use the other one, keep the current, or both.
import { useEffect, useState } from 'react';
import { isItem, type RecordBody } from '../../../shared/model/item.ts';
import type { ItemVault } from '../../messages.ts';
import { daysLeft } from '../../vault/trash.ts';
import { call, messageOf } from '../api.ts';
import { copySecret } from '../components.tsx';
import { type Toast, useConfirm } from '../dialogs.tsx';
import { MATCH_NAME, useT } from '../i18n.ts';
import { Icon } from '../icons.tsx';
import { LABEL } from './item-editor.tsx';

const HIDDEN = new Set(['password', 'code', 'number', 'ssn']);
const SKIP = new Set([
  'type',
  'name',
  'notes',
  'favorite',
  'folderId',
  'tags',
  'reprompt',
  'createdAt',
  'updatedAt',
  'conflicts',
  'trashedAt',
  'uris',
  'fields',
  'passwordHistory',
  'passkeys',
  'totp',
  'editedBy',
]);

function Field({
  id,
  label,
  value,
  secret,
}: {
  id?: string;
  label: string;
  value: string;
  secret?: boolean;
}) {
  const t = useT();
  const [shown, setShown] = useState(false);
  const [copied, setCopied] = useState(false);
  return (
    <div className="field" data-field={id ?? label}>
      <span className="field-label">{label}</span>
      <span className="field-value" data-testid={`value-${id ?? label}`}>
        {secret && !shown ? '••••••••••' : value}
      </span>
      <span className="field-actions">
        {secret && (
          <button
            type="button"
            onClick={() => setShown(!shown)}
            title={shown ? t('Hide') : t('Show')}
            aria-label={
              shown ? t('Hide {field}', { field: label }) : t('Show {field}', { field: label })
            }
            aria-pressed={shown}
          >
            <Icon name={shown ? 'eyeOff' : 'eye'} />
          </button>
        )}
        <button
          type="button"
          title={t('Copy')}
          aria-label={t('Copy {field}', { field: label })}
          onClick={() =>
            void copySecret(value).then(() => {
              setCopied(true);
              setTimeout(() => setCopied(false), 1_500);
            })
          }
        >
          <Icon name={copied ? 'check' : 'copy'} />
        </button>
      </span>
    </div>
  );
}

function Totp({ id }: { id: string }) {
  const [code, setCode] = useState<{ code: string; remaining: number } | null>(null);
  useEffect(() => {
    let live = true;
    const tick = () =>
      call({ type: 'totp', id }).then(
        (c) => live && setCode(c),
        () => {},
      );
    tick();
    const timer = setInterval(tick, 1_000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [id]);
  if (!code) return null;
  return (
    <div className="totp-row">
      <Field label="TOTP" value={code.code} />
      <TotpClock remaining={code.remaining} />
    </div>
  );
}

/** Seconds left of the code's 30-s period, as a ring that empties and a number. */
function TotpClock({ remaining, period = 30 }: { remaining: number; period?: number }) {
  const t = useT();
  const left = Math.max(0, Math.min(period, Math.round(remaining)));
  const r = 9;
  const c = 2 * Math.PI * r;
  return (
    <span
      className={`totp-clock${left <= 5 ? ' ending' : ''}`}
      data-testid="totp-remaining"
      data-remaining={left}
      title={t('{n, plural, one {# second} other {# seconds}} left', { n: left })}
    >
      <svg width="22" height="22" viewBox="0 0 22 22" aria-hidden="true">
        <circle cx="11" cy="11" r={r} className="totp-track" />
        <circle
          cx="11"
          cy="11"
          r={r}
          className="totp-left"
          strokeDasharray={c}
          strokeDashoffset={c * (1 - left / period)}
        />
      </svg>
      <span aria-hidden="true">{left}</span>
      <span className="sr-only">
        {t('{n, plural, one {# second} other {# seconds}} left', { n: left })}
      </span>
    </span>
  );
}

/** One side of a conflict; a password or card number masked until shown, like any field. */
function ConflictValue({
  testid,
  value,
  secret,
  label,
}: {
  testid: string;
  value: string;
  secret: boolean;
  label: string;
}) {
  const t = useT();
  const [shown, setShown] = useState(!secret);
  return (
    <span className="conflict-value">
      <code data-testid={testid}>{shown ? value : '••••••••••'}</code>
      {secret && (
        <button
          type="button"
          className="icon-button"
          aria-pressed={shown}
          aria-label={
            shown ? t('Hide {field}', { field: label }) : t('Show {field}', { field: label })
          }
          onClick={() => setShown(!shown)}
        >
          <Icon name={shown ? 'eyeOff' : 'eye'} />
        </button>
      )}
    </span>
  );
}

type Shown = { name?: string; value?: string; type?: string; uri?: string };
/** A value as a person reads it: custom fields and websites one per line, never raw JSON. */
const show = (v: unknown, field?: string) => {
  if (typeof v === 'string') return v;
  if (field === 'fields' && Array.isArray(v))
    return (v as Shown[]).map((f) => `${f.name}: ${f.value}`).join('\n') || '—';
  if (field === 'uris' && Array.isArray(v))
    return (v as Shown[]).map((u) => u.uri).join('\n') || '—';
  return JSON.stringify(v, null, 1);
};
/** Custom fields with a hidden one are masked in a conflict until shown, like a password. */
const hasHidden = (v: unknown) =>
  Array.isArray(v) && (v as Shown[]).some((f) => f.type === 'hidden');

export function ItemDetail({
  id,
  body,
  onEdit,
  onChanged,
  toast,
  deviceId,
  vault,
  onMove,
}: {
  id: string;
  body: RecordBody;
  /** The shared vault it is in (absent: personal); a read-only role hides every change. */
  vault?: ItemVault & { unverified?: number };
  /** Opens the move/copy screen for this item. */
  onMove?: () => void;
  onEdit: () => void;
  onChanged: (id: string | null) => void;
  toast: (t: Toast) => void;
  /** This device's id: the side of a conflict it wrote says "this device". */
  deviceId: string | null;
}) {
  const t = useT();
  const [error, setError] = useState('');
  const [dialog, ask] = useConfirm();
  if (!isItem(body)) return null;
  const name = body.name;
  const trash = () =>
    run(async () => {
      await call({ type: 'trashItem', id });
      toast({
        text: t('“{name}” moved to the trash.', { name }),
        undo: () =>
          call({ type: 'trashItem', id, restore: true }).then(
            () => onChanged(id),
            (e) => setError(messageOf(e)),
          ),
      });
    }, null);
  const deleteForever = async () => {
    const yes = await ask({
      title: t('Delete “{name}” forever?', { name }),
      body: t('It is deleted on every device. This cannot be undone.'),
      confirm: t('Delete forever'),
      danger: true,
    });
    if (yes) await run(() => call({ type: 'deleteForever', id }), null);
  };
  const run = async (fn: () => Promise<unknown>, next: string | null = id) => {
    try {
      setError('');
      await fn();
      onChanged(next);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  /** Who wrote a side of a conflict, and when: "This device · 2 Dec 2026, 14:05". */
  const side = (by: { device: string; name: string } | null, at: string | null) =>
    [
      by
        ? by.device === deviceId
          ? t('this device')
          : by.name || t('another device')
        : t('another device'),
      at ? t.dateTime(at) : '',
    ]
      .filter(Boolean)
      .join(' · ');
  // Fields a person typed: text and numbers (structured values have their own sections).
  const fields = Object.entries(body).filter(
    ([k, v]) => !SKIP.has(k) && (typeof v === 'string' ? v !== '' : typeof v === 'number'),
  );
  return (
    <article className="detail" aria-label={body.name}>
      <header className="detail-head">
        <h2>
          {body.favorite && <Icon name="star" />} {body.name}
        </h2>
        <div className="row">
          {vault?.readOnly ? (
            <span className="tag" data-testid="view-only">
              {t('View only')}
            </span>
          ) : body.trashedAt ? (
            <>
              <button
                type="button"
                onClick={() => run(() => call({ type: 'trashItem', id, restore: true }))}
              >
                {t('Restore')}
              </button>
              <button type="button" className="danger" onClick={() => void deleteForever()}>
                {t('Delete forever')}
              </button>
            </>
          ) : (
            <>
              <button
                type="button"
                onClick={() =>
                  run(() =>
                    call({ type: 'saveItem', id, body: { ...body, favorite: !body.favorite } }),
                  )
                }
              >
                {body.favorite ? t('Unfavourite') : t('Favourite')}
              </button>
              <button type="button" className="primary" onClick={onEdit}>
                {t('Edit')}
              </button>
              {onMove && (
                <button type="button" onClick={onMove}>
                  {vault ? t('Move or copy…') : t('Share…')}
                </button>
              )}
              <button type="button" className="danger" onClick={() => void trash()}>
                {t('Move to trash')}
              </button>
            </>
          )}
        </div>
      </header>
      {dialog}
      {vault && (
        <p className="scope-head small" data-testid="item-vault">
          <Icon name="users" />{' '}
          {vault.readOnly
            ? t(
                'In the shared vault “{vault}”. Your role there is viewer: you can see and copy this item, not change it.',
                { vault: vault.name ?? t('Shared vault') },
              )
            : t('In the shared vault “{vault}”: the people in it see your changes.', {
                vault: vault.name ?? t('Shared vault'),
              })}
          {(vault.unverified ?? 0) > 0 && (
            <span className="tag warn" data-testid="item-unverified">
              {t('{n, plural, one {# member} other {# members}} not verified', {
                n: vault.unverified ?? 0,
              })}
            </span>
          )}
        </p>
      )}
      {body.trashedAt && (
        <p className="notice small" data-testid="trash-notice">
          {t(
            'In the trash since {date}. It is deleted for good in {n, plural, one {# day} other {# days}}.',
            { date: t.date(body.trashedAt), n: daysLeft(body.trashedAt) },
          )}
        </p>
      )}
      {body.conflicts.length > 0 && (
        <section className="conflicts" aria-label={t('Conflicts to review')}>
          <h3>
            <Icon name="warn" /> {t('Conflicts to review')}
          </h3>
          <p className="muted small">
            {t(
              'Another device changed this item at the same time. Nothing was lost: choose what to keep.',
            )}
          </p>
          {body.conflicts.map((c, i) => {
            const field = c.field === '*' ? t('whole item') : t(LABEL[c.field] ?? c.field);
            const raw = (body as Record<string, unknown>)[c.field];
            const current = c.field === '*' ? body.name : show(raw, c.field);
            const secret =
              HIDDEN.has(c.field) ||
              (c.field === 'fields' && (hasHidden(raw) || hasHidden(c.value)));
            return (
              <div
                className="conflict"
                key={`${c.field}-${c.at}-${JSON.stringify(c.value)}`}
                data-testid="conflict"
                data-conflict-field={c.field}
              >
                <h4 className="conflict-field">{field}</h4>
                <div className="conflict-values">
                  <div>
                    <span className="field-label" data-testid="conflict-current-label">
                      {t('Current')} · {side(c.against?.by ?? null, c.against?.at ?? null)}
                    </span>
                    <ConflictValue
                      testid="conflict-current"
                      value={current}
                      secret={secret}
                      label={t('current {field}', { field })}
                    />
                  </div>
                  <div>
                    <span className="field-label" data-testid="conflict-other-label">
                      {t('Other')} · {side(c.by, c.at)}
                    </span>
                    <ConflictValue
                      testid="conflict-other"
                      value={show(c.value, c.field)}
                      secret={secret}
                      label={t('other {field}', { field })}
                    />
                  </div>
                </div>
                <div className="row">
                  <button
                    type="button"
                    onClick={() =>
                      run(() => call({ type: 'resolveConflict', id, index: i, action: 'use' }))
                    }
                  >
                    {t('Use other')}
                  </button>
                  <button
                    type="button"
                    onClick={() =>
                      run(() => call({ type: 'resolveConflict', id, index: i, action: 'dismiss' }))
                    }
                  >
                    {t('Keep current')}
                  </button>
                  <button
                    type="button"
                    onClick={() =>
                      run(() => call({ type: 'resolveConflict', id, index: i, action: 'keepBoth' }))
                    }
                  >
                    {t('Keep both')}
                  </button>
                </div>
              </div>
            );
          })}
        </section>
      )}
      {fields.map(([k, v]) => (
        <Field key={k} id={k} label={t(LABEL[k] ?? k)} value={String(v)} secret={HIDDEN.has(k)} />
      ))}
      {'fields' in body && body.fields.length > 0 && (
        <section className="custom-fields" aria-label={t('Custom fields')}>
          {body.fields.map((f, i) => {
            const key = `custom-${i}`;
            if (f.type === 'linked')
              return (
                <div className="field" data-field={key} key={key}>
                  <span className="field-label">{f.name}</span>
                  <span className="field-value muted" data-testid={`value-${key}`}>
                    {t('Same as {field}', { field: t(LABEL[f.value] ?? f.value) })}
                  </span>
                </div>
              );
            return (
              <Field
                key={key}
                id={key}
                label={f.name}
                value={f.type === 'boolean' ? (f.value === 'true' ? t('Yes') : t('No')) : f.value}
                secret={f.type === 'hidden'}
              />
            );
          })}
        </section>
      )}
      {body.type === 'login' && body.totp && <Totp id={id} />}
      {body.type === 'login' && body.passkeys.length > 0 && (
        <section className="passkeys" aria-label={t('Passkeys')}>
          {body.passkeys.map((p) => (
            <div className="field" key={p.credentialId} data-testid="passkey-row">
              <span className="field-label">{t('Passkey')}</span>
              <span className="field-value">
                {p.rpId} · {p.userName || p.userDisplayName || t('(no username)')}
                <span className="muted small">
                  {' '}
                  · {t('created {date}', { date: t.dateTime(p.createdAt) })}
                </span>
              </span>
              {!vault?.readOnly && (
                <span className="field-actions">
                  <button
                    type="button"
                    title={t('Delete passkey')}
                    aria-label={t('Delete the passkey for {site}', { site: p.rpId })}
                    onClick={async () => {
                      const yes = await ask({
                        title: t('Delete the passkey for {site}?', { site: p.rpId }),
                        body: t(
                          'It is deleted on every device. Unless the site has another way in, you cannot sign in to it with this passkey again.',
                        ),
                        confirm: t('Delete passkey'),
                        danger: true,
                      });
                      if (yes)
                        await run(() =>
                          call({ type: 'deleteSitePasskey', id, credentialId: p.credentialId }),
                        );
                    }}
                  >
                    <Icon name="trash" />
                  </button>
                </span>
              )}
            </div>
          ))}
        </section>
      )}
      {body.type === 'login' &&
        body.uris.map((u) => (
          <div className="field" key={u.uri}>
            <span className="field-label">
              {t('Website')} ({t(MATCH_NAME[u.match] ?? u.match)})
            </span>
            <a
              href={/^https?:/.test(u.uri) ? u.uri : `https://${u.uri}`}
              target="_blank"
              rel="noreferrer noopener"
            >
              {u.uri}
            </a>
          </div>
        ))}
      {body.notes && (
        <div className="field notes" data-field="notes">
          <span className="field-label">{t('Notes')}</span>
          <pre data-testid="value-notes">{body.notes}</pre>
        </div>
      )}
      {body.type === 'login' && body.passwordHistory.length > 0 && (
        <details className="history">
          <summary>{t('Password history ({n})', { n: body.passwordHistory.length })}</summary>
          {body.passwordHistory.map((h) => (
            <Field
              key={h.changedAt + h.password}
              label={t.dateTime(h.changedAt)}
              value={h.password}
              secret
            />
          ))}
        </details>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <p className="muted small">{t('Updated {date}', { date: t.dateTime(body.updatedAt) })}</p>
    </article>
  );
}
