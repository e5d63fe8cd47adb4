// passkeys.* wire schemas. Responses are @simplewebauthn's JSON forms; the browser may add
// fields, so their inner objects are loose while the procedure inputs stay strict.
import { z } from 'zod';
import { base64url, deviceSchema, emailSchema, wrappedKeySchema } from './common.ts';

const b64 = (maxBytes: number) => base64url({ maxBytes });

export const registrationResponseSchema = z.looseObject({
  id: b64(1023),
  rawId: b64(1023),
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: b64(8192),
    attestationObject: b64(65536),
    transports: z.array(z.string().max(32)).max(16).optional(),
  }),
  clientExtensionResults: z.looseObject({}),
  authenticatorAttachment: z.string().max(32).optional(),
});

export const authenticationResponseSchema = z.looseObject({
  id: b64(1023),
  rawId: b64(1023),
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: b64(8192),
    authenticatorData: b64(8192),
    signature: b64(1024),
    userHandle: b64(64).optional(),
  }),
  clientExtensionResults: z.looseObject({}),
  authenticatorAttachment: z.string().max(32).optional(),
});

export const passkeyRegisterInput = z
  .strictObject({
    response: registrationResponseSchema,
    name: z.string().trim().min(1).max(100),
    prfWrappedAccountKey: wrappedKeySchema.optional(),
    prfSalt: base64url({ exactBytes: 32, maxBytes: 32 }).optional(),
    /** Added as a second factor for signing in (an addition to protocol v1). */
    secondFactor: z.boolean().optional(),
  })
  .refine((i) => (i.prfSalt === undefined) === (i.prfWrappedAccountKey === undefined), {
    message: 'prfSalt and prfWrappedAccountKey go together',
    path: ['prfSalt'],
  });

export const passkeyLoginOptionsInput = z
  .strictObject({ email: emailSchema.optional() })
  .optional();

export const passkeyLoginInput = z.strictObject({
  response: authenticationResponseSchema,
  device: deviceSchema,
});

export const passkeyRemoveInput = z.strictObject({ id: b64(1023).min(1) });

/** passkeys.registrationOptions: a passkey (the default), or a security key as a second factor. */
export const registrationOptionsInput = z
  .strictObject({ secondFactor: z.boolean().optional() })
  .optional();
