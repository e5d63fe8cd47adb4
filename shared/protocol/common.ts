// Building blocks of the wire schemas: base64url bytes, ids, emails, KDF parameters, devices.
import { z } from 'zod';

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Number of bytes a padless base64url string of `length` characters decodes to. */
export function base64urlDecodedLength(length: number): number {
  return Math.floor((length * 3) / 4);
}

/** A padless base64url string whose decoded size is within [minBytes, maxBytes]. */
export function base64url(opts: { minBytes?: number; maxBytes: number; exactBytes?: number }) {
  const min = opts.exactBytes ?? opts.minBytes ?? 0;
  const max = opts.exactBytes ?? opts.maxBytes;
  return z
    .string()
    .max(Math.ceil((max * 4) / 3), `must decode to at most ${max} bytes`)
    .regex(BASE64URL, 'must be base64url without padding')
    .refine((s) => s.length % 4 !== 1, 'is not valid base64url (bad length)')
    .refine(
      (s) => {
        const n = base64urlDecodedLength(s.length);
        return n >= min && n <= max;
      },
      opts.exactBytes !== undefined
        ? `must decode to exactly ${opts.exactBytes} bytes`
        : `must decode to ${min}..${max} bytes`,
    );
}

export const uuidSchema = z.uuid({ message: 'must be a UUID' });

export const emailSchema = z
  .string()
  .max(254, 'must be at most 254 characters')
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.email({ message: 'must be an email address' }));

/**
 * The client refuses parameters below m = 64 MiB, t = 3 or beyond 1 GiB, 16 passes
 * (shared/crypto/kdf-policy.ts); so does the server.
 */
export const kdfSchema = z.strictObject({
  alg: z.literal('argon2id'),
  m: z.number().int().min(65_536, 'm must be at least 65536 KiB').max(1_048_576),
  t: z.number().int().min(3, 't must be at least 3').max(16),
  p: z.number().int().min(1).max(16),
});
export type Kdf = z.infer<typeof kdfSchema>;

export const deviceSchema = z.strictObject({
  id: uuidSchema,
  name: z.string().trim().min(1, 'device name is required').max(100),
});
export type Device = z.infer<typeof deviceSchema>;

export const authKeySchema = base64url({ maxBytes: 32, exactBytes: 32 });
export const saltSchema = base64url({ minBytes: 16, maxBytes: 64 });
/** A wrapped account key: an AEAD envelope around 32 bytes, opaque to the server. */
export const wrappedKeySchema = base64url({ minBytes: 32, maxBytes: 1024 });

export const emptyInput = z.strictObject({}).optional();
