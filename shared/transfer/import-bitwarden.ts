// Bitwarden's JSON export, plain or password-protected (the encrypted "data" holds the plain
// export). Account-restricted exports need the Bitwarden account's key and are refused.

import { z } from 'zod';
import { msg, said } from '../i18n-msg.ts';
import { identityFields } from '../model/item.ts';
import { decryptEncString, deriveExportKeys } from './bitwarden-crypto.ts';
import { fromBitwardenField } from './bitwarden-fields.ts';
import {
  arr,
  collect,
  compact,
  ImportError,
  type ImportedItem,
  type ImportResult,
  place,
  str,
  totpOf,
} from './import-result.ts';
import { passkeyFromBitwarden, passkeyLeftOut } from './passkey-transfer.ts';

const MATCH = ['domain', 'host', 'startsWith', 'exact', 'regex', 'never'] as const;

const loose = z.looseObject({});
const exportSchema = z.looseObject({
  // Other tools (KeePassXC) leave "encrypted" out; Bitwarden itself only needs "items".
  encrypted: z.boolean().optional(),
  folders: z.array(z.looseObject({ id: z.string(), name: z.string() })).default([]),
  items: z.array(loose).default([]),
});
const protectedSchema = z.looseObject({
  encrypted: z.literal(true),
  passwordProtected: z.literal(true),
  salt: z.string(),
  kdfType: z.number().int(),
  kdfIterations: z.number().int(),
  kdfMemory: z.number().int().nullish(),
  kdfParallelism: z.number().int().nullish(),
  encKeyValidation_DO_NOT_EDIT: z.string(),
  data: z.string(),
});

type Bw = Record<string, unknown>;
const obj = (v: unknown): Bw => (v && typeof v === 'object' ? (v as Bw) : {});

/**
 * Bitwarden's shape: an `items` array whose entries have Bitwarden's numeric `type` (with or
 * without the top-level "encrypted": false other tools leave out), or a password-protected
 * export's `encrypted: true` + `data`.
 */
export function isBitwardenJson(json: unknown): boolean {
  const o = obj(json);
  if (o.encrypted === true && typeof o.data === 'string') return true;
  if (!Array.isArray(o.items)) return false;
  return o.items.length === 0
    ? typeof o.encrypted === 'boolean'
    : o.items.every((i) => typeof obj(i).type === 'number' && 'name' in obj(i));
}

export async function importBitwardenJson(json: unknown, password?: string): Promise<ImportResult> {
  let plain = json;
  if (obj(json).encrypted === true) {
    const p = protectedSchema.safeParse(json);
    if (!p.success)
      throw new ImportError(
        'MALFORMED',
        msg(
          'This Bitwarden export is locked to a Bitwarden account. Export it again with “Password protected”.',
        ),
      );
    if (!password)
      throw new ImportError(
        'PASSWORD_REQUIRED',
        msg('This export is password protected: enter its password.'),
      );
    const keys = await deriveExportKeys(password, p.data.salt, p.data);
    await decryptEncString(p.data.encKeyValidation_DO_NOT_EDIT, keys);
    plain = JSON.parse(await decryptEncString(p.data.data, keys));
  }
  const parsed = exportSchema.safeParse(plain);
  if (!parsed.success)
    throw new ImportError('MALFORMED', msg('This is not a Bitwarden JSON export.'));
  const folders = new Map(parsed.data.folders.map((f) => [f.id, f.name]));
  return collect(
    'bitwarden-json',
    parsed.data.items.map((raw, i) => ({
      where: place('item', i + 1, str(raw.name)),
      item: toItem(raw, folders),
    })),
  );
}

function toItem(raw: Bw, folders: Map<string, string>): ImportedItem | { skip: string } {
  const folder = (typeof raw.folderId === 'string' && folders.get(raw.folderId)) || null;
  const leftOut: string[] = [];
  const fields = (Array.isArray(raw.fields) ? raw.fields : []).flatMap((f) => {
    const field = fromBitwardenField(obj(f));
    if ('leftOut' in field) {
      leftOut.push(field.leftOut);
      return [];
    }
    return [field];
  });
  const common = compact({
    name: str(raw.name) ?? 'Untitled',
    notes: typeof raw.notes === 'string' ? raw.notes : undefined,
    favorite: raw.favorite === true || undefined,
    reprompt: raw.reprompt === 1 || undefined,
    createdAt: str(raw.creationDate),
    updatedAt: str(raw.revisionDate),
    fields: fields.length ? fields : undefined,
  });
  const done = (body: Record<string, unknown>): ImportedItem => ({
    folder,
    body,
    ...(leftOut.length ? { leftOut } : {}),
  });
  switch (raw.type) {
    case 1: {
      const login = obj(raw.login);
      const uris = Array.isArray(login.uris)
        ? login.uris
            .map(obj)
            .filter((u) => str(u.uri))
            .map((u) => ({
              uri: str(u.uri)!,
              match: typeof u.match === 'number' ? (MATCH[u.match] ?? 'domain') : 'domain',
            }))
        : [];
      const history = Array.isArray(raw.passwordHistory)
        ? raw.passwordHistory
            .map(obj)
            .filter((h) => typeof h.password === 'string')
            .map((h) => ({
              password: h.password as string,
              changedAt: str(h.lastUsedDate) ?? common.updatedAt,
            }))
            .filter((h) => h.changedAt)
        : [];
      const { totp, extra } = totpOf(str(login.totp));
      if (extra) leftOut.push(extra.note);
      const passkeys = arr(login.fido2Credentials).flatMap((f) => {
        const read = passkeyFromBitwarden(f, String(common.createdAt ?? new Date().toISOString()));
        if ('passkey' in read) return [read.passkey];
        leftOut.push(passkeyLeftOut(str(obj(f).rpId) ?? '?', read.why));
        return [];
      });
      return done(
        compact({
          type: 'login',
          ...common,
          username: str(login.username),
          password: typeof login.password === 'string' ? login.password : undefined,
          totp,
          uris: uris.length ? uris : undefined,
          fields: extra ? [...fields, extra.field] : common.fields,
          passwordHistory: history.length ? history : undefined,
          passkeys: passkeys.length ? passkeys : undefined,
        }),
      );
    }
    case 2:
      return done(compact({ type: 'note', ...common, notes: common.notes ?? '' }));
    case 3: {
      const card = obj(raw.card);
      const month = Number(str(card.expMonth));
      const year = Number(str(card.expYear));
      return done(
        compact({
          type: 'card',
          ...common,
          cardholderName: str(card.cardholderName),
          brand: str(card.brand),
          number: str(card.number)?.replace(/[^0-9 ]/g, ''),
          expMonth: Number.isInteger(month) && month >= 1 && month <= 12 ? month : undefined,
          expYear:
            Number.isInteger(year) && year >= 0 ? (year < 100 ? 2000 + year : year) : undefined,
          code: str(card.code),
        }),
      );
    }
    case 4: {
      const id = obj(raw.identity);
      const fieldsOf = Object.fromEntries(identityFields.map((k) => [k, str(id[k])]));
      return done(compact({ type: 'identity', ...common, ...fieldsOf }));
    }
    case 5: {
      // An SSH key: a secure note carrying the key pair as fields (the private key hidden).
      const ssh = obj(raw.sshKey);
      const keyFields = [
        { name: 'Private key', value: str(ssh.privateKey), type: 'hidden' as const },
        { name: 'Public key', value: str(ssh.publicKey), type: 'text' as const },
        { name: 'Fingerprint', value: str(ssh.keyFingerprint), type: 'text' as const },
      ].filter((f): f is { name: string; value: string; type: 'hidden' | 'text' } => !!f.value);
      return done(
        compact({
          type: 'note',
          ...common,
          notes: common.notes ?? '',
          fields: [...keyFields, ...fields],
        }),
      );
    }
    default:
      return {
        skip: said('Bitwarden item type {type} is not one Cofre knows', { type: String(raw.type) }),
      };
  }
}
