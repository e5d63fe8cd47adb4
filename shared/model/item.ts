// The plaintext inside a record (DESIGN §3): vault items and folders. Everything here is
// encrypted before it leaves the device; the server never sees a field of it.
import { z } from 'zod';
import { msg, said } from '../i18n-msg.ts';
import { isValidTotp } from './totp.ts';

const text = (max: number) =>
  z.string().max(max, said('must be at most {max} characters', { max }));
const isoTime = z.iso.datetime({ offset: true, message: msg('must be an ISO-8601 time') });
const nullableText = (max: number) => text(max).nullable().default(null);

/** How a saved URI matches the page being filled (DESIGN §5). */
export const uriMatchSchema = z.enum(['domain', 'host', 'startsWith', 'exact', 'regex', 'never']);
export type UriMatch = z.infer<typeof uriMatchSchema>;

export const loginUriSchema = z.strictObject({
  uri: text(2048).min(1, msg('must not be empty')),
  match: uriMatchSchema.default('domain'),
});

/**
 * A custom field's kind: text; hidden (masked like a password); boolean (value "true" or
 * "false"); linked (its value names a field of the same item, such as "username" — Bitwarden's
 * linked fields, for forms that name the username otherwise).
 */
export const customFieldTypeSchema = z.enum(['text', 'hidden', 'boolean', 'linked']);
export type CustomFieldType = z.infer<typeof customFieldTypeSchema>;

export const identityFields = [
  'title',
  'firstName',
  'middleName',
  'lastName',
  'company',
  'email',
  'phone',
  'address1',
  'address2',
  'address3',
  'city',
  'state',
  'postalCode',
  'country',
  'username',
  'ssn',
  'passportNumber',
  'licenseNumber',
] as const;

/** The built-in fields a linked custom field can stand for. */
export const LINKABLE: readonly string[] = [
  ...new Set([
    'username',
    'password',
    'totp',
    'cardholderName',
    'brand',
    'number',
    'expMonth',
    'expYear',
    'code',
    ...identityFields,
  ]),
];

export const customFieldSchema = z.preprocess(
  // Records written before fields had a kind carry `hidden: boolean`.
  (v) => {
    if (!v || typeof v !== 'object' || !('hidden' in v) || 'type' in v) return v;
    const { hidden, ...rest } = v as { hidden: unknown };
    return { ...rest, type: hidden === true ? 'hidden' : 'text' };
  },
  z
    .strictObject({
      name: text(200),
      value: text(10_000).default(''),
      type: customFieldTypeSchema.default('text'),
    })
    .refine((f) => f.type !== 'boolean' || f.value === 'true' || f.value === 'false', {
      message: msg('a yes/no field is "true" or "false"'),
      path: ['value'],
    })
    .refine((f) => f.type !== 'linked' || LINKABLE.includes(f.value), {
      message: msg('a linked field names one of the item’s own fields'),
      path: ['value'],
    }),
);
export type CustomField = z.infer<typeof customFieldSchema>;

export const passwordHistoryEntrySchema = z.strictObject({
  password: text(10_000),
  changedAt: isoTime,
});

/** The device that last edited an item (its id, and the name its owner knows it by). */
export const editorSchema = z.strictObject({
  device: text(64),
  name: text(200),
});
export type Editor = z.infer<typeof editorSchema>;

/**
 * A value that lost a concurrent edit: kept so the user can review it (DESIGN §3). `at` and
 * `by` say when and where that value was written; `against` when and where the value that
 * stayed current was (both unknown, null, for entries written before they were recorded).
 */
export const conflictEntrySchema = z.strictObject({
  field: text(200),
  value: z.json(),
  at: isoTime,
  by: editorSchema.nullable().default(null),
  against: z.strictObject({ at: isoTime, by: editorSchema.nullable() }).nullable().default(null),
});
export type ConflictEntry = z.infer<typeof conflictEntrySchema>;

const common = {
  name: text(500).min(1, msg('is required')),
  notes: text(100_000).default(''),
  favorite: z.boolean().default(false),
  folderId: z
    .uuid({ message: msg('must be a folder id') })
    .nullable()
    .default(null),
  tags: z.array(text(100)).max(100).default([]),
  reprompt: z.boolean().default(false),
  createdAt: isoTime,
  updatedAt: isoTime,
  conflicts: z.array(conflictEntrySchema).max(1_000).default([]),
  /** Set when moved to the trash; emptying the trash deletes the record for good. */
  trashedAt: isoTime.nullable().default(null),
  /** The device of the last edit, stamped by the worker (labels a conflict's sides). */
  editedBy: editorSchema.nullable().default(null),
  /** Fields the person (or the manager they came from) added: on every item type. */
  fields: z.array(customFieldSchema).max(200).default([]),
};

const b64url = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9_-]*$/, msg('must be base64url'));

/**
 * A passkey Cofre made for a website (WebAuthn; issue 20): its private key (PKCS #8, never
 * leaves the worker but to sync sealed in this record), the relying party and the account it
 * names. The signature counter stays 0, as synced passkeys' does.
 */
export const passkeySchema = z.strictObject({
  credentialId: b64url(1_366).min(1),
  rpId: text(253).min(1),
  /** The relying party's name for itself, as it gave it at creation. */
  rpName: text(500).default(''),
  /** The site's id for the account (user.id), base64url; null when unknown (some imports). */
  userHandle: b64url(128).nullable().default(null),
  userName: text(500).default(''),
  userDisplayName: text(500).default(''),
  /** COSE algorithm: -7 ES256 (P-256), -8 EdDSA (Ed25519). */
  algorithm: z.union([z.literal(-7), z.literal(-8)]),
  privateKey: b64url(1_000).min(1),
  counter: z.number().int().min(0).max(0xffffffff).default(0),
  discoverable: z.boolean().default(true),
  createdAt: isoTime,
});
export type Passkey = z.infer<typeof passkeySchema>;

export const loginSchema = z.strictObject({
  type: z.literal('login'),
  ...common,
  username: text(1_000).default(''),
  password: text(10_000).default(''),
  uris: z.array(loginUriSchema).max(100).default([]),
  totp: text(2_048)
    .nullable()
    .default(null)
    .refine(
      (t) => t === null || isValidTotp(t),
      msg('must be an otpauth:// URI or a base32 secret'),
    ),
  passwordHistory: z.array(passwordHistoryEntrySchema).max(100).default([]),
  passkeys: z.array(passkeySchema).max(100).default([]),
});

export const secureNoteSchema = z.strictObject({ type: z.literal('note'), ...common });

export const cardSchema = z.strictObject({
  type: z.literal('card'),
  ...common,
  cardholderName: nullableText(200),
  brand: nullableText(50),
  number: z
    .string()
    .regex(/^[0-9 ]{8,23}$/, msg('must be 8 to 19 digits'))
    .nullable()
    .default(null),
  expMonth: z.number().int().min(1).max(12).nullable().default(null),
  expYear: z.number().int().min(1900).max(9999).nullable().default(null),
  code: z
    .string()
    .regex(/^\d{3,4}$/, msg('must be 3 or 4 digits'))
    .nullable()
    .default(null),
});

export const identitySchema = z.strictObject({
  type: z.literal('identity'),
  ...common,
  ...(Object.fromEntries(identityFields.map((f) => [f, nullableText(500)])) as Record<
    (typeof identityFields)[number],
    ReturnType<typeof nullableText>
  >),
});

export const itemSchema = z.discriminatedUnion('type', [
  loginSchema,
  secureNoteSchema,
  cardSchema,
  identitySchema,
]);
export type Item = z.infer<typeof itemSchema>;
export type ItemInput = z.input<typeof itemSchema>;

export const folderSchema = z.strictObject({
  type: z.literal('folder'),
  name: text(500).min(1, msg('is required')),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type Folder = z.infer<typeof folderSchema>;

/**
 * One password the generator made, kept (sealed and synced like any record, one record each so
 * two devices never conflict over the list) with where it was meant to be used, if known. The
 * newest 100 are kept.
 */
export const generatedSchema = z.strictObject({
  type: z.literal('generated'),
  value: text(10_000).min(1),
  site: nullableText(2048),
  itemName: nullableText(500),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type Generated = z.infer<typeof generatedSchema>;
export const GENERATED_KEEP = 100;

const signPub = z.string().regex(/^[A-Za-z0-9_-]{43}$/, msg('is not a public key'));

/**
 * A pinned contact (SHARING.md §2): the identity this account believes for another account,
 * sealed in the personal vault so the server can neither unpin nor swap it. One record per
 * contact, its id derived from theirs, so every device pins into the same record.
 */
export const contactSchema = z.strictObject({
  type: z.literal('contact'),
  userId: z.uuid(),
  email: text(254),
  signPub,
  encPub: signPub,
  /** Set when the person compared the safety number and marked it verified. */
  verifiedAt: isoTime.nullable().default(null),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type Contact = z.infer<typeof contactSchema>;

/**
 * What this account knows of a shared vault it belongs to, sealed in the personal vault: the
 * highest key generation seen (a server serving an older one is caught) and the vault's owner.
 */
export const vaultPinSchema = z.strictObject({
  type: z.literal('vault-pin'),
  vaultId: z.uuid(),
  owner: z.uuid(),
  generation: z.number().int().min(1),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type VaultPin = z.infer<typeof vaultPinSchema>;

/** A shared vault's own settings, sealed inside the vault (its name: the server never sees it). */
export const vaultSettingsSchema = z.strictObject({
  type: z.literal('vault-settings'),
  name: text(200).min(1, msg('is required')),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type VaultSettings = z.infer<typeof vaultSettingsSchema>;

/** Whatever a record holds. */
export const recordBodySchema = z.discriminatedUnion('type', [
  ...itemSchema.options,
  folderSchema,
  generatedSchema,
  contactSchema,
  vaultPinSchema,
  vaultSettingsSchema,
]);
export type RecordBody = z.infer<typeof recordBodySchema>;

/** Record kinds that are bookkeeping, never shown in a list of items. */
type Bookkeeping = 'folder' | 'generated' | 'contact' | 'vault-pin' | 'vault-settings';
const BOOKKEEPING = new Set<string>([
  'folder',
  'generated',
  'contact',
  'vault-pin',
  'vault-settings',
]);

/** A body a person sees in the vault's lists: not a folder, a generated password or a pin. */
export type ItemBody = Exclude<RecordBody, { type: Bookkeeping }>;
export const isItem = (b: RecordBody): b is ItemBody => !BOOKKEEPING.has(b.type);

export class ModelError extends Error {
  readonly code = 'INVALID_ITEM';
  constructor(readonly issues: Array<{ path: string; message: string }>) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('; '));
    this.name = 'ModelError';
  }
}

/** Parses a record body; a bad one throws ModelError naming each field. */
export function parseRecordBody(value: unknown): RecordBody {
  const parsed = recordBodySchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ModelError(
    parsed.error.issues.map((i) => ({ path: i.path.join('.') || 'item', message: wordsOf(i) })),
  );
}

/** A schema issue in words the UI translates (zod's own sentences are English only). */
function wordsOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return msg('has the wrong kind of value');
    case 'unrecognized_keys':
      return said('has fields Cofre does not know: {keys}', { keys: issue.keys.join(', ') });
    case 'invalid_value':
    case 'invalid_union':
      return msg('is not one of the values Cofre knows');
    case 'too_big':
    case 'too_small':
      // Ours carry their own words; zod's (numbers, lists) are said here.
      if (!/^Too (big|small)/.test(issue.message)) return issue.message;
      return issue.code === 'too_big'
        ? said('must be at most {max}', { max: String(issue.maximum) })
        : said('must be at least {min}', { min: String(issue.minimum) });
    default:
      return issue.message;
  }
}
