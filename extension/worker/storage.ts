// What the worker keeps in chrome.storage: the account (local, survives restarts; holds only
// wrapped keys and an encrypted token) and the unlocked session (session storage: cleared when
// the browser closes, never written to disk, not readable by content scripts).
import { browser } from 'wxt/browser';
import { z } from 'zod';
import { retiredKeySchema } from '../../shared/account/account-keyring.ts';
import { kdfSchema } from '../../shared/protocol/common.ts';
import { type Settings, settingsSchema } from '../messages.ts';

export const PIN_MAX_TRIES = 5;

const accountSchema = z.object({
  serverUrl: z.string(),
  userId: z.uuid(),
  email: z.string(),
  deviceId: z.uuid(),
  deviceName: z.string(),
  /**
   * The password wrap this device unlocks with, its salt and KDF parameters. Once it has opened
   * on this device (`passwordVerified`) they are pins: lower parameters are refused, and they are
   * replaced only by a wrap that opened with the password.
   */
  kdf: kdfSchema,
  salt: z.string(),
  wrappedAccountKey: z.string(),
  /**
   * False after a passkey sign-in: the password wrap came from the server unopened, so it pins
   * nothing until the first password unlock opens it.
   */
  passwordVerified: z.boolean().default(true),
  /** Which account key `wrappedAccountKey` holds (pinned); a server offering an older one is refused. */
  keyGeneration: z.number().int().min(1).default(1),
  /** Keys earlier rotations retired, each wrapped by its successor (from account.keys). */
  retiredKeys: z.array(retiredKeySchema).default([]),
  /** The generation every local record was last re-encrypted to; below keyGeneration: resume. */
  rekeyedGeneration: z.number().int().min(1).default(1),
  /** The session token sealed with the account key: usable only while unlocked. */
  sealedToken: z.string(),
  /** This browser's remembered-browser token (two-step sign-in), sealed the same way. */
  sealedRememberToken: z.string().optional(),
  pin: z
    .object({ salt: z.string(), wrapped: z.string(), failures: z.number().int().min(0) })
    .nullable()
    .default(null),
  passkeys: z
    .array(
      z.object({
        credentialId: z.string(),
        prfSalt: z.string(),
        wrapped: z.string(),
        name: z.string(),
      }),
    )
    .default([]),
});
export type Account = z.infer<typeof accountSchema>;

const sessionSchema = z.object({
  accountKey: z.string(),
  /** When the vault locks (ms since epoch); null = never. */
  deadline: z.number().nullable(),
});
export type UnlockedSession = z.infer<typeof sessionSchema>;

export async function loadAccount(): Promise<Account | null> {
  const { account } = await browser.storage.local.get('account');
  if (account === undefined) return null;
  const parsed = accountSchema.safeParse(account);
  if (!parsed.success) throw new Error('The saved account on this device is unreadable.');
  return parsed.data;
}

export const saveAccount = (account: Account) => browser.storage.local.set({ account });

export async function loadSettings(): Promise<Settings> {
  const { settings } = await browser.storage.local.get('settings');
  const parsed = settingsSchema.safeParse(settings ?? {});
  return parsed.success ? parsed.data : settingsSchema.parse({});
}

export const saveSettings = (settings: Settings) => browser.storage.local.set({ settings });

export async function loadSession(): Promise<UnlockedSession | null> {
  const { session } = await browser.storage.session.get('session');
  const parsed = sessionSchema.safeParse(session);
  return parsed.success ? parsed.data : null;
}

export const saveSession = (session: UnlockedSession) => browser.storage.session.set({ session });
export const clearSession = () => browser.storage.session.remove('session');
