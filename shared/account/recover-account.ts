// Regaining an account with a recovery kit: k shares rebuild the account key, a key derived
// from it proves the kit to the server, and the account gets a new master password (the same
// account key, wrapped anew). Returns a signed-in session like a password sign-in does.
import { wrapAccountKeyWithPassword } from '../crypto/account-key.ts';
import { randomBytes, toBase64url } from '../crypto/bytes.ts';
import { deriveMasterKey, derivePasswordKeys } from '../crypto/derive-keys.ts';
import { DEFAULT_KDF } from '../crypto/kdf-policy.ts';
import type { Device, Kdf } from '../protocol/common.ts';
import type { RecoverInput } from '../protocol/recovery.ts';
import type { Session } from './password-login.ts';
import { combineShares } from './recovery-kit.ts';

export async function recoverWithKit(
  recover: (input: RecoverInput) => Promise<{ userId: string; token: string }>,
  input: { email: string; shares: string[]; newPassword: string; device: Device; kdf?: Kdf },
): Promise<Session> {
  const kdf = input.kdf ?? DEFAULT_KDF;
  const kit = await combineShares(input.shares);
  const salt = randomBytes(16);
  const { authKey, wrapKey } = await derivePasswordKeys(
    await deriveMasterKey(input.newPassword, salt, kdf),
  );
  const wrapped = await wrapAccountKeyWithPassword(kit.accountKey, wrapKey, kit.userId, kdf);
  const out = await recover({
    email: input.email,
    kitId: kit.kitId,
    recoveryAuthKey: toBase64url(kit.authKey),
    newAuthKey: toBase64url(authKey),
    newKdf: kdf,
    newSalt: toBase64url(salt),
    newWrappedAccountKey: toBase64url(wrapped),
    device: input.device,
  });
  return { userId: out.userId, token: out.token, accountKey: kit.accountKey, kdf };
}
