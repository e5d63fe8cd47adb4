// One item: its fields with copy and reveal, a live TOTP code, the password history, and the
// conflicts to review — both values side by side: use the other one, keep the current, or both.
import { useEffect, useState } from 'react';
import type { RecordBody } from '../../../shared/model/item.ts';
import { call, messageOf } from '../api.ts';
import { copySecret } from '../components.tsx';
import { useT } from '../i18n.ts';
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
  'totp',
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
            aria-label={shown ? t('Hide') : t('Show')}
          >
            <Icon name={shown ? 'eyeOff' : 'eye'} />
          </button>
        )}
        <button
          type="button"
          title={t('Copy')}
          aria-label={t('Copy')}
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
  return code ? <Field label="TOTP" value={`${code.code}`} /> : null;
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v, null, 1));

export function ItemDetail({
  id,
  body,
  onEdit,
  onChanged,
}: {
  id: string;
  body: RecordBody;
  onEdit: () => void;
  onChanged: (id: string | null) => void;
}) {
  const t = useT();
  const [error, setError] = useState('');
  if (body.type === 'folder') return null;
  const run = async (fn: () => Promise<unknown>, next: string | null = id) => {
    try {
      setError('');
      await fn();
      onChanged(next);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const fields = Object.entries(body).filter(([k, v]) => !SKIP.has(k) && v !== null && v !== '');
  return (
    <article className="detail" aria-label={body.name}>
      <header className="detail-head">
        <h2>
          {body.favorite && <Icon name="star" />} {body.name}
        </h2>
        <div className="row">
          {body.trashedAt ? (
            <>
              <button
                type="button"
                onClick={() => run(() => call({ type: 'trashItem', id, restore: true }))}
              >
                {t('Restore')}
              </button>
              <button
                type="button"
                className="danger"
                onClick={() => run(() => call({ type: 'deleteForever', id }), null)}
              >
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
              <button
                type="button"
                className="danger"
                onClick={() => run(() => call({ type: 'trashItem', id }), null)}
              >
                {t('Move to trash')}
              </button>
            </>
          )}
        </div>
      </header>
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
          {body.conflicts.map((c, i) => (
            <div
              className="conflict"
              key={`${c.field}-${c.at}-${JSON.stringify(c.value)}`}
              data-testid="conflict"
            >
              <div className="conflict-values">
                <div>
                  <span className="field-label">
                    {t('Current')} · {c.field === '*' ? t('whole item') : t(c.field)}
                  </span>
                  <code data-testid="conflict-current">
                    {c.field === '*' ? body.name : show((body as Record<string, unknown>)[c.field])}
                  </code>
                </div>
                <div>
                  <span className="field-label">
                    {t('Other device')} · {new Date(c.at).toLocaleString()}
                  </span>
                  <code data-testid="conflict-other">{show(c.value)}</code>
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
          ))}
        </section>
      )}
      {fields.map(([k, v]) => (
        <Field key={k} id={k} label={t(LABEL[k] ?? k)} value={String(v)} secret={HIDDEN.has(k)} />
      ))}
      {body.type === 'login' && body.totp && <Totp id={id} />}
      {body.type === 'login' &&
        body.uris.map((u) => (
          <div className="field" key={u.uri}>
            <span className="field-label">
              {t('Website')} ({t(u.match)})
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
              label={new Date(h.changedAt).toLocaleString()}
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
      <p className="muted small">
        {t('Updated')} {new Date(body.updatedAt).toLocaleString()}
      </p>
    </article>
  );
}
