// recovery.* wire schemas (an addition to protocol v1): recovery kits, and an account regained
// with one. `recoveryAuthKey` is derived from the account key (shared/account/recovery-kit.ts).
import { z } from 'zod';
import {
  authKeySchema,
  deviceSchema,
  emailSchema,
  kdfSchema,
  saltSchema,
  uuidSchema,
  wrappedKeySchema,
} from './common.ts';

export const createKitInput = z
  .strictObject({
    /** The master password's authKey, checked again: a stolen session cannot make a kit. */
    authKey: authKeySchema,
    id: uuidSchema,
    threshold: z.number().int().min(2).max(10),
    shares: z.number().int().min(2).max(10),
    recoveryAuthKey: authKeySchema,
  })
  .refine((k) => k.threshold <= k.shares, { message: 'threshold must not exceed shares' });
export type CreateKitInput = z.infer<typeof createKitInput>;

/** recovery.check: proves a kit (throttled like a recovery) and tells the key's generation. */
export const checkKitInput = z.strictObject({
  email: emailSchema,
  kitId: uuidSchema,
  recoveryAuthKey: authKeySchema,
});
export type CheckKitInput = z.infer<typeof checkKitInput>;

export const recoverInput = z.strictObject({
  email: emailSchema,
  kitId: uuidSchema,
  recoveryAuthKey: authKeySchema,
  /** The generation the new wrap names (from recovery.check); refused if the key moved since. */
  generation: z.number().int().min(1).max(1_000_000),
  /** The new master password's credentials; the account key stays the same. */
  newAuthKey: authKeySchema,
  newKdf: kdfSchema,
  newSalt: saltSchema,
  newWrappedAccountKey: wrappedKeySchema,
  device: deviceSchema,
});
export type RecoverInput = z.infer<typeof recoverInput>;
