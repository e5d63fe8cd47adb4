// Create and edit any item type. The worker validates the item (zod) and stamps its times; a
// field error comes back as a sentence naming the field.
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import {
  type CustomFieldType,
  identityFields,
  type RecordBody,
} from '../../../shared/model/item.ts';
import { isValidTotp } from '../../../shared/model/totp.ts';
import { call, messageOf } from '../api.ts';
import { DEFAULT_PASSWORD, generatePassword } from '../generator.ts';
import { MATCH_NAME, msg, type Translate, TYPE_NAME, useT } from '../i18n.ts';
import { Icon } from '../icons.tsx';

type Kind = 'login' | 'note' | 'card' | 'identity';
type Draft = Record<string, unknown>;
interface DraftField {
  name: string;
  value: string;
  type: CustomFieldType;
}
const FIELD_KIND: Record<CustomFieldType, string> = {
  text: msg('Text'),
  hidden: msg('Hidden'),
  boolean: msg('Yes or no'),
  linked: msg('Linked'),
};

const TEXT: Record<Kind, string[]> = {
  login: ['username', 'password', 'totp'],
  note: [],
  card: ['cardholderName', 'brand', 'number', 'expMonth', 'expYear', 'code'],
  identity: [...identityFields],
};
export const LABEL: Record<string, string> = {
  username: msg('Username'),
  password: msg('Password'),
  totp: msg('Authenticator key (TOTP)'),
  cardholderName: msg('Cardholder name'),
  brand: msg('Brand'),
  number: msg('Card number'),
  expMonth: msg('Expiry month'),
  expYear: msg('Expiry year'),
  code: msg('Security code'),
  title: msg('Title'),
  firstName: msg('First name'),
  middleName: msg('Middle name'),
  lastName: msg('Last name'),
  company: msg('Company'),
  email: msg('Email'),
  phone: msg('Phone'),
  address1: msg('Address'),
  address2: msg('Address 2'),
  city: msg('City'),
  state: msg('State / province'),
  postalCode: msg('Postal code'),
  country: msg('Country'),
  passportNumber: msg('Passport number'),
  licenseNumber: msg('Licence number'),
  address3: msg('Address 3'),
  ssn: msg('National ID'),
  fields: msg('Custom fields'),
  uris: msg('Websites'),
};
const SECRET = new Set(['password', 'code', 'number', 'ssn', 'totp']);
const NUMERIC = new Set(['expMonth', 'expYear']);

/** A card's expiry year as typed: "27" is 2027, four digits are taken as they are. */
export function fullYear(v: unknown): number | null {
  const s = String(v ?? '').trim();
  if (!/^\d{2}$|^\d{4}$/.test(s)) return s === '' ? null : Number.NaN;
  const n = Number(s);
  return s.length === 2 ? 2000 + n : n;
}

/**
 * What is wrong with a draft, per field, in sentences of the UI's language (the worker checks
 * again with the schema; this is what a person reads next to the field).
 */
export function checkDraft(d: Record<string, unknown>, t: Translate): Record<string, string> {
  const out: Record<string, string> = {};
  if (!String(d.name ?? '').trim()) out.name = t('Give the item a name.');
  if (d.type === 'card') {
    const digits = String(d.number ?? '').replace(/[\s-]/g, '');
    if (digits && !/^\d{8,19}$/.test(digits)) out.number = t('A card number has 8 to 19 digits.');
    const code = String(d.code ?? '');
    if (code && !/^\d{3,4}$/.test(code)) out.code = t('A security code has 3 or 4 digits.');
  }
  const fields = (d.fields as DraftField[] | undefined) ?? [];
  fields.forEach((f, i) => {
    if (!f.name.trim() && f.value.trim()) out[`field-${i}`] = t('Give the field a name.');
  });
  if (d.type === 'login' && d.totp && !isValidTotp(String(d.totp)))
    out.totp = t('Paste the setup key (letters A–Z and 2–7) or an otpauth:// link.');
  return out;
}
export function ItemEditor({
  id,
  initial,
  kind,
  folders,
  onSaved,
  onCancel,
  onDirty,
  vaultId = null,
}: {
  id: string | null;
  initial: RecordBody | null;
  kind: Kind;
  folders: Array<{ id: string; name: string }>;
  /** A new item is made in this shared vault (null: the personal vault). */
  vaultId?: string | null;
  onSaved: (id: string) => void;
  onCancel: () => void;
  /** Told whether the draft differs from what was opened (leaving then asks first). */
  onDirty?: (dirty: boolean) => void;
}) {
  const t = useT();
  const shared = !!vaultId || !!id?.startsWith('shared:');
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
          fields: [],
        },
  );
  const [error, setError] = useState('');
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const [opened] = useState(() => JSON.stringify(d));
  useEffect(() => onDirty?.(JSON.stringify(d) !== opened), [d, opened, onDirty]);
  useEffect(() => () => onDirty?.(false), [onDirty]);
  const type = d.type as Kind;
  // A field's error goes as soon as the field changes: nothing stale stays on screen.
  const set = (k: string, v: unknown) => {
    setD((x) => ({ ...x, [k]: v }));
    setInvalid(({ [k]: _gone, ...rest }) =>
      k === 'fields'
        ? Object.fromEntries(Object.entries(rest).filter(([x]) => !x.startsWith('field-')))
        : rest,
    );
    setError('');
  };
  const sortedFolders = useMemo(
    () => [...folders].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true })),
    [folders],
  );
  const uris = (d.uris as Array<{ uri: string; match: string }> | undefined) ?? [];

  async function save(e: FormEvent) {
    e.preventDefault();
    setError('');
    const problems = checkDraft(d, t);
    setInvalid(problems);
    const first = Object.keys(problems)[0];
    if (first) {
      document.querySelector<HTMLElement>(`form.editor [name="${first}"]`)?.focus();
      return;
    }
    const body: Draft = { ...d };
    for (const k of TEXT[type]) {
      const v = body[k];
      if (k === 'expYear') body[k] = fullYear(v);
      else if (NUMERIC.has(k)) body[k] = v === '' || v == null ? null : Number(v);
      else if (type !== 'login' || k === 'totp') body[k] = v === '' || v === undefined ? null : v;
    }
    if (type === 'login') body.uris = uris.filter((u) => u.uri.trim() !== '');
    body.fields = ((d.fields as DraftField[] | undefined) ?? []).filter(
      (f) => f.name.trim() !== '' || f.value.trim() !== '',
    );
    if (type === 'card' && typeof body.number === 'string')
      body.number = body.number.replace(/[^0-9 ]/g, '');
    try {
      onSaved((await call({ type: 'saveItem', id, body, vaultId: id ? null : vaultId })).id);
    } catch (err) {
      setError(
        (err as { code?: string }).code === 'INVALID_ITEM'
          ? t('Cofre could not save this item: {detail}', { detail: messageOf(err) })
          : t(messageOf(err)),
      );
    }
  }

  return (
    <form className="editor" onSubmit={save} aria-label={t('Edit item')}>
      <h2>{id ? t('Edit') : t('New {type}', { type: t(TYPE_NAME[type] ?? type) })}</h2>
      <label>
        {t('Name')}
        <input
          name="name"
          autoFocus
          aria-invalid={invalid.name ? true : undefined}
          aria-describedby={invalid.name ? 'err-name' : undefined}
          value={String(d.name ?? '')}
          onChange={(e) => set('name', e.target.value)}
        />
        <FieldError id="name" text={invalid.name} />
      </label>
      {TEXT[type].map((k) =>
        k === 'expYear' ? null : k === 'expMonth' ? (
          <ExpiryPicker
            key={k}
            month={d.expMonth}
            year={d.expYear}
            invalid={invalid}
            onChange={set}
          />
        ) : (
          <label key={k}>
            {t(LABEL[k] ?? k)}
            <span className="input-row">
              <input
                name={k}
                type={SECRET.has(k) ? 'password' : 'text'}
                inputMode={NUMERIC.has(k) || k === 'code' || k === 'number' ? 'numeric' : undefined}
                autoComplete="off"
                aria-invalid={invalid[k] ? true : undefined}
                aria-describedby={invalid[k] ? `err-${k}` : undefined}
                value={d[k] == null ? '' : String(d[k])}
                onChange={(e) => set(k, e.target.value)}
              />
              {k === 'password' && (
                <button
                  type="button"
                  title={t('Generate a password')}
                  aria-label={t('Generate a password')}
                  onClick={() => {
                    const value = generatePassword(DEFAULT_PASSWORD).value;
                    set('password', value);
                    void remember(value, d);
                  }}
                >
                  <Icon name="dice" />
                </button>
              )}
            </span>
            <FieldError id={k} text={invalid[k]} />
          </label>
        ),
      )}
      <CustomFields
        type={type}
        fields={(d.fields as DraftField[] | undefined) ?? []}
        invalid={invalid}
        onChange={(fields) => set('fields', fields)}
      />
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
                    {t(MATCH_NAME[m] ?? m)}
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
        {/* Folders are the personal vault's own: a shared item is in none. */}
        {!shared && (
          <label className="inline">
            {t('Folder')}{' '}
            <select
              name="folder"
              value={String(d.folderId ?? '')}
              onChange={(e) => set('folderId', e.target.value || null)}
            >
              <option value="">{t('No folder')}</option>
              {sortedFolders.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </span>
      {(error || Object.keys(invalid).length > 0) && (
        <p className="error" role="alert">
          {error || t('Check the fields marked above.')}
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

/** Fields the person adds: a name, a kind, and a value (masked when hidden). */
function CustomFields({
  type,
  fields,
  invalid,
  onChange,
}: {
  type: Kind;
  fields: DraftField[];
  invalid: Record<string, string>;
  onChange: (fields: DraftField[]) => void;
}) {
  const t = useT();
  const linkable = TEXT[type].filter((k) => k !== 'expMonth' && k !== 'expYear');
  const change = (i: number, patch: Partial<DraftField>) =>
    onChange(fields.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  return (
    <fieldset className="custom-fields-editor">
      <legend>{t('Custom fields')}</legend>
      {fields.map((f, i) => {
        const label = f.name || t('field {n}', { n: i + 1 });
        const err = invalid[`field-${i}`];
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; position is their identity
          <div className="custom-field-row" key={i}>
            <span className="input-row">
              <input
                name={`field-${i}`}
                aria-label={t('Name of field {n}', { n: i + 1 })}
                placeholder={t('Field name')}
                aria-invalid={err ? true : undefined}
                aria-describedby={err ? `err-field-${i}` : undefined}
                value={f.name}
                onChange={(e) => change(i, { name: e.target.value })}
              />
              <select
                aria-label={t('Kind of {field}', { field: label })}
                value={f.type}
                onChange={(e) => {
                  const kind = e.target.value as CustomFieldType;
                  change(i, {
                    type: kind,
                    value:
                      kind === 'boolean'
                        ? f.value === 'true'
                          ? 'true'
                          : 'false'
                        : kind === 'linked'
                          ? (linkable[0] ?? '')
                          : f.type === 'boolean' || f.type === 'linked'
                            ? ''
                            : f.value,
                  });
                }}
              >
                {(Object.keys(FIELD_KIND) as CustomFieldType[])
                  .filter((k) => k !== 'linked' || linkable.length > 0 || f.type === 'linked')
                  .map((k) => (
                    <option key={k} value={k}>
                      {t(FIELD_KIND[k])}
                    </option>
                  ))}
              </select>
              {f.type === 'boolean' ? (
                <input
                  type="checkbox"
                  name={`field-${i}-value`}
                  aria-label={t('Value of {field}', { field: label })}
                  checked={f.value === 'true'}
                  onChange={(e) => change(i, { value: e.target.checked ? 'true' : 'false' })}
                />
              ) : f.type === 'linked' ? (
                <select
                  name={`field-${i}-value`}
                  aria-label={t('Value of {field}', { field: label })}
                  value={f.value}
                  onChange={(e) => change(i, { value: e.target.value })}
                >
                  {[...new Set([...linkable, f.value])].filter(Boolean).map((k) => (
                    <option key={k} value={k}>
                      {t(LABEL[k] ?? k)}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  name={`field-${i}-value`}
                  type={f.type === 'hidden' ? 'password' : 'text'}
                  autoComplete="off"
                  aria-label={t('Value of {field}', { field: label })}
                  placeholder={t('Value')}
                  value={f.value}
                  onChange={(e) => change(i, { value: e.target.value })}
                />
              )}
              <button
                type="button"
                title={t('Remove')}
                aria-label={t('Remove {field}', { field: label })}
                onClick={() => onChange(fields.filter((_, j) => j !== i))}
              >
                ×
              </button>
            </span>
            <FieldError id={`field-${i}`} text={err} />
          </div>
        );
      })}
      <button
        type="button"
        className="link"
        onClick={() => onChange([...fields, { name: '', value: '', type: 'text' }])}
      >
        + {t('Add a field')}
      </button>
    </fieldset>
  );
}

/**
 * A card's expiry as a month and a year chosen from lists (month names in the UI's language);
 * a stored year outside the usual range is still offered, so nothing imported is lost.
 */
function ExpiryPicker({
  month,
  year,
  invalid,
  onChange,
}: {
  month: unknown;
  year: unknown;
  invalid: Record<string, string>;
  onChange: (k: string, v: unknown) => void;
}) {
  const t = useT();
  const names = useMemo(() => {
    const f = new Intl.DateTimeFormat(t.lang, { month: 'long', timeZone: 'UTC' });
    return Array.from({ length: 12 }, (_, i) => f.format(Date.UTC(2000, i, 1)));
  }, [t.lang]);
  const now = new Date().getFullYear();
  const chosen = fullYear(year);
  const years = useMemo(() => {
    const from = Math.min(now - 10, chosen && Number.isInteger(chosen) ? chosen : now);
    const to = Math.max(now + 20, chosen && Number.isInteger(chosen) ? chosen : now);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  }, [now, chosen]);
  const m = month == null || month === '' ? '' : String(Number(month));
  const field = (k: 'expMonth' | 'expYear') => ({
    name: k,
    'aria-label': t(LABEL[k] ?? k),
    'aria-invalid': invalid[k] ? true : undefined,
    'aria-describedby': invalid[k] ? `err-${k}` : undefined,
  });
  return (
    <fieldset className="expiry">
      <legend>{t('Expires')}</legend>
      <span className="input-row">
        <select
          {...field('expMonth')}
          value={m}
          onChange={(e) => onChange('expMonth', e.target.value)}
        >
          <option value="">{t('Month')}</option>
          {names.map((name, i) => (
            <option key={name} value={String(i + 1)}>
              {`${String(i + 1).padStart(2, '0')} · ${name}`}
            </option>
          ))}
        </select>
        <select
          {...field('expYear')}
          value={chosen && Number.isInteger(chosen) ? String(chosen) : ''}
          onChange={(e) => onChange('expYear', e.target.value)}
        >
          <option value="">{t('Year')}</option>
          {years.map((y) => (
            <option key={y} value={String(y)}>
              {y}
            </option>
          ))}
        </select>
      </span>
      <FieldError id="expMonth" text={invalid.expMonth} />
      <FieldError id="expYear" text={invalid.expYear} />
    </fieldset>
  );
}

function FieldError({ id, text }: { id: string; text?: string }) {
  if (!text) return null;
  return (
    <span className="field-error" id={`err-${id}`}>
      {text}
    </span>
  );
}

/** Every generated password goes to the generator history, with the site it was made for. */
async function remember(value: string, d: Draft) {
  const uris = (d.uris as Array<{ uri: string }> | undefined) ?? [];
  const site = uris.find((u) => u.uri.trim())?.uri.trim() ?? null;
  await call({
    type: 'rememberGenerated',
    value,
    site,
    itemName: String(d.name ?? '') || null,
  }).catch(() => {});
}
