// Keeper's JSON export (Settings → Export → JSON): `{shared_folders, records}`; a record has
// title, login, password, login_url, notes, custom_fields (name → value; "TFC:Keeper" and
// "$oneTimeCode" hold the TOTP), folders (private `folder` or `shared_folder`, nested with "\"),
// and in newer exports a `$type` (login, bankCard, address, contact, sshKeys, wifiCredentials…)
// with typed fields under "$"-keys. Shape: Keeper's import/export docs, Keeper Commander's JSON
// format, and Bitwarden's keeper-json importer test data.
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
  str,
  totpOf,
} from './import-result.ts';

export const isKeeperJson = (json: unknown) => {
  const records = obj(json).records;
  return (
    Array.isArray(records) &&
    records.length > 0 &&
    records.every((r) => typeof obj(r).title === 'string')
  );
};

const SECRET = /password|pin|code|secret|key|cvv|cvc/i;
const TOTP_KEYS = new Set(['TFC:Keeper', '$oneTimeCode']);

/** "$paymentCard" → "Payment card"; "text:Customer no." → "Customer no.". */
const label = (k: string) => {
  const bare = k.replace(/^\$/, '').replace(/^[a-zA-Z]+:/, '');
  return (bare.charAt(0).toUpperCase() + bare.slice(1)).replace(/([a-z])([A-Z])/g, '$1 $2');
};

export function importKeeperJson(json: unknown): ImportResult {
  const records = arr(obj(json).records).map(obj);
  return collect(
    'keeper-json',
    records.map((r, i) => ({
      where: place('record', i + 1, str(r.title)),
      item: toItem(r),
    })),
  );
}

function toItem(r: Obj): ImportedItem | { skip: string } {
  const place = obj(arr(r.folders)[0]);
  const folder = (str(place.folder) ?? str(place.shared_folder))?.split('\\').join('/') ?? null;
  const custom = obj(r.custom_fields);
  const fields: CustomField[] = [];
  const leftOut: string[] = [];
  let totpValue: string | undefined;
  let card: Obj | null = null;
  let address: Obj | null = null;
  let name: Obj | null = null;
  for (const [k, v] of Object.entries(custom)) {
    if (TOTP_KEYS.has(k) && !totpValue) {
      totpValue = str(Array.isArray(v) ? v[0] : v);
      continue;
    }
    if (k === '$paymentCard' && typeof v === 'object') {
      card = obj(v);
      continue;
    }
    if (k === '$address' && typeof v === 'object') {
      address = obj(v);
      continue;
    }
    if (k === '$name' && typeof v === 'object') {
      name = obj(v);
      continue;
    }
    const value = typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v ?? '');
    if (value) fields.push({ name: label(k), value, type: SECRET.test(k) ? 'hidden' : 'text' });
  }
  const common = compact({
    name: str(r.title) ?? 'Untitled',
    notes: str(r.notes),
  });
  const type = str(r.$type);
  let body: Record<string, unknown>;
  if (card || type === 'bankCard') {
    const c = card ?? {};
    const [mm, yyyy] = String(c.cardExpirationDate ?? '')
      .split('/')
      .map(Number);
    body = {
      type: 'card',
      ...common,
      cardholderName: str(custom['text:cardholderName']) ?? undefined,
      number: str(c.cardNumber)?.replace(/[^0-9 ]/g, ''),
      code: str(c.cardSecurityCode),
      expMonth: mm && mm >= 1 && mm <= 12 ? mm : undefined,
      expYear: yyyy ? (yyyy < 100 ? 2000 + yyyy : yyyy) : undefined,
    };
    const holder = fields.findIndex(
      (f) => f.name === 'CardholderName' || f.name === 'Cardholder Name',
    );
    if (holder !== -1) body.cardholderName = fields.splice(holder, 1)[0]!.value;
  } else if (address || name || type === 'address' || type === 'contact') {
    const a = address ?? {};
    const n = name ?? {};
    body = {
      type: 'identity',
      ...common,
      firstName: str(n.first),
      middleName: str(n.middle),
      lastName: str(n.last),
      address1: str(a.street1),
      address2: str(a.street2),
      city: str(a.city),
      state: str(a.state),
      postalCode: str(a.zip),
      country: str(a.country),
    };
  } else if (
    str(r.login) ||
    str(r.password) ||
    str(r.login_url) ||
    totpValue ||
    !type ||
    type === 'login'
  ) {
    const { totp, extra } = totpOf(totpValue);
    if (extra) {
      fields.push(extra.field);
      leftOut.push(extra.note);
    }
    body = {
      type: 'login',
      ...common,
      username: str(r.login),
      password: typeof r.password === 'string' && r.password ? r.password : undefined,
      totp,
      uris: str(r.login_url) ? [{ uri: str(r.login_url), match: 'domain' }] : undefined,
    };
  } else {
    fields.unshift({ name: 'Type', value: type ?? 'record', type: 'text' });
    body = { type: 'note', ...common, notes: common.notes ?? '' };
  }
  if (fields.length) body.fields = fields;
  return { folder, body: compact(body), ...(leftOut.length ? { leftOut } : {}) };
}
