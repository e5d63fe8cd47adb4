// Bitwarden's JSON export, plain or password-protected (the encrypted "data" holds the plain
// export). Account-restricted exports need the Bitwarden account's key and are refused.
import { z } from 'zod';
import { identityFields } from '../model/item.ts';
import { decryptEncString, deriveExportKeys } from './bitwarden-crypto.ts';
import {
  collect,
  compact,
  ImportError,
  type ImportedItem,
  type ImportResult,
  str,
} from './import-result.ts';

const MATCH = ['domain', 'host', 'startsWith', 'exact', 'regex', 'never'] as const;

const loose = z.looseObject({});
const exportSchema = z.looseObject({
  encrypted: z.boolean(),
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

export function isBitwardenJson(json: unknown): boolean {
  const o = obj(json);
  return typeof o.encrypted === 'boolean' && (Array.isArray(o.items) || 'data' in o);
}

export async function importBitwardenJson(json: unknown, password?: string): Promise<ImportResult> {
  let plain = json;
  if (obj(json).encrypted === true) {
    const p = protectedSchema.safeParse(json);
    if (!p.success)
      throw new ImportError(
        'MALFORMED',
        'This Bitwarden export is locked to a Bitwarden account. Export it again with “Password protected”.',
      );
    if (!password)
      throw new ImportError(
        'PASSWORD_REQUIRED',
        'This export is password protected: enter its password.',
      );
    const keys = await deriveExportKeys(password, p.data.salt, p.data);
    await decryptEncString(p.data.encKeyValidation_DO_NOT_EDIT, keys);
    plain = JSON.parse(await decryptEncString(p.data.data, keys));
  }
  const parsed = exportSchema.safeParse(plain);
  if (!parsed.success) throw new ImportError('MALFORMED', 'This is not a Bitwarden JSON export.');
  const folders = new Map(parsed.data.folders.map((f) => [f.id, f.name]));
  return collect(
    'bitwarden-json',
    parsed.data.items.map((raw, i) => ({
      where: `item ${i + 1}${str(raw.name) ? ` (${str(raw.name)})` : ''}`,
      item: toItem(raw, folders),
    })),
  );
}

function toItem(raw: Bw, folders: Map<string, string>): ImportedItem | { skip: string } {
  const folder = (typeof raw.folderId === 'string' && folders.get(raw.folderId)) || null;
  const fields = Array.isArray(raw.fields)
    ? raw.fields
        .map(obj)
        .filter((f) => f.type !== 3)
        .map((f) => ({
          name: String(f.name ?? ''),
          value: String(f.value ?? ''),
          hidden: f.type === 1,
        }))
    : [];
  const common = compact({
    name: str(raw.name) ?? 'Untitled',
    notes: typeof raw.notes === 'string' ? raw.notes : undefined,
    favorite: raw.favorite === true || undefined,
    reprompt: raw.reprompt === 1 || undefined,
    createdAt: str(raw.creationDate),
    updatedAt: str(raw.revisionDate),
  });
  const fieldNotes = fields.length
    ? `${common.notes ? `${common.notes}\n\n` : ''}${fields.map((f) => `${f.name}: ${f.value}`).join('\n')}`
    : common.notes;
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
      return {
        folder,
        body: compact({
          type: 'login',
          ...common,
          username: str(login.username),
          password: typeof login.password === 'string' ? login.password : undefined,
          totp: str(login.totp),
          uris: uris.length ? uris : undefined,
          fields: fields.length ? fields : undefined,
          passwordHistory: history.length ? history : undefined,
        }),
      };
    }
    case 2:
      return { folder, body: compact({ type: 'note', ...common, notes: fieldNotes ?? '' }) };
    case 3: {
      const card = obj(raw.card);
      const month = Number(str(card.expMonth));
      const year = Number(str(card.expYear));
      return {
        folder,
        body: compact({
          type: 'card',
          ...common,
          notes: fieldNotes,
          cardholderName: str(card.cardholderName),
          brand: str(card.brand),
          number: str(card.number)?.replace(/[^0-9 ]/g, ''),
          expMonth: Number.isInteger(month) && month >= 1 ? month : undefined,
          expYear:
            Number.isInteger(year) && year >= 1900 ? (year < 100 ? 2000 + year : year) : undefined,
          code: str(card.code),
        }),
      };
    }
    case 4: {
      const id = obj(raw.identity);
      const fieldsOf = Object.fromEntries(identityFields.map((k) => [k, str(id[k])]));
      return {
        folder,
        body: compact({ type: 'identity', ...common, notes: fieldNotes, ...fieldsOf }),
      };
    }
    default:
      return { skip: `Bitwarden item type ${String(raw.type)} (e.g. SSH key) is not supported` };
  }
}
