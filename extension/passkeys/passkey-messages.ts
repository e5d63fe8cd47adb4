// What crosses from a web page to the worker when a site calls navigator.credentials (issue 20).
// The page's script (extension/passkeys/page-hook.ts) turns the options into JSON; the relay
// content script adds what only it can see (the frame's permissions policy) and sends it on.
// Everything is untrusted: the worker checks it here with zod, and takes the origin, the frame
// and the tab from Chrome's `sender`, never from the message.
import { z } from 'zod';

const b64url = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9_-]*$/);
const text = (max: number) => z.string().max(max);

const descriptor = z.object({
  type: z.string().max(32),
  id: b64url(1_366),
  transports: z.array(text(32)).max(16).optional(),
});

const userVerification = z.enum(['required', 'preferred', 'discouraged']).catch('preferred');

export const creationOptionsSchema = z.object({
  challenge: b64url(1_366).min(1),
  rp: z.object({ id: text(253).optional(), name: text(500).default('') }),
  user: z.object({
    id: b64url(128).min(1),
    name: text(500).default(''),
    displayName: text(500).default(''),
  }),
  pubKeyCredParams: z
    .array(z.object({ type: text(32), alg: z.number().int() }))
    .max(64)
    .default([]),
  timeout: z.number().min(0).max(86_400_000).optional(),
  excludeCredentials: z.array(descriptor).max(256).default([]),
  authenticatorSelection: z
    .object({
      authenticatorAttachment: text(32).optional(),
      residentKey: text(32).optional(),
      requireResidentKey: z.boolean().optional(),
      userVerification: userVerification.optional(),
    })
    .default({}),
  attestation: text(32).optional(),
  /** The names of the extensions the site asked for (only credProps is answered). */
  extensions: z.array(text(64)).max(32).default([]),
});
export type CreationOptions = z.infer<typeof creationOptionsSchema>;

export const requestOptionsSchema = z.object({
  challenge: b64url(1_366).min(1),
  rpId: text(253).optional(),
  allowCredentials: z.array(descriptor).max(256).default([]),
  userVerification: userVerification.default('preferred'),
  timeout: z.number().min(0).max(86_400_000).optional(),
  extensions: z.array(text(64)).max(32).default([]),
});
export type RequestOptions = z.infer<typeof requestOptionsSchema>;

/** Relay → worker. `request` is the page's own id for the call (to cancel it by). */
export const passkeyRequestSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('passkey:create'),
    request: b64url(64),
    options: creationOptionsSchema,
    /** The frame's permissions policy allows publickey-credentials-create (seen by the relay). */
    policy: z.boolean(),
  }),
  z.object({
    type: z.literal('passkey:get'),
    request: b64url(64),
    options: requestOptionsSchema,
    conditional: z.boolean(),
    policy: z.boolean(),
  }),
  z.object({ type: z.literal('passkey:cancel'), request: b64url(64) }),
]);
export type PasskeyRequest = z.infer<typeof passkeyRequestSchema>;

/** A new credential, as the page builds its PublicKeyCredential from it (all bytes base64url). */
export interface CreatedCredential {
  id: string;
  clientDataJSON: string;
  attestationObject: string;
  authenticatorData: string;
  publicKey: string;
  publicKeyAlgorithm: number;
  transports: string[];
  credProps: boolean;
}

export interface SignedAssertion {
  id: string;
  clientDataJSON: string;
  authenticatorData: string;
  signature: string;
  userHandle: string | null;
}

/** Worker → relay → page: the credential, "use the browser's own", or a DOMException to throw. */
export type PasskeyAnswer =
  | { created: CreatedCredential }
  | { asserted: SignedAssertion }
  | { fallback: true }
  | { error: { name: string; message: string } };
