// The FIDO Alliance's Credential Exchange Format (CXF 1.0, the format Bitwarden, 1Password,
// Dashlane and Apple adopted): a header with accounts, each with collections and items; an item
// holds a list of typed credentials (basic-auth, totp, note, credit-card, address, person-name,
// passport, drivers-license, identity-document, wifi, ssh-key, api-key, custom-fields…) and a
// scope of URLs. Field values are "editable fields" {fieldType, value, label}. Read into Cofre's
// types (every credential it has no built-in field for becomes custom fields; what it cannot
// hold at all is named), and written from them. Shapes: the CXF 1.0 Proposed Standard
// (fidoalliance.org/specs/cx/cxf-v1.0-ps-20250814.html) as typed by bitwarden/credential-exchange.

import { Secret, TOTP, URI } from 'otpauth';
import { msg, said } from '../i18n-msg.ts';
import type { CustomField, ItemBody } from '../model/item.ts';
import { isValidTotp } from '../model/totp.ts';
import {
  arr,
  collect,
  compact,
  ImportError,
  type ImportedItem,
  type ImportResult,
  type Obj,
  obj,
  place,
  seconds,
  str,
} from './import-result.ts';
import { passkeyFromCxf, passkeyLeftOut, passkeyToCxf } from './passkey-transfer.ts';

export function isCxf(json: unknown): boolean {
  const o = obj(json);
  return (
    typeof obj(o.version).major === 'number' &&
    typeof o.exporterRpId === 'string' &&
    Array.isArray(o.accounts)
  );
}

/** An editable field's value as text ("" when absent). */
const val = (f: unknown): string => {
  const v = obj(f).value;
  return v === undefined || v === null ? '' : String(v);
};

/** An editable field as a custom field, its kind from its fieldType. */
function asField(f: unknown, fallbackName: string): CustomField | null {
  const o = obj(f);
  const value = val(o);
  if (value === '') return null;
  const name = str(o.label) ?? fallbackName;
  if (o.fieldType === 'concealed-string') return { name, value, type: 'hidden' };
  if (o.fieldType === 'boolean')
    return {
      name,
      value: value.trim().toLowerCase() === 'true' ? 'true' : 'false',
      type: 'boolean',
    };
  return { name, value, type: 'text' };
}

/** The members of a credential not taken into built-in fields, as custom fields. */
function rest(c: Obj, taken: string[], names: Record<string, string> = {}): CustomField[] {
  return Object.entries(c)
    .filter(([k]) => k !== 'type' && !taken.includes(k))
    .flatMap(([k, v]) => {
      const f = asField(v, names[k] ?? k);
      return f ? [f] : [];
    });
}

function totpUri(t: Obj): string | null {
  const secret = str(t.secret);
  if (!secret) return null;
  const algorithm = String(t.algorithm ?? 'sha1').toUpperCase();
  if (!['SHA1', 'SHA256', 'SHA512'].includes(algorithm)) return null;
  try {
    return new TOTP({
      secret: Secret.fromBase32(secret.replaceAll(' ', '').toUpperCase()),
      period: typeof t.period === 'number' ? t.period : 30,
      digits: typeof t.digits === 'number' ? t.digits : 6,
      algorithm,
      issuer: str(t.issuer) ?? '',
      label: str(t.username) ?? 'Cofre',
    }).toString();
  } catch {
    return null;
  }
}

function ymd(v: string): { expMonth?: number; expYear?: number } {
  const m = /^(\d{4})-(\d{1,2})/.exec(v);
  if (!m) return {};
  const month = Number(m[2]);
  return { expYear: Number(m[1]), ...(month >= 1 && month <= 12 ? { expMonth: month } : {}) };
}

/** Folders from the collections (nested collections as "Parent/Child"), by item id. */
function folders(collections: unknown[], path: string[] = [], into = new Map<string, string>()) {
  for (const c of collections.map(obj)) {
    const here = [...path, str(c.title) ?? 'Untitled'];
    for (const link of arr(c.items).map(obj)) {
      const id = str(link.item);
      if (id && !into.has(id)) into.set(id, here.join('/'));
    }
    folders(arr(c.subCollections), here, into);
  }
  return into;
}

export function importCxf(json: unknown): ImportResult {
  if (!isCxf(json))
    throw new ImportError('MALFORMED', msg('This is not a Credential Exchange (CXF) file.'));
  const header = obj(json);
  if (obj(header.version).major !== 1)
    throw new ImportError(
      'MALFORMED',
      said('This CXF file is version {version}; Cofre reads version 1.', {
        version: String(obj(header.version).major),
      }),
    );
  const candidates: Parameters<typeof collect>[1] = [];
  for (const account of arr(header.accounts).map(obj)) {
    const folderOf = folders(arr(account.collections));
    for (const item of arr(account.items).map(obj)) {
      const title = str(item.title);
      candidates.push({
        where: place('item', candidates.length + 1, title),
        item: toItem(item, folderOf.get(String(item.id)) ?? null),
      });
    }
  }
  return collect('cxf', candidates);
}

function toItem(item: Obj, folder: string | null): ImportedItem | { skip: string } {
  const creds = arr(item.credentials).map(obj);
  const of = (type: string) => creds.filter((c) => c.type === type);
  const one = (type: string) => of(type)[0];
  const fields: CustomField[] = [];
  const leftOut: string[] = [];
  const notes = of('note')
    .map((n) => val(n.content))
    .filter(Boolean)
    .join('\n\n');
  const common = compact({
    name: str(item.title) ?? 'Untitled',
    notes: notes || undefined,
    favorite: item.favorite === true || undefined,
    tags: arr(item.tags).length ? arr(item.tags).map(String) : undefined,
    createdAt: seconds(item.creationAt),
    updatedAt: seconds(item.modifiedAt),
  });
  const urls = arr(obj(item.scope).urls).map(String).filter(Boolean);
  const auth = one('basic-auth');
  const totps = of('totp');
  const card = one('credit-card');
  const idParts = ['address', 'person-name', 'passport', 'drivers-license', 'identity-document'];
  let body: Record<string, unknown>;
  const used = new Set<Obj>();

  if (auth || urls.length || totps.length || of('passkey').length) {
    const [first, ...more] = totps;
    const totp = first ? totpUri(first) : null;
    if (first && !totp) leftOut.push(msg('a TOTP with an algorithm Cofre cannot use'));
    for (const t of more) {
      const uri = totpUri(t);
      if (uri)
        fields.push({
          name: `TOTP (${str(t.issuer) ?? str(t.username) ?? 'more'})`,
          value: uri,
          type: 'hidden',
        });
    }
    for (const t of totps) used.add(t);
    if (auth) used.add(auth);
    body = {
      type: 'login',
      ...common,
      username: auth ? val(auth.username) || undefined : (str(first?.username) ?? undefined),
      password: auth ? val(auth.password) || undefined : undefined,
      totp: totp ?? undefined,
      uris: urls.length ? urls.map((uri) => ({ uri, match: 'domain' })) : undefined,
    };
  } else if (card) {
    used.add(card);
    const pin = val(card.pin);
    if (pin) fields.push({ name: 'PIN', value: pin, type: 'hidden' });
    body = {
      type: 'card',
      ...common,
      cardholderName: val(card.fullName) || undefined,
      brand: val(card.cardType) || undefined,
      number: val(card.number).replace(/[^0-9 ]/g, '') || undefined,
      code: val(card.verificationNumber) || undefined,
      ...ymd(val(card.expiryDate)),
    };
    fields.push(
      ...rest(card, ['number', 'fullName', 'cardType', 'verificationNumber', 'pin', 'expiryDate'], {
        validFrom: 'Valid from',
      }),
    );
  } else if (idParts.some((t) => one(t))) {
    const id: Record<string, string | undefined> = {};
    const address = one('address');
    const person = one('person-name');
    const passport = one('passport');
    const licence = one('drivers-license');
    const document = one('identity-document');
    if (address) {
      used.add(address);
      const lines = val(address.streetAddress).split('\n');
      id.address1 = lines[0] || undefined;
      id.address2 = lines[1] || undefined;
      id.address3 = lines.slice(2).join(', ') || undefined;
      id.postalCode = val(address.postalCode) || undefined;
      id.city = val(address.city) || undefined;
      id.state = val(address.territory) || undefined;
      id.country = val(address.country) || undefined;
      id.phone = val(address.tel) || undefined;
    }
    if (person) {
      used.add(person);
      id.title = val(person.title) || undefined;
      id.firstName = val(person.given) || undefined;
      id.middleName = val(person.given2) || undefined;
      id.lastName =
        [val(person.surnamePrefix), val(person.surname), val(person.surname2)]
          .filter(Boolean)
          .join(' ') || undefined;
      fields.push(
        ...rest(person, ['title', 'given', 'given2', 'surnamePrefix', 'surname', 'surname2'], {
          givenInformal: 'Nickname',
        }),
      );
    }
    if (passport) {
      used.add(passport);
      id.passportNumber = val(passport.passportNumber) || undefined;
      fields.push(
        ...rest(passport, ['passportNumber'], { fullName: 'Name on the passport' }).map((f) => ({
          ...f,
          name: `Passport: ${f.name}`,
        })),
      );
    }
    if (licence) {
      used.add(licence);
      id.licenseNumber = val(licence.licenseNumber) || undefined;
      fields.push(
        ...rest(licence, ['licenseNumber']).map((f) => ({ ...f, name: `Licence: ${f.name}` })),
      );
    }
    if (document) {
      used.add(document);
      id.ssn = val(document.identificationNumber) || undefined;
      fields.push(
        ...rest(document, ['identificationNumber']).map((f) => ({
          ...f,
          name: `ID document: ${f.name}`,
        })),
      );
    }
    body = { type: 'identity', ...common, ...compact(id) };
  } else {
    body = { type: 'note', ...common, notes: notes || '' };
  }

  for (const c of creds) {
    if (used.has(c) || c.type === 'note') continue;
    switch (c.type) {
      case 'custom-fields':
        fields.push(
          ...arr(c.fields).flatMap((f, i) => {
            const field = asField(f, str(c.label) ? `${str(c.label)} ${i + 1}` : `Field ${i + 1}`);
            return field ? [field] : [];
          }),
        );
        break;
      case 'wifi':
        fields.push(
          ...rest(c, [], {
            ssid: 'SSID',
            networkSecurityType: 'Security',
            passphrase: 'Passphrase',
            hidden: 'Hidden network',
          }),
        );
        break;
      case 'api-key':
        fields.push(
          ...rest(c, [], {
            key: 'API key',
            username: 'Username',
            keyType: 'Key type',
            url: 'URL',
            validFrom: 'Valid from',
            expiryDate: 'Expires',
          }),
        );
        break;
      case 'ssh-key':
        fields.push(
          ...[
            { name: 'Key type', value: String(c.keyType ?? ''), type: 'text' as const },
            {
              name: 'Private key (PKCS#8, base64url)',
              value: String(c.privateKey ?? ''),
              type: 'hidden' as const,
            },
            { name: 'Key comment', value: String(c.keyComment ?? ''), type: 'text' as const },
          ].filter((f) => f.value),
        );
        break;
      case 'generated-password':
        if (str(c.password))
          fields.push({ name: 'Generated password', value: String(c.password), type: 'hidden' });
        break;
      case 'passkey': {
        const read = passkeyFromCxf(c, String(common.createdAt ?? new Date().toISOString()));
        if ('passkey' in read && body.type === 'login')
          body.passkeys = [...((body.passkeys as unknown[]) ?? []), read.passkey];
        else
          leftOut.push(passkeyLeftOut(str(c.rpId) ?? '?', 'why' in read ? read.why : 'not-login'));
        break;
      }
      case 'file':
        leftOut.push(said('the attached file "{file}"', { file: str(c.name) ?? '?' }));
        break;
      case 'item-reference':
        leftOut.push(msg('a link to another item'));
        break;
      default:
        // Another item's identity part, a second card or login…: its fields, not lost.
        if (c.type === 'basic-auth' || c.type === 'credit-card' || idParts.includes(String(c.type)))
          fields.push(...rest(c, []).map((f) => ({ ...f, name: `${String(c.type)}: ${f.name}` })));
        else leftOut.push(said('a "{type}" credential', { type: String(c.type) }));
    }
  }
  // An identity's company, email or username arrive as labelled custom fields (CXF has no
  // member for them): into the built-in field when it is empty.
  if (body.type === 'identity')
    for (const [k, label] of Object.entries(IDENTITY_LABEL)) {
      const at = fields.findIndex(
        (f) => f.type === 'text' && f.name.toLowerCase() === label.toLowerCase(),
      );
      if (at !== -1 && !body[k]) body[k] = fields.splice(at, 1)[0]!.value;
    }
  if (fields.length) body.fields = fields;
  return { folder, body: compact(body), ...(leftOut.length ? { leftOut } : {}) };
}

// ---- export ----

const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const newId = () => b64url(crypto.getRandomValues(new Uint8Array(16)));
const field = (fieldType: string, value: string, label?: string) =>
  compact({ fieldType, value, label }) as Obj;
const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);

type Item = ItemBody;

function totpCredential(value: string, username: string): Obj | null {
  if (!isValidTotp(value) || value.toLowerCase().startsWith('steam://')) return null;
  const t = value.toLowerCase().startsWith('otpauth://')
    ? (URI.parse(value) as TOTP)
    : new TOTP({ secret: Secret.fromBase32(value.replaceAll(' ', '').toUpperCase()) });
  return compact({
    type: 'totp',
    secret: t.secret.base32,
    period: t.period,
    digits: t.digits,
    algorithm: t.algorithm.toLowerCase(),
    username: username || undefined,
    issuer: t.issuer || undefined,
  }) as Obj;
}

/** Cofre's items as a CXF 1.0 document (unencrypted: the page warns first, like any plain export). */
export function toCxf(items: ImportedItem[], account: { email: string }): string {
  const collections = new Map<string, string[]>();
  const out = items.map(({ body, folder }) => {
    const b = body as unknown as Item;
    const id = newId();
    if (folder) collections.set(folder, [...(collections.get(folder) ?? []), id]);
    const credentials: Obj[] = [];
    const custom = b.fields
      .filter((f) => f.type !== 'linked')
      .map((f) =>
        field(
          f.type === 'hidden' ? 'concealed-string' : f.type === 'boolean' ? 'boolean' : 'string',
          f.value,
          f.name,
        ),
      );
    let urls: string[] = [];
    switch (b.type) {
      case 'login': {
        credentials.push(
          compact({
            type: 'basic-auth',
            username: b.username ? field('string', b.username) : undefined,
            password: b.password ? field('concealed-string', b.password) : undefined,
          }) as Obj,
        );
        if (b.totp) {
          const t = totpCredential(b.totp, b.username);
          if (t) credentials.push(t);
          else custom.push(field('concealed-string', b.totp, 'TOTP'));
        }
        // Bodies from a file not yet parsed may lack the list.
        for (const p of b.passkeys ?? []) credentials.push(passkeyToCxf(p));
        urls = b.uris.filter((u) => u.match !== 'never').map((u) => u.uri);
        break;
      }
      case 'card':
        credentials.push(
          compact({
            type: 'credit-card',
            number: b.number ? field('concealed-string', b.number) : undefined,
            fullName: b.cardholderName ? field('string', b.cardholderName) : undefined,
            cardType: b.brand ? field('string', b.brand) : undefined,
            verificationNumber: b.code ? field('concealed-string', b.code) : undefined,
            expiryDate:
              b.expYear !== null
                ? field(
                    'year-month',
                    `${String(b.expYear).padStart(4, '0')}-${String(b.expMonth ?? 1).padStart(2, '0')}`,
                  )
                : undefined,
          }) as Obj,
        );
        break;
      case 'identity': {
        const street = [b.address1, b.address2, b.address3].filter(Boolean).join('\n');
        if (street || b.city || b.postalCode || b.state || b.country || b.phone)
          credentials.push(
            compact({
              type: 'address',
              streetAddress: street ? field('string', street) : undefined,
              postalCode: b.postalCode ? field('string', b.postalCode) : undefined,
              city: b.city ? field('string', b.city) : undefined,
              territory: b.state ? field('subdivision-code', b.state) : undefined,
              country: b.country ? field('country-code', b.country) : undefined,
              tel: b.phone ? field('string', b.phone) : undefined,
            }) as Obj,
          );
        if (b.title || b.firstName || b.middleName || b.lastName)
          credentials.push(
            compact({
              type: 'person-name',
              title: b.title ? field('string', b.title) : undefined,
              given: b.firstName ? field('string', b.firstName) : undefined,
              given2: b.middleName ? field('string', b.middleName) : undefined,
              surname: b.lastName ? field('string', b.lastName) : undefined,
            }) as Obj,
          );
        if (b.passportNumber)
          credentials.push({ type: 'passport', passportNumber: field('string', b.passportNumber) });
        if (b.licenseNumber)
          credentials.push({
            type: 'drivers-license',
            licenseNumber: field('string', b.licenseNumber),
          });
        if (b.ssn)
          credentials.push({
            type: 'identity-document',
            identificationNumber: field('string', b.ssn),
          });
        // The rest of an identity (company, email, username) has no CXF member: custom fields.
        for (const k of ['company', 'email', 'username'] as const)
          if (b[k])
            custom.push(
              field(k === 'email' ? 'email' : 'string', b[k] as string, IDENTITY_LABEL[k]),
            );
        break;
      }
      default:
        break;
    }
    if (b.notes) credentials.push({ type: 'note', content: field('string', b.notes) });
    if (custom.length) credentials.push({ type: 'custom-fields', fields: custom });
    return compact({
      id,
      creationAt: epoch(b.createdAt),
      modifiedAt: epoch(b.updatedAt),
      title: b.name,
      favorite: b.favorite || undefined,
      tags: b.tags.length ? b.tags : undefined,
      scope: urls.length ? { urls, androidApps: [] } : undefined,
      credentials,
    });
  });
  return JSON.stringify(
    {
      version: { major: 1, minor: 0 },
      exporterRpId: 'cofre.invalid',
      exporterDisplayName: 'Cofre',
      timestamp: Math.floor(Date.now() / 1000),
      accounts: [
        {
          id: newId(),
          username: '',
          email: account.email,
          collections: [...collections].map(([title, ids]) => ({
            id: newId(),
            title,
            items: ids.map((item) => ({ item })),
          })),
          items: out,
        },
      ],
    },
    null,
    2,
  );
}

/** Identity fields CXF has no member for, written as custom fields under these labels. */
const IDENTITY_LABEL: Record<string, string> = {
  company: 'Company',
  email: 'Email',
  username: 'Username',
};
