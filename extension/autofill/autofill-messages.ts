// Messages across the autofill boundary. Content scripts run beside untrusted pages: what they
// send is checked with zod, and the worker answers only about the sender's own tab and frame
// (from `sender`, never from the message). What the worker sends them is checked too.
import { z } from 'zod';

export const fieldRoleSchema = z.enum([
  'username',
  'password',
  'newPassword',
  'otp',
  'card',
  'identity',
]);
export const groupKindSchema = z.enum([
  'login',
  'username-only',
  'otp',
  'signup',
  'change-password',
  'card',
  'address',
]);

/** What a new-password field asks of a password (its attributes, as the page wrote them). */
export const passwordRulesSchema = z.object({
  passwordrules: z.string().max(1_000).optional(),
  minLength: z.number().int().min(0).max(1_000).optional(),
  maxLength: z.number().int().min(1).max(1_000).optional(),
  pattern: z.string().max(1_000).optional(),
});
export type PasswordRules = z.infer<typeof passwordRulesSchema>;

const text = (max: number) => z.string().max(max);
const coord = z.number().finite().min(-1e6).max(1e6);
const boxSchema = z.object({
  left: coord,
  top: coord,
  width: z.number().finite().min(0).max(1e6),
  height: z.number().finite().min(0).max(1e6),
});

/** Content script → worker. */
export const contentRequestSchema = z.discriminatedUnion('type', [
  /** A person focused a fillable field (a trusted event): should the inline menu open? */
  z.object({
    type: z.literal('autofill:focus'),
    role: fieldRoleSchema,
    kind: groupKindSchema,
    rules: passwordRulesSchema.optional(),
    /** The field's box in this frame's viewport (a subframe's menu is drawn by the top frame). */
    rect: boxSchema.optional(),
  }),
  /**
   * A frame found which of its iframes posted a locate nonce (`event.source`): that iframe's
   * content box in this frame's viewport, and whether the iframe is what a person sees at the
   * field's point. Answered with the next nonce when this frame is not the top one.
   */
  z.object({
    type: z.literal('autofill:frameAt'),
    nonce: z.string().max(64),
    box: z.object({ left: coord, top: coord }),
    visible: z.boolean(),
  }),
  /** The menu named was closed in the frame that had it (the other side should drop it). */
  z.object({ type: z.literal('autofill:menuGone'), token: z.string().max(64) }),
  /** This frame has fillable forms (sent once, and again when asked). */
  z.object({
    type: z.literal('autofill:forms'),
    kinds: z.array(groupKindSchema).max(50),
    focusedAt: z.number().nullable(),
  }),
  /** A form was submitted by a person: the values, to offer saving or updating after success. */
  z.object({
    type: z.literal('autofill:submitted'),
    kind: groupKindSchema,
    username: text(1_000),
    password: text(10_000),
    newPassword: text(10_000),
  }),
  /** After a submit: did the password field go away (success) or stay (a failed login)? */
  z.object({ type: z.literal('autofill:outcome'), passwordStillThere: z.boolean() }),
  /** A new page finished its first scan (top frame): a submit just before may have succeeded. */
  z.object({
    type: z.literal('autofill:pageReady'),
    kinds: z.array(groupKindSchema).max(50),
    passwordVisible: z.boolean(),
  }),
]);
export type ContentRequest = z.infer<typeof contentRequestSchema>;

export type { ToContent } from './to-content.ts';

export type FilledPart = 'username' | 'password' | 'otp' | 'newPassword' | 'card' | 'identity';
export type FillResult = { filled: FilledPart[] } | { refused: string };
