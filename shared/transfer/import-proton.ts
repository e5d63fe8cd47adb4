// Proton Pass's export (Settings → Export, unencrypted): JSON `{version, userId, encrypted:false,
// vaults: {id: {name, items}}}`, also inside a zip as `Proton Pass/data.json`. Items have
// `data.type` login, note, creditCard, identity, alias, sshKey, wifi or custom; `extraFields`
// (text, hidden, totp) become custom fields; `state` 2 is the trash; `pinned` is a favourite.
// Several vaults become folders. Shape: Proton Pass export docs and Bitwarden's protonpass-json
// importer test data.
import { msg, said } from '../i18n-msg.ts';
import type { CustomField } from '../model/item.ts';
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
  totpOf,
} from './import-result.ts';

export const isProtonPass = (json: unknown) => {
  const o = obj(json);
  return typeof o.userId === 'string' && typeof o.vaults === 'object' && o.vaults !== null;
};

/** Proton's extra fields ({fieldName, type, data:{content|totpUri}}) as custom fields. */
function extra(list: unknown, prefix = ''): CustomField[] {
  return arr(list).flatMap((f) => {
    const o = obj(f);
    const d = obj(o.data);
    const value = String(d.content ?? d.totpUri ?? '');
    if (!value) return [];
    const name = `${prefix}${String(o.fieldName ?? 'Field')}`;
    return [{ name, value, type: o.type === 'text' ? ('text' as const) : ('hidden' as const) }];
  });
}

export function importProtonPass(json: unknown): ImportResult {
  const o = obj(json);
  if (o.encrypted === true)
    throw new ImportError(
      'MALFORMED',
      msg('This Proton Pass export is encrypted with PGP: export it again without encryption.'),
    );
  const vaults = Object.values(obj(o.vaults)).map(obj);
  const candidates: Parameters<typeof collect>[1] = [];
  for (const vault of vaults)
    for (const raw of arr(vault.items).map(obj)) {
      const name = str(obj(obj(raw.data).metadata).name);
      candidates.push({
        where: place('item', candidates.length + 1, name),
        item: toItem(raw, vaults.length > 1 ? (str(vault.name) ?? null) : null),
      });
    }
  return collect('protonpass-json', candidates);
}

function toItem(raw: Obj, folder: string | null): ImportedItem | { skip: string } {
  if (raw.state === 2) return { skip: msg('in Proton Pass’s trash') };
  const data = obj(raw.data);
  const meta = obj(data.metadata);
  const c = obj(data.content);
  const leftOut: string[] = [];
  const fields = extra(data.extraFields);
  const common = compact({
    name: str(meta.name) ?? 'Untitled',
    notes: str(meta.note),
    favorite: raw.pinned === true || undefined,
    createdAt: seconds(raw.createTime),
    updatedAt: seconds(raw.modifyTime),
  });
  let body: Record<string, unknown>;
  switch (data.type) {
    case 'login': {
      const username = str(c.itemUsername) ?? str(c.itemEmail);
      if (str(c.itemUsername) && str(c.itemEmail))
        fields.unshift({ name: 'Email', value: String(c.itemEmail), type: 'text' });
      const { totp, extra: bad } = totpOf(str(c.totpUri));
      if (bad) {
        fields.push(bad.field);
        leftOut.push(bad.note);
      }
      if (arr(c.passkeys).length)
        leftOut.push(
          `${arr(c.passkeys).length} passkey(s) (Proton Pass writes them in its own format, which Cofre cannot read)`,
        );
      const urls = arr(c.urls).map(String).filter(Boolean);
      body = {
        type: 'login',
        ...common,
        username,
        password: str(c.password),
        totp,
        uris: urls.length ? urls.map((uri) => ({ uri, match: 'domain' })) : undefined,
      };
      break;
    }
    case 'alias':
      // An email alias Proton forwards: the address is what a site knows.
      body = {
        type: 'login',
        ...common,
        username: str(raw.aliasEmail),
      };
      fields.unshift({ name: 'Type', value: 'Proton Pass alias', type: 'text' });
      break;
    case 'creditCard': {
      const [y, m] = String(c.expirationDate ?? '')
        .split('-')
        .map(Number);
      if (str(c.pin)) fields.unshift({ name: 'PIN', value: String(c.pin), type: 'hidden' });
      body = {
        type: 'card',
        ...common,
        cardholderName: str(c.cardholderName),
        number: str(c.number)?.replace(/[^0-9 ]/g, ''),
        code: str(c.verificationNumber),
        expMonth: m && m >= 1 && m <= 12 ? m : undefined,
        expYear: y || undefined,
      };
      break;
    }
    case 'identity': {
      const mapped = new Set([
        'fullName',
        'email',
        'phoneNumber',
        'firstName',
        'middleName',
        'lastName',
        'organization',
        'company',
        'streetAddress',
        'zipOrPostalCode',
        'city',
        'stateOrProvince',
        'countryOrRegion',
        'socialSecurityNumber',
        'passportNumber',
        'licenseNumber',
      ]);
      const [first, ...last] = String(c.fullName ?? '')
        .split(/\s+/)
        .filter(Boolean);
      body = {
        type: 'identity',
        ...common,
        firstName: str(c.firstName) ?? first,
        middleName: str(c.middleName),
        lastName: str(c.lastName) ?? (last.length ? last.join(' ') : undefined),
        email: str(c.email),
        phone: str(c.phoneNumber),
        company: str(c.company) ?? str(c.organization),
        address1: str(c.streetAddress),
        postalCode: str(c.zipOrPostalCode),
        city: str(c.city),
        state: str(c.stateOrProvince),
        country: str(c.countryOrRegion),
        ssn: str(c.socialSecurityNumber),
        passportNumber: str(c.passportNumber),
        licenseNumber: str(c.licenseNumber),
      };
      if (str(c.organization) && str(c.company) && c.organization !== c.company)
        fields.push({ name: 'Organization', value: String(c.organization), type: 'text' });
      for (const [k, v] of Object.entries(c)) {
        if (mapped.has(k)) continue;
        if (Array.isArray(v)) {
          if (k === 'extraSections')
            for (const s of v.map(obj))
              fields.push(...extra(s.sectionFields, `${String(s.sectionName ?? '')}: `));
          else fields.push(...extra(v));
        } else if (str(v)) fields.push({ name: k, value: String(v), type: 'text' });
      }
      break;
    }
    case 'sshKey':
      fields.unshift(
        ...[
          { name: 'Private key', value: String(c.privateKey ?? ''), type: 'hidden' as const },
          { name: 'Public key', value: String(c.publicKey ?? ''), type: 'text' as const },
        ].filter((f) => f.value),
      );
      body = { type: 'note', ...common, notes: common.notes ?? '' };
      break;
    case 'wifi':
      fields.unshift(
        ...[
          { name: 'SSID', value: String(c.ssid ?? ''), type: 'text' as const },
          { name: 'Password', value: String(c.password ?? ''), type: 'hidden' as const },
          { name: 'Security', value: String(c.security ?? ''), type: 'text' as const },
        ].filter((f) => f.value),
      );
      body = { type: 'note', ...common, notes: common.notes ?? '' };
      break;
    case 'note':
    case 'custom':
      body = { type: 'note', ...common, notes: common.notes ?? '' };
      break;
    default:
      return {
        skip: said('Proton Pass item type "{type}" is not one Cofre knows', {
          type: String(data.type),
        }),
      };
  }
  // Sections of custom and SSH items ({sectionName, sectionFields}).
  for (const s of arr(c.sections).map(obj))
    fields.push(...extra(s.sectionFields, s.sectionName ? `${String(s.sectionName)}: ` : ''));
  if (fields.length) body.fields = fields;
  return { folder, body: compact(body), ...(leftOut.length ? { leftOut } : {}) };
}
