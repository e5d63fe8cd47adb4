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

/**
 * The keys read on every request (the account, the settings, the unlocked session, a pending
 * sign-in) are kept in worker memory: each `chrome.storage` read is a round trip to the browser
 * process, 2–12 ms under load here (traced: a page's `getState` after an edit spent ~25 ms in
 * four of them). Every write of these keys goes through `writeKey`/`removeKeys`; a change made
 * elsewhere drops the copy (`storage.onChanged`). Values are cloned in and out, so a caller that
 * edits what it read changes nothing until it saves.
 */
type Area = 'local' | 'session';
const copies = new Map<string, { value: unknown }>();
/** Bumped by every write and outside change of a key: a read that raced one keeps no copy. */
const writes = new Map<string, number>();
/** Values this worker wrote whose change event has not come back yet (a few per key at most). */
const echoes = new Map<string, string[]>();
const slot = (area: Area, key: string) => `${area}/${key}`;
const text = (value: unknown) => String(JSON.stringify(value));
function bump(k: string) {
  writes.set(k, (writes.get(k) ?? 0) + 1);
  copies.delete(k);
}
function expectEcho(k: string, value: unknown) {
  const pending = echoes.get(k) ?? [];
  pending.push(text(value));
  // A write of the value already stored fires no event: its entry would wait forever.
  echoes.set(k, pending.slice(-4));
}
browser.storage.onChanged.addListener((changes, area) => {
  for (const [key, change] of Object.entries(changes)) {
    const k = slot(area as Area, key);
    const pending = echoes.get(k);
    const mine = pending?.indexOf(text(change.newValue)) ?? -1;
    // Our own write coming back is no news; anything else is read again next time.
    if (mine >= 0) pending!.splice(mine, 1);
    else bump(k);
  }
});

export async function readKey(area: Area, key: string): Promise<unknown> {
  const k = slot(area, key);
  const copy = copies.get(k);
  if (copy) return structuredClone(copy.value);
  const seen = writes.get(k) ?? 0;
  const value = (await browser.storage[area].get(key))[key];
  if ((writes.get(k) ?? 0) === seen) copies.set(k, { value: structuredClone(value) });
  return value;
}

export async function writeKey(area: Area, key: string, value: unknown): Promise<void> {
  const k = slot(area, key);
  bump(k);
  const mine = writes.get(k);
  expectEcho(k, value);
  await browser.storage[area].set({ [key]: value });
  // Kept only if no other write (or outside change) of the key came meanwhile.
  if (writes.get(k) === mine) copies.set(k, { value: structuredClone(value) });
}

export async function removeKeys(area: Area, keys: string[]): Promise<void> {
  const mine = keys.map((key) => {
    const k = slot(area, key);
    bump(k);
    expectEcho(k, undefined);
    return writes.get(k);
  });
  await browser.storage[area].remove(keys);
  for (const [i, key] of keys.entries())
    if (writes.get(slot(area, key)) === mine[i]) copies.set(slot(area, key), { value: undefined });
}

export async function loadAccount(): Promise<Account | null> {
  const account = await readKey('local', 'account');
  if (account === undefined) return null;
  const parsed = accountSchema.safeParse(account);
  if (!parsed.success) throw new Error('The saved account on this device is unreadable.');
  return parsed.data;
}

export const saveAccount = (account: Account) => writeKey('local', 'account', account);

export async function loadSettings(): Promise<Settings> {
  const settings = await readKey('local', 'settings');
  const parsed = settingsSchema.safeParse(settings ?? {});
  return parsed.success ? parsed.data : settingsSchema.parse({});
}

export const saveSettings = (settings: Settings) => writeKey('local', 'settings', settings);

export async function loadSession(): Promise<UnlockedSession | null> {
  const parsed = sessionSchema.safeParse(await readKey('session', 'session'));
  return parsed.success ? parsed.data : null;
}

export const saveSession = (session: UnlockedSession) => writeKey('session', 'session', session);
export const clearSession = () => removeKeys('session', ['session']);
