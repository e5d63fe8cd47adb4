// twoFactor.* wire schemas (an addition to protocol v1): the account's second factors for
// signing in a new device — an authenticator app, security keys, recovery codes — and the
// browsers it remembers. Changing them asks for the master password again (its authKey).
import { z } from 'zod';
import { totpCodeSchema } from './account.ts';
import { authKeySchema, uuidSchema } from './common.ts';

export const withPasswordInput = z.strictObject({ authKey: authKeySchema });
export const totpConfirmInput = z.strictObject({ code: totpCodeSchema });
export const removeKeyInput = z.strictObject({
  id: z.string().min(1).max(1400),
  authKey: authKeySchema,
});
export const forgetDeviceInput = z.strictObject({ id: uuidSchema });

export const twoFactorStatusSchema = z.object({
  /** A second factor is asked of every new device. */
  enabled: z.boolean(),
  /** The server requires one (REQUIRE_2FA). */
  required: z.boolean(),
  totp: z.boolean(),
  /** Security keys added as a second factor. */
  keys: z.array(z.object({ id: z.string(), name: z.string(), createdAt: z.string() })),
  recoveryCodesLeft: z.number().int().min(0),
  rememberedDevices: z.array(
    z.object({
      id: uuidSchema,
      deviceName: z.string(),
      createdAt: z.string(),
      lastUsedAt: z.string(),
      expiresAt: z.string(),
      current: z.boolean(),
    }),
  ),
});
export type TwoFactorStatus = z.infer<typeof twoFactorStatusSchema>;
