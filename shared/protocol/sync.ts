// sync.* wire schemas (PROTOCOL.md §sync) and their limits.
import { z } from 'zod';
import { base64url, uuidSchema } from './common.ts';

export const LIMITS = {
  bodyBytes: 4 * 1024 * 1024,
  pushItems: 500,
  ctBytes: 64 * 1024,
  pullLimit: 1000,
} as const;

const version = z.number().int().min(0).max(2_147_483_647);

export const pushItemSchema = z
  .strictObject({
    id: uuidSchema,
    baseVersion: version,
    deleted: z.boolean(),
    ct: base64url({ minBytes: 1, maxBytes: LIMITS.ctBytes }).nullable(),
    /** The shared vault the record belongs to (an addition to v1); absent: the personal vault. */
    vaultId: uuidSchema.optional(),
  })
  // A tombstone carries its seal (record format 2) or, from older clients, nothing.
  .refine((i) => i.deleted || i.ct !== null, {
    message: 'a live record has ct',
    path: ['ct'],
  });
export type PushItem = z.infer<typeof pushItemSchema>;

export const pushInput = z.strictObject({
  deviceId: uuidSchema,
  items: z
    .array(pushItemSchema)
    .max(LIMITS.pushItems, `at most ${LIMITS.pushItems} items per push`)
    .refine((items) => new Set(items.map((i) => i.id)).size === items.length, {
      message: 'each id may appear once per push',
    }),
});
export type PushInput = z.infer<typeof pushInput>;

export const pullInput = z.strictObject({
  cursor: z.number().int().min(0, 'cursor must be >= 0').max(Number.MAX_SAFE_INTEGER),
  limit: z.number().int().min(1).max(LIMITS.pullLimit),
  /** Pull a shared vault's records (an addition to v1); absent: the personal vault. */
  vaultId: uuidSchema.optional(),
});
export type PullInput = z.infer<typeof pullInput>;

export const changesInput = z
  .strictObject({ lastEventId: z.string().max(32).nullish() })
  .optional();

/** A record as the server sends it, bounded before anything in it is decoded. */
export const recordSchema = z.object({
  id: uuidSchema,
  version,
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  deleted: z.boolean(),
  ct: z
    .string()
    .max(Math.ceil((LIMITS.ctBytes * 4) / 3))
    .nullable(),
  updatedAt: z.string().max(40).nullable(),
});
export type WireRecord = z.infer<typeof recordSchema>;

export const pushResultSchema = z.object({
  applied: z
    .array(
      z.object({
        id: uuidSchema,
        version: version.min(1),
        seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
      }),
    )
    .max(LIMITS.pushItems),
  conflicts: z.array(recordSchema).max(LIMITS.pushItems),
});
export type PushOutput = z.infer<typeof pushResultSchema>;

export const pullResultSchema = z.object({
  items: z.array(recordSchema).max(LIMITS.pullLimit),
  cursor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  hasMore: z.boolean(),
  reset: z.boolean(),
});
export type PullOutput = z.infer<typeof pullResultSchema>;
