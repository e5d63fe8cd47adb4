// Regaining an account with a recovery kit: k shares rebuild the account key, a key derived
// from it proves the kit to the server, and the account gets a new master password (the same
// account key, wrapped anew for the generation the server says it is at). Returns a signed-in
// session like a password sign-in does, every part of it made here.
import { wrapAccountKeyWithPassword } from '../crypto/account-key.ts';
import { normaliseEmail } from '../crypto/associated-data.ts';
import { randomBytes, toBase64url } from '../crypto/bytes.ts';
import { deriveMasterKey, derivePasswordKeys } from '../crypto/derive-keys.ts';
import { DEFAULT_KDF } from '../crypto/kdf-policy.ts';
import type { Device, Kdf } from '../protocol/common.ts';
import type { CheckKitInput, RecoverInput } from '../protocol/recovery.ts';
import { AccountError } from './account-error.ts';
import type { Session } from './password-login.ts';
import { combineShares } from './recovery-kit.ts';

export interface RecoveryApi {
  check(input: CheckKitInput): Promise<{ generation: number }>;
  recover(input: RecoverInput): Promise<{ userId: string; token: string }>;
}

export async function recoverWithKit(
  api: RecoveryApi,
  input: { email: string; shares: string[]; newPassword: string; device: Device; kdf?: Kdf },
): Promise<Session> {
  const kdf = input.kdf ?? DEFAULT_KDF;
  const email = normaliseEmail(input.email);
  const kit = await combineShares(input.shares);
  const proof = { email, kitId: kit.kitId, recoveryAuthKey: toBase64url(kit.authKey) };
  const { generation } = await api.check(proof);
  if (!Number.isInteger(generation) || generation < 1 || generation > 1_000_000)
    throw new AccountError('MALFORMED_ANSWER', 'The server sent an unusable recovery answer.');
  const salt = randomBytes(16);
  const { authKey, wrapKey } = await derivePasswordKeys(
    await deriveMasterKey(input.newPassword, salt, kdf),
  );
  const wrapped = toBase64url(
    await wrapAccountKeyWithPassword(kit.accountKey, wrapKey, {
      userId: kit.userId,
      email,
      generation,
      kdf,
    }),
  );
  const out = await api.recover({
    ...proof,
    generation,
    newAuthKey: toBase64url(authKey),
    newKdf: kdf,
    newSalt: toBase64url(salt),
    newWrappedAccountKey: wrapped,
    device: input.device,
  });
  if (out.userId !== kit.userId)
    throw new AccountError(
      'OTHER_ACCOUNT',
      'The server answered for another account than the kit’s.',
    );
  return {
    userId: kit.userId,
    email,
    token: out.token,
    accountKey: kit.accountKey,
    kdf,
    salt: toBase64url(salt),
    wrappedAccountKey: wrapped,
    generation,
  };
}
