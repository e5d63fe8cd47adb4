// account.* wire schemas (PROTOCOL.md §account).
import { z } from 'zod';
import {
  authKeySchema,
  base64url,
  deviceSchema,
  emailSchema,
  kdfSchema,
  saltSchema,
  uuidSchema,
  wrappedKeySchema,
} from './common.ts';
import { authenticationResponseSchema } from './passkeys.ts';

export const preloginInput = z.strictObject({ email: emailSchema });
export type PreloginInput = z.infer<typeof preloginInput>;

export const registerInput = z.strictObject({
  userId: uuidSchema,
  email: emailSchema,
  kdf: kdfSchema,
  salt: saltSchema,
  authKey: authKeySchema,
  wrappedAccountKey: wrappedKeySchema,
  device: deviceSchema,
  /**
   * An invitation code (an addition to protocol v1), for a server that takes sign-ups by
   * invitation only; any case, spaces and dashes allowed.
   */
  invitation: z
    .string()
    .trim()
    .min(1)
    .max(64, 'must be at most 64 characters')
    .regex(/^[A-Za-z0-9 -]+$/, 'must be letters, digits, spaces and dashes')
    .optional(),
});
export type RegisterInput = z.infer<typeof registerInput>;

/** A code from an authenticator app (RFC 6238: six digits). */
export const totpCodeSchema = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'must be the six digits the authenticator app shows');
/** A one-time recovery code of two-step sign-in, as typed. */
export const recoveryCodeSchema = z
  .string()
  .trim()
  .min(8)
  .max(40)
  .regex(/^[A-Za-z0-9 -]+$/, 'must be letters, digits, spaces and dashes');
/** A remembered browser's token (32 bytes), sent back at its next sign-in. */
export const rememberTokenSchema = base64url({ exactBytes: 32, maxBytes: 32 });
/** The sign-in's one-time ticket between the password and the second step. */
export const loginTicketSchema = base64url({ exactBytes: 32, maxBytes: 32 });

/** A second factor typed with the password (a locked account's owner gets through with it). */
export const typedFactorSchema = z.union([
  z.strictObject({ totp: totpCodeSchema }),
  z.strictObject({ recoveryCode: recoveryCodeSchema }),
]);

export const loginInput = z.strictObject({
  email: emailSchema,
  authKey: authKeySchema,
  device: deviceSchema,
  /** Additions to protocol v1 for two-step sign-in: remember this browser for 30 days… */
  remember: z.boolean().optional(),
  /** …the token a remembered browser got… */
  rememberToken: rememberTokenSchema.optional(),
  /** …and a second factor given up front. */
  secondFactor: typedFactorSchema.optional(),
});
export type LoginInput = z.infer<typeof loginInput>;

export const changePasswordInput = z.strictObject({
  authKey: authKeySchema,
  newAuthKey: authKeySchema,
  newKdf: kdfSchema,
  newSalt: saltSchema,
  newWrappedAccountKey: wrappedKeySchema,
});
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;

/** account.rotateKey (an addition to protocol v1): a new account key replaces the current one. */
export const rotateKeyInput = z.strictObject({
  authKey: authKeySchema,
  /** The new key's generation: the current one + 1, so two rotations cannot cross. */
  generation: z.number().int().min(2).max(1_000_000),
  /** The new account key wrapped by the password's wrapKey under `newSalt` (same KDF). */
  newWrappedAccountKey: wrappedKeySchema,
  /** The current (now retired) account key wrapped by the new one. */
  retiredKey: wrappedKeySchema,
  /** A rotation takes a new salt, so nothing derived from the password before it still opens. */
  newSalt: saltSchema,
  /** The password's authKey under `newSalt`. */
  newAuthKey: authKeySchema,
  /**
   * The device's pull cursor: the rotation is refused (CONFLICT) if anything was written since,
   * so the rotating device holds every record the retired key sealed and re-encrypts them all.
   */
  head: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});
export type RotateKeyInput = z.infer<typeof rotateKeyInput>;

/** account.secondFactorOptions: the WebAuthn challenge for a sign-in waiting for its second step. */
export const secondFactorOptionsInput = z.strictObject({ ticket: loginTicketSchema });

/** account.completeLogin: the second step of a sign-in. */
export const completeLoginInput = z.strictObject({
  ticket: loginTicketSchema,
  factor: z.union([
    z.strictObject({ totp: totpCodeSchema }),
    z.strictObject({ recoveryCode: recoveryCodeSchema }),
    z.strictObject({ webauthn: authenticationResponseSchema }),
  ]),
  remember: z.boolean(),
});
export type CompleteLoginInput = z.infer<typeof completeLoginInput>;
