// Register and sign in with the master password. The KDF parameters the server hands back are
// checked against the floor and this device's pin BEFORE anything derived from the password is
// sent; the account key is opened with associated data naming the user and those parameters.

import { z } from 'zod';
import {
  newAccountKey,
  unwrapAccountKeyWithPassword,
  wrapAccountKeyWithPassword,
} from '../crypto/account-key.ts';
import { fromBase64url, randomBytes, toBase64url } from '../crypto/bytes.ts';
import { deriveMasterKey, derivePasswordKeys } from '../crypto/derive-keys.ts';
import { CryptoError } from '../crypto/errors.ts';
import { DEFAULT_KDF } from '../crypto/kdf-policy.ts';
import type { LoginInput, RegisterInput } from '../protocol/account.ts';
import { type Device, type Kdf, kdfSchema, saltSchema } from '../protocol/common.ts';

export interface AccountApi {
  prelogin(input: { email: string }): Promise<unknown>;
  register(input: RegisterInput): Promise<{ userId: string; token: string; expiresAt: string }>;
  login(input: LoginInput): Promise<unknown>;
}

const preloginAnswer = z.object({ kdf: kdfSchema, salt: saltSchema });
const loginAnswer = z.object({
  userId: z.uuid(),
  token: z.string().min(1),
  expiresAt: z.string(),
  kdf: kdfSchema,
  salt: saltSchema,
  wrappedAccountKey: z.string(),
});

export interface Session {
  userId: string;
  token: string;
  /** Raw account key: import it, keep it in session storage only. */
  accountKey: Uint8Array;
  /** Pin these on the device after a successful unlock. */
  kdf: Kdf;
}

export async function registerWithPassword(
  api: AccountApi,
  input: { email: string; password: string; device: Device; kdf?: Kdf },
): Promise<Session> {
  const kdf = input.kdf ?? DEFAULT_KDF;
  const userId = crypto.randomUUID();
  const salt = randomBytes(16);
  const { authKey, wrapKey } = await derivePasswordKeys(
    await deriveMasterKey(input.password, salt, kdf),
  );
  const accountKey = newAccountKey();
  const wrapped = await wrapAccountKeyWithPassword(accountKey, wrapKey, userId, kdf);
  const out = await api.register({
    userId,
    email: input.email,
    kdf,
    salt: toBase64url(salt),
    authKey: toBase64url(authKey),
    wrappedAccountKey: toBase64url(wrapped),
    device: input.device,
  });
  return { userId, token: out.token, accountKey, kdf };
}

export async function loginWithPassword(
  api: AccountApi,
  input: { email: string; password: string; device: Device; pinnedKdf?: Kdf | null },
): Promise<Session> {
  const pre = preloginAnswer.safeParse(await api.prelogin({ email: input.email }));
  if (!pre.success)
    throw new CryptoError('KDF_TOO_WEAK', 'The server offered unusable key derivation parameters.');
  const { kdf, salt } = pre.data;
  // Throws KDF_TOO_WEAK / KDF_DOWNGRADE before any key exists, so nothing can be sent.
  const master = await deriveMasterKey(input.password, fromBase64url(salt), kdf, input.pinnedKdf);
  const { authKey, wrapKey } = await derivePasswordKeys(master);
  const parsed = loginAnswer.safeParse(
    await api.login({ email: input.email, authKey: toBase64url(authKey), device: input.device }),
  );
  if (!parsed.success) throw new CryptoError('MALFORMED', 'The sign-in answer is malformed.');
  const res = parsed.data;
  const accountKey = await unwrapAccountKeyWithPassword(
    fromBase64url(res.wrappedAccountKey),
    wrapKey,
    res.userId,
    kdf,
  );
  return { userId: res.userId, token: res.token, accountKey, kdf };
}
