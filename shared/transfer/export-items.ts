// Exports other tools read: Bitwarden's plain JSON (every item type, folders, fields, URI match
// modes) and Bitwarden's CSV (logins and notes: the CSV most managers import). Both are plain
// text; the page warns before either is written.
import { type ItemBody, identityFields } from '../model/item.ts';
import { toBitwardenField } from './bitwarden-fields.ts';
import { writeCsv } from './csv.ts';
import { BITWARDEN } from './import-csv.ts';
import type { ImportedItem } from './import-result.ts';
import { passkeyToBitwarden } from './passkey-transfer.ts';

const MATCH = ['domain', 'host', 'startsWith', 'exact', 'regex', 'never'];

type Item = ItemBody;

export function toBitwardenJson(items: ImportedItem[]): string {
  const folderIds = new Map<string, string>();
  for (const { folder } of items)
    if (folder && !folderIds.has(folder)) folderIds.set(folder, crypto.randomUUID());
  const out = items.map(({ body, folder }) => {
    const b = body as unknown as Item;
    const base = {
      id: crypto.randomUUID(),
      folderId: folder ? folderIds.get(folder) : null,
      type: { login: 1, note: 2, card: 3, identity: 4 }[b.type],
      reprompt: b.reprompt ? 1 : 0,
      name: b.name,
      notes: b.notes || null,
      favorite: b.favorite,
      creationDate: b.createdAt,
      revisionDate: b.updatedAt,
      fields: b.fields.map((f) => toBitwardenField(f, b.type)),
    };
    switch (b.type) {
      case 'login':
        return {
          ...base,
          passwordHistory: b.passwordHistory.map((h) => ({
            lastUsedDate: h.changedAt,
            password: h.password,
          })),
          login: {
            uris: b.uris.map((u) => ({ uri: u.uri, match: MATCH.indexOf(u.match) })),
            username: b.username || null,
            password: b.password || null,
            totp: b.totp,
            fido2Credentials: (b.passkeys ?? []).map(passkeyToBitwarden),
          },
        };
      case 'note':
        return { ...base, secureNote: { type: 0 } };
      case 'card':
        return {
          ...base,
          card: {
            cardholderName: b.cardholderName,
            brand: b.brand,
            number: b.number,
            expMonth: b.expMonth === null ? null : String(b.expMonth),
            expYear: b.expYear === null ? null : String(b.expYear),
            code: b.code,
          },
        };
      default:
        return {
          ...base,
          identity: Object.fromEntries(identityFields.map((k) => [k, b[k]])),
        };
    }
  });
  return JSON.stringify(
    {
      encrypted: false,
      folders: [...folderIds].map(([name, id]) => ({ id, name })),
      items: out,
    },
    null,
    2,
  );
}

const CSV_HEADER = BITWARDEN;

/** Bitwarden's CSV: logins and secure notes (cards and identities have no columns there). */
export function toCsv(items: ImportedItem[]): { csv: string; left: number; passkeys: number } {
  const rows: Array<Array<string | number | null>> = [];
  let left = 0;
  /** Website passkeys of the logins written: CSV has no column for them. */
  let passkeys = 0;
  for (const { body, folder } of items) {
    const b = body as unknown as Item;
    if (b.type !== 'login' && b.type !== 'note') {
      left++;
      continue;
    }
    const login = b.type === 'login' ? b : null;
    passkeys += login?.passkeys?.length ?? 0;
    rows.push([
      folder ?? '',
      b.favorite ? 1 : '',
      b.type,
      b.name,
      b.notes,
      b.fields
        .filter((f) => f.type !== 'linked')
        .map((f) => `${f.name}: ${f.value}`)
        .join('\n'),
      b.reprompt ? 1 : 0,
      login ? login.uris.map((u) => u.uri).join(',') : '',
      login?.username ?? '',
      login?.password ?? '',
      login?.totp ?? '',
    ]);
  }
  return { csv: writeCsv(CSV_HEADER, rows), left, passkeys };
}
