// Settings of two-step sign-in, for the account signed in here: its authenticator app, security
// keys, recovery codes and remembered browsers. Whatever turns it on or off asks for the master
// password again (checked here first, against this device's wrap, then by the server).
import { z } from 'zod';
import { toBase64url } from '../../shared/crypto/bytes.ts';
import { twoFactorStatusSchema } from '../../shared/protocol/two-factor.ts';
import type { RequestOf, Responses } from '../messages.ts';
import { checkPassword } from './keys.ts';
import { loadAccount } from './storage.ts';
import { requireVault } from './worker-state.ts';

type Handler<T extends keyof Responses> = (req: RequestOf<T>) => Promise<Responses[T]>;

/** Recovery codes as the server sends them: checked before a page shows them. */
const codesAnswer = z.object({
  recoveryCodes: z
    .array(z.string().regex(/^[A-Z0-9-]{8,40}$/))
    .max(20)
    .nullable()
    .optional(),
});
const totpBegun = z.object({
  secret: z.string().regex(/^[A-Z2-7]{16,128}$/),
  uri: z.string().startsWith('otpauth://totp/').max(2048),
});

async function authKeyOf(password: string) {
  const account = await loadAccount();
  if (!account) throw Object.assign(new Error('Set up Cofre first.'), { code: 'NO_ACCOUNT' });
  // A wrong password is told here (WRONG_PASSWORD) and never reaches the server.
  return toBase64url((await checkPassword(account, password)).authKey);
}

const api = async () => (await requireVault()).api.client;
const codes = (raw: unknown) => ({ recoveryCodes: codesAnswer.parse(raw).recoveryCodes ?? null });

export const twoFactorHandlers: { [K in keyof Responses]?: Handler<K> } = {
  async twoFactorStatus() {
    return twoFactorStatusSchema.parse(await (await api()).twoFactor.status.query({}));
  },
  async totpBegin({ password }) {
    const authKey = await authKeyOf(password);
    return totpBegun.parse(await (await api()).twoFactor.totpBegin.mutate({ authKey }));
  },
  async totpConfirm({ code }) {
    return codes(await (await api()).twoFactor.totpConfirm.mutate({ code }));
  },
  async totpRemove({ password }) {
    const authKey = await authKeyOf(password);
    await (await api()).twoFactor.totpRemove.mutate({ authKey });
    return {};
  },
  async securityKeyOptions() {
    return (await (
      await api()
    ).passkeys.registrationOptions.mutate({
      secondFactor: true,
    })) as Record<string, unknown>;
  },
  async registerSecurityKey({ name, response }) {
    return codes(
      await (await api()).passkeys.register.mutate({
        response: response as never,
        name,
        secondFactor: true,
      }),
    );
  },
  async removeSecurityKey({ id, password }) {
    const authKey = await authKeyOf(password);
    await (await api()).twoFactor.removeKey.mutate({ id, authKey });
    return {};
  },
  async newRecoveryCodes({ password }) {
    const authKey = await authKeyOf(password);
    return codes(await (await api()).twoFactor.recoveryCodes.mutate({ authKey }));
  },
  async forgetRemembered({ id }) {
    await (await api()).twoFactor.forgetDevice.mutate({ id });
    return {};
  },
  async forgetAllRemembered() {
    await (await api()).twoFactor.forgetAllDevices.mutate({});
    return {};
  },
};
