// Create and edit any item type. The worker validates the item (zod) and stamps its times; a
// field error comes back as a sentence naming the field.
import { type FormEvent, useState } from 'react';
import { identityFields, type RecordBody } from '../../../shared/model/item.ts';
import { call, messageOf } from '../api.ts';
import { DEFAULT_PASSWORD, generatePassword } from '../generator.ts';
import { useT } from '../i18n.ts';
import { Icon } from '../icons.tsx';

type Kind = 'login' | 'note' | 'card' | 'identity';
type Draft = Record<string, unknown>;

const TEXT: Record<Kind, string[]> = {
  login: ['username', 'password', 'totp'],
  note: [],
  card: ['cardholderName', 'brand', 'number', 'expMonth', 'expYear', 'code'],
  identity: [...identityFields],
};
export const LABEL: Record<string, string> = {
  username: 'Username',
  password: 'Password',
  totp: 'Authenticator key (TOTP)',
  cardholderName: 'Cardholder name',
  brand: 'Brand',
  number: 'Card number',
  expMonth: 'Expiry month',
  expYear: 'Expiry year',
  code: 'Security code',
  title: 'Title',
  firstName: 'First name',
  middleName: 'Middle name',
  lastName: 'Last name',
  company: 'Company',
  email: 'Email',
  phone: 'Phone',
  address1: 'Address',
  address2: 'Address 2',
  city: 'City',
  state: 'State / province',
  postalCode: 'Postal code',
  country: 'Country',
  passportNumber: 'Passport number',
  licenseNumber: 'Licence number',
  ssn: 'National ID',
};
const SECRET = new Set(['password', 'code', 'number', 'ssn', 'totp']);
const NUMERIC = new Set(['expMonth', 'expYear']);

export function ItemEditor({
  id,
  initial,
  kind,
  folders,
  onSaved,
  onCancel,
}: {
  id: string | null;
  initial: RecordBody | null;
  kind: Kind;
  folders: Array<{ id: string; name: string }>;
  onSaved: (id: string) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const [d, setD] = useState<Draft>(() =>
    initial
      ? { ...initial }
      : {
          type: kind,
          name: '',
          notes: '',
          favorite: false,
          folderId: null,
          uris: kind === 'login' ? [{ uri: '', match: 'domain' }] : undefined,
        },
  );
  const [error, setError] = useState('');
  const type = d.type as Kind;
  const set = (k: string, v: unknown) => setD((x) => ({ ...x, [k]: v }));
  const uris = (d.uris as Array<{ uri: string; match: string }> | undefined) ?? [];

  async function save(e: FormEvent) {
    e.preventDefault();
    setError('');
    const body: Draft = { ...d };
    for (const k of TEXT[type]) {
      const v = body[k];
      if (NUMERIC.has(k)) body[k] = v === '' || v == null ? null : Number(v);
      else if (type !== 'login' || k === 'totp') body[k] = v === '' || v === undefined ? null : v;
    }
    if (type === 'login') body.uris = uris.filter((u) => u.uri.trim() !== '');
    if (type === 'card' && typeof body.number === 'string')
      body.number = body.number.replace(/[^0-9 ]/g, '');
    try {
      onSaved((await call({ type: 'saveItem', id, body })).id);
    } catch (err) {
      setError(messageOf(err));
    }
  }

  return (
    <form className="editor" onSubmit={save} aria-label={t('Edit item')}>
      <h2>{id ? t('Edit') : t('New {type}', { type: t(type) })}</h2>
      <label>
        {t('Name')}
        <input
          name="name"
          required
          autoFocus
          value={String(d.name ?? '')}
          onChange={(e) => set('name', e.target.value)}
        />
      </label>
      {TEXT[type].map((k) => (
        <label key={k}>
          {t(LABEL[k] ?? k)}
          <span className="input-row">
            <input
              name={k}
              type={SECRET.has(k) ? 'password' : NUMERIC.has(k) ? 'number' : 'text'}
              autoComplete="off"
              value={d[k] == null ? '' : String(d[k])}
              onChange={(e) => set(k, e.target.value)}
            />
            {k === 'password' && (
              <button
                type="button"
                title={t('Generate')}
                aria-label={t('Generate')}
                onClick={() => set('password', generatePassword(DEFAULT_PASSWORD).value)}
              >
                <Icon name="dice" />
              </button>
            )}
          </span>
        </label>
      ))}
      {type === 'login' && (
        <fieldset>
          <legend>{t('Websites')}</legend>
          {uris.map((u, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; position is their identity
            <span className="input-row" key={i}>
              <input
                name={`uri-${i}`}
                placeholder="https://example.com"
                value={u.uri}
                onChange={(e) =>
                  set(
                    'uris',
                    uris.map((x, j) => (j === i ? { ...x, uri: e.target.value } : x)),
                  )
                }
              />
              <select
                aria-label={t('Match')}
                value={u.match}
                onChange={(e) =>
                  set(
                    'uris',
                    uris.map((x, j) => (j === i ? { ...x, match: e.target.value } : x)),
                  )
                }
              >
                {['domain', 'host', 'startsWith', 'exact', 'regex', 'never'].map((m) => (
                  <option key={m} value={m}>
                    {t(m)}
                  </option>
                ))}
              </select>
              <button
                type="button"
                title={t('Remove')}
                aria-label={t('Remove')}
                onClick={() =>
                  set(
                    'uris',
                    uris.filter((_, j) => j !== i),
                  )
                }
              >
                ×
              </button>
            </span>
          ))}
          <button
            type="button"
            className="link"
            onClick={() => set('uris', [...uris, { uri: '', match: 'domain' }])}
          >
            + {t('Add website')}
          </button>
        </fieldset>
      )}
      <label>
        {t('Notes')}
        <textarea
          name="notes"
          rows={type === 'note' ? 10 : 3}
          value={String(d.notes ?? '')}
          onChange={(e) => set('notes', e.target.value)}
        />
      </label>
      <span className="input-row">
        <label className="inline">
          <input
            type="checkbox"
            name="favorite"
            checked={!!d.favorite}
            onChange={(e) => set('favorite', e.target.checked)}
          />{' '}
          {t('Favourite')}
        </label>
        <label className="inline">
          {t('Folder')}{' '}
          <select
            name="folder"
            value={String(d.folderId ?? '')}
            onChange={(e) => set('folderId', e.target.value || null)}
          >
            <option value="">{t('No folder')}</option>
            {folders.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </label>
      </span>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="row">
        <button type="submit" className="primary">
          {t('Save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('Cancel')}
        </button>
      </div>
    </form>
  );
}
