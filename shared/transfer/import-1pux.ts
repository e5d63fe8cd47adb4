// 1Password's 1PUX export (1Password 8: File → Export → 1PUX): a zip whose `export.data` is JSON
// — accounts, their vaults, and items with a category (001 login, 002 credit card, 003 secure
// note, 004 identity, 005 password, 100+ software licence, bank account, database, driver
// licence, outdoor licence, membership, passport, rewards, social security number, wireless
// router, server, email account, API credential, medical record, SSH key…). Logins keep their
// username, password, URLs, TOTP and history; cards and identities their fields; every other
// category becomes the nearest type with its fields as custom fields (concealed ones hidden).
// Several vaults become folders named after them. Shape: 1Password's 1PUX format documentation
// and the test data of public importers (Bitwarden's onepassword-1pux importer spec).
import { msg } from '../i18n-msg.ts';
import type { CustomField } from '../model/item.ts';
import {
  arr,
  collect,
  compact,
  type ImportedItem,
  type ImportResult,
  type Obj,
  obj,
  place,
  seconds,
  str,
  totpOf,
} from './import-result.ts';

export const is1pux = (json: unknown) =>
  Array.isArray(obj(json).accounts) &&
  arr(obj(json).accounts).some((a) => Array.isArray(obj(a).vaults));

const CATEGORY: Record<string, string> = {
  '001': 'Login',
  '002': 'Credit Card',
  '003': 'Secure Note',
  '004': 'Identity',
  '005': 'Password',
  '006': 'Document',
  '100': 'Software License',
  '101': 'Bank Account',
  '102': 'Database',
  '103': 'Driver License',
  '104': 'Outdoor License',
  '105': 'Membership',
  '106': 'Passport',
  '107': 'Reward Program',
  '108': 'Social Security Number',
  '109': 'Wireless Router',
  '110': 'Server',
  '111': 'Email Account',
  '112': 'API Credential',
  '113': 'Medical Record',
  '114': 'SSH Key',
  '115': 'Crypto Wallet',
};

interface Field1p {
  id: string;
  title: string;
  /** The value's kind (string, concealed, totp, email, url, date, monthYear, address…). */
  kind: string;
  value: unknown;
}

/** A section field's value as text, and whether it is a secret. */
function text(f: Field1p): { value: string; hidden: boolean } {
  const v = f.value;
  switch (f.kind) {
    case 'concealed':
    case 'creditCardNumber':
    case 'totp':
      return { value: String(v ?? ''), hidden: true };
    case 'date':
      return { value: seconds(v)?.slice(0, 10) ?? '', hidden: false };
    case 'monthYear': {
      const n = String(v ?? '');
      return { value: n.length === 6 ? `${n.slice(0, 4)}-${n.slice(4)}` : n, hidden: false };
    }
    case 'address': {
      const a = obj(v);
      return {
        value: [a.street, a.city, a.state, a.zip, a.country]
          .map((x) => str(x))
          .filter(Boolean)
          .join(', '),
        hidden: false,
      };
    }
    case 'sshKey':
      return { value: String(obj(v).privateKey ?? ''), hidden: true };
    default:
      return {
        value: typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v ?? ''),
        hidden: false,
      };
  }
}

export function import1pux(json: unknown): ImportResult {
  const accounts = arr(obj(json).accounts).map(obj);
  const vaultCount = accounts.reduce((n, a) => n + arr(a.vaults).length, 0);
  const candidates: Parameters<typeof collect>[1] = [];
  for (const account of accounts)
    for (const vault of arr(account.vaults).map(obj)) {
      const vaultName = str(obj(vault.attrs).name) ?? null;
      for (const raw of arr(vault.items).map(obj)) {
        const title = str(obj(raw.overview).title);
        candidates.push({
          where: place('item', candidates.length + 1, title),
          item: toItem(raw, vaultCount > 1 ? vaultName : null),
        });
      }
    }
  return collect('1password-1pux', candidates);
}

function toItem(raw: Obj, folder: string | null): ImportedItem | { skip: string } {
  if (raw.trashed === true || raw.state === 'trashed') return { skip: msg('in 1Password’s trash') };
  if (raw.state === 'archived') return { skip: msg('archived in 1Password') };
  const category = String(raw.categoryUuid ?? '');
  const details = obj(raw.details);
  const overview = obj(raw.overview);
  const sectionFields: Field1p[] = arr(details.sections).flatMap((s) =>
    arr(obj(s).fields).map((f) => {
      const o = obj(f);
      const value = obj(o.value);
      const kind = Object.keys(value)[0] ?? 'string';
      return { id: String(o.id ?? ''), title: String(o.title ?? ''), kind, value: value[kind] };
    }),
  );
  const taken = new Set<Field1p>();
  const take = (...ids: string[]) => {
    const f = sectionFields.find((x) => !taken.has(x) && ids.includes(x.id));
    if (!f) return undefined;
    taken.add(f);
    return text(f).value || undefined;
  };
  const leftOut: string[] = [];
  const common = compact({
    name: str(overview.title) ?? 'Untitled',
    notes: str(details.notesPlain),
    favorite: (typeof raw.favIndex === 'number' && raw.favIndex > 0) || undefined,
    tags: arr(overview.tags).length ? arr(overview.tags).map(String) : undefined,
    createdAt: seconds(raw.createdAt),
    updatedAt: seconds(raw.updatedAt),
  });
  const customFields = (): CustomField[] => {
    const out: CustomField[] = [];
    for (const f of sectionFields) {
      if (taken.has(f)) continue;
      const { value, hidden } = text(f);
      if (value)
        out.push({ name: f.title || f.id || 'Field', value, type: hidden ? 'hidden' : 'text' });
    }
    return out;
  };
  let body: Record<string, unknown>;
  switch (category) {
    case '001':
    case '005': {
      const loginFields = arr(details.loginFields).map(obj);
      const by = (d: string) => loginFields.find((f) => f.designation === d);
      const username = str(by('username')?.value);
      const password =
        (by('password')?.value as string | undefined) ?? (details.password as string | undefined);
      const urls = [...arr(overview.urls).map((u) => str(obj(u).url)), str(overview.url)].filter(
        (u, i, all): u is string => !!u && all.indexOf(u) === i,
      );
      const totpField = sectionFields.find((f) => f.kind === 'totp');
      if (totpField) taken.add(totpField);
      const { totp, extra } = totpOf(totpField ? String(totpField.value ?? '') : undefined);
      if (extra) leftOut.push(extra.note);
      // Other form fields 1Password saved with the login (a checkbox, a second field).
      const formFields: CustomField[] = loginFields
        .filter((f) => !f.designation && str(f.value))
        .map((f) =>
          f.fieldType === 'C'
            ? {
                name: String(f.name || f.id || 'Checkbox'),
                value: f.value === '✓' ? 'true' : 'false',
                type: 'boolean' as const,
              }
            : {
                name: String(f.name || f.id || 'Field'),
                value: String(f.value),
                type: f.fieldType === 'P' ? ('hidden' as const) : ('text' as const),
              },
        );
      const history = arr(details.passwordHistory)
        .map(obj)
        .filter((h) => typeof h.value === 'string')
        .map((h) => ({
          password: h.value as string,
          changedAt: seconds(h.time) ?? common.updatedAt,
        }))
        .filter((h) => h.changedAt);
      body = {
        type: 'login',
        ...common,
        username,
        password: password || undefined,
        totp,
        uris: urls.length ? urls.map((uri) => ({ uri, match: 'domain' })) : undefined,
        passwordHistory: history.length ? history : undefined,
        fields: [...formFields, ...customFields(), ...(extra ? [extra.field] : [])],
      };
      break;
    }
    case '002': {
      const expiry = take('expiry');
      const [y, m] = (expiry ?? '').split('-').map(Number);
      body = {
        type: 'card',
        ...common,
        cardholderName: take('cardholder'),
        brand: take('type'),
        number: take('ccnum')?.replace(/[^0-9 ]/g, ''),
        code: take('cvv'),
        expMonth: m && m >= 1 && m <= 12 ? m : undefined,
        expYear: y || undefined,
        fields: customFields(),
      };
      break;
    }
    case '004':
    case '103':
    case '106':
    case '108': {
      const address = sectionFields.find((f) => f.kind === 'address');
      const a = obj(address?.value);
      if (address) taken.add(address);
      const fullName = category === '004' ? undefined : take('fullname', 'name');
      const [first, ...last] = (fullName ?? '').split(/\s+/).filter(Boolean);
      body = {
        type: 'identity',
        ...common,
        firstName: take('firstname') ?? first,
        middleName: take('initial'),
        lastName: take('lastname') ?? (last.length ? last.join(' ') : undefined),
        company: take('company'),
        email: take('email'),
        phone: take('defphone', 'cellphone', 'homephone', 'busphone'),
        username: take('username'),
        address1: str(a.street),
        city: str(a.city),
        state: str(a.state),
        postalCode: str(a.zip),
        country: str(a.country),
        licenseNumber: category === '103' ? take('number') : undefined,
        passportNumber: category === '106' ? take('number') : undefined,
        ssn: category === '108' ? take('number') : undefined,
        fields: customFields(),
      };
      break;
    }
    case '003':
      body = { type: 'note', ...common, notes: common.notes ?? '', fields: customFields() };
      break;
    default: {
      if (category === '006')
        leftOut.push(msg('the attached document (Cofre does not keep files)'));
      const fields = customFields();
      body = {
        type: 'note',
        ...common,
        notes: common.notes ?? '',
        fields: [
          {
            name: 'Type',
            value: CATEGORY[category] ?? `1Password category ${category}`,
            type: 'text',
          },
          ...fields,
        ],
      };
    }
  }
  if (Array.isArray(body.fields) && body.fields.length === 0) delete body.fields;
  return { folder, body: compact(body), ...(leftOut.length ? { leftOut } : {}) };
}
