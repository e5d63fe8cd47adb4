// Cofre's own export: the items as JSON, sealed with a key from the export password
// (Argon2id, AES-256-GCM, associated data naming the format), so the file is safe to keep.

import { z } from 'zod';
import { fromBase64url, fromUtf8, randomBytes, toBase64url, utf8 } from '../crypto/bytes.ts';
import { deriveMasterKey } from '../crypto/derive-keys.ts';
import { importAesKey, open, seal } from '../crypto/envelope.ts';
import { DEFAULT_KDF } from '../crypto/kdf-policy.ts';
import { msg } from '../i18n-msg.ts';
import { kdfSchema } from '../protocol/common.ts';
import { ImportError, type ImportedItem } from './import-result.ts';

const AD = 'cofre/v1/export';

const fileSchema = z.strictObject({
  format: z.literal('cofre-export'),
  version: z.literal(1),
  kdf: kdfSchema,
  salt: z.string(),
  data: z.string(),
});
const contentSchema = z.object({
  items: z.array(
    z.object({ body: z.record(z.string(), z.unknown()), folder: z.string().nullable() }),
  ),
});

export const isCofreExport = (json: unknown) =>
  !!json && typeof json === 'object' && (json as { format?: unknown }).format === 'cofre-export';

export async function sealCofreExport(items: ImportedItem[], password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await importAesKey(await deriveMasterKey(password, salt, DEFAULT_KDF));
  const data = await seal(key, utf8(JSON.stringify({ items })), AD);
  return JSON.stringify(
    {
      format: 'cofre-export',
      version: 1,
      kdf: DEFAULT_KDF,
      salt: toBase64url(salt),
      data: toBase64url(data),
    },
    null,
    2,
  );
}

export async function openCofreExport(json: unknown, password?: string): Promise<ImportedItem[]> {
  const file = fileSchema.safeParse(json);
  if (!file.success) throw new ImportError('MALFORMED', msg('This Cofre export is damaged.'));
  if (!password)
    throw new ImportError(
      'PASSWORD_REQUIRED',
      msg('This export is password protected: enter its password.'),
    );
  const key = await importAesKey(
    await deriveMasterKey(password, fromBase64url(file.data.salt), file.data.kdf),
  );
  let plain: Uint8Array;
  try {
    plain = await open(key, fromBase64url(file.data.data), AD);
  } catch {
    throw new ImportError('WRONG_PASSWORD', msg('Wrong password for this export.'));
  }
  const content = contentSchema.safeParse(JSON.parse(fromUtf8(plain)));
  if (!content.success) throw new ImportError('MALFORMED', msg('This Cofre export is damaged.'));
  return content.data.items;
}
