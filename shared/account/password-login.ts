// Register and sign in with the master password. The KDF parameters the server hands back are
// checked against the floor, the ceiling and this device's pin BEFORE anything derived from the
// password is sent; the account key is opened with associated data naming the account, the
// email typed, the key's generation and those parameters, so everything the session returns
// has been verified by opening it.
import { z } from 'zod';
import {
  newAccountKey,
  unwrapAccountKeyWithPassword,
  wrapAccountKeyWithPassword,
} from '../crypto/account-key.ts';
import { normaliseEmail } from '../crypto/associated-data.ts';
import { fromBase64url, randomBytes, toBase64url } from '../crypto/bytes.ts';
import { deriveMasterKey, derivePasswordKeys } from '../crypto/derive-keys.ts';
import { CryptoError } from '../crypto/errors.ts';
import { DEFAULT_KDF } from '../crypto/kdf-policy.ts';
import { msg } from '../i18n-msg.ts';
import type { LoginInput, RegisterInput } from '../protocol/account.ts';
import { type Device, type Kdf, saltSchema } from '../protocol/common.ts';
import { AccountError, serverKeyMismatch } from './account-error.ts';

export interface AccountApi {
  prelogin(input: { email: string }): Promise<unknown>;
  register(input: RegisterInput): Promise<{ userId: string; token: string; expiresAt: string }>;
  login(input: LoginInput): Promise<unknown>;
}

/** KDF parameters as a server states them: checked by assertKdfAllowed, not by the schema. */
export const statedKdfSchema = z.strictObject({
  alg: z.literal('argon2id'),
  m: z.number().int(),
  t: z.number().int(),
  p: z.number().int(),
});
const preloginAnswer = z.object({ kdf: statedKdfSchema, salt: saltSchema });
const loginAnswer = z.object({
  userId: z.uuid(),
  token: z.string().min(1).max(512),
  expiresAt: z.string(),
  kdf: statedKdfSchema,
  salt: saltSchema,
  wrappedAccountKey: z.string().max(1400),
  /** The account key's generation (an addition to protocol v1; absent from older servers). */
  generation: z.number().int().min(1).max(1_000_000).default(1),
});

/** A signed-in account, every part of it verified by opening the account key. */
export interface Session {
  userId: string;
  email: string;
  token: string;
  /** Raw account key: import it, keep it in session storage only. */
  accountKey: Uint8Array;
  kdf: Kdf;
  salt: string;
  wrappedAccountKey: string;
  generation: number;
}

/** What this device pinned at its last verified unlock. */
export interface AccountPins {
  userId: string;
  kdf: Kdf | null;
  generation: number;
}

export async function registerWithPassword(
  api: AccountApi,
  input: { email: string; password: string; device: Device; kdf?: Kdf; invitation?: string },
): Promise<Session> {
  const kdf = input.kdf ?? DEFAULT_KDF;
  const email = normaliseEmail(input.email);
  const userId = crypto.randomUUID();
  const salt = randomBytes(16);
  const { authKey, wrapKey } = await derivePasswordKeys(
    await deriveMasterKey(input.password, salt, kdf),
  );
  const accountKey = newAccountKey();
  const wrapped = toBase64url(
    await wrapAccountKeyWithPassword(accountKey, wrapKey, { userId, email, generation: 1, kdf }),
  );
  const out = await api.register({
    userId,
    email,
    kdf,
    salt: toBase64url(salt),
    authKey: toBase64url(authKey),
    wrappedAccountKey: wrapped,
    device: input.device,
    ...(input.invitation ? { invitation: input.invitation } : {}),
  });
  return {
    userId,
    email,
    token: out.token,
    accountKey,
    kdf,
    salt: toBase64url(salt),
    wrappedAccountKey: wrapped,
    generation: 1,
  };
}

export async function loginWithPassword(
  api: AccountApi,
  input: { email: string; password: string; device: Device; pins?: AccountPins | null },
): Promise<Session> {
  const email = normaliseEmail(input.email);
  const pre = preloginAnswer.safeParse(await api.prelogin({ email }));
  if (!pre.success)
    throw new AccountError('MALFORMED_ANSWER', msg('The server sent an unusable sign-in answer.'));
  const { kdf, salt } = pre.data;
  // Throws KDF_TOO_WEAK / KDF_TOO_COSTLY / KDF_DOWNGRADE before any key exists: nothing is sent.
  const master = await deriveMasterKey(input.password, fromBase64url(salt), kdf, input.pins?.kdf);
  const { authKey, wrapKey } = await derivePasswordKeys(master);
  const parsed = loginAnswer.safeParse(
    await api.login({ email, authKey: toBase64url(authKey), device: input.device }),
  );
  if (!parsed.success)
    throw new AccountError('MALFORMED_ANSWER', msg('The server sent an unusable sign-in answer.'));
  const res = parsed.data;
  if (input.pins && res.userId !== input.pins.userId)
    throw new AccountError(
      'OTHER_ACCOUNT',
      msg(
        'The server signed this device in to another account: refused. Sign out first to switch.',
      ),
    );
  // The answer's kdf and salt must be the ones the password was derived with.
  if (res.salt !== salt || JSON.stringify(res.kdf) !== JSON.stringify(kdf))
    throw serverKeyMismatch();
  let accountKey: Uint8Array;
  try {
    accountKey = await unwrapAccountKeyWithPassword(fromBase64url(res.wrappedAccountKey), wrapKey, {
      userId: res.userId,
      email,
      generation: res.generation,
      kdf,
    });
  } catch (cause) {
    if (cause instanceof CryptoError || cause instanceof TypeError) throw serverKeyMismatch(cause);
    throw cause;
  }
  return {
    userId: res.userId,
    email,
    token: res.token,
    accountKey,
    kdf,
    salt,
    wrappedAccountKey: res.wrappedAccountKey,
    generation: res.generation,
  };
}
