// Accounts made with a real master password (not random keys), for tests of the key paths: the
// account API over HTTP, a cheap KDF at the floor, and the password's authKey and wrapKey.
import type { AccountApi } from '../../shared/account/password-login.ts';
import { fromBase64url } from '../../shared/crypto/bytes.ts';
import { deriveMasterKey, derivePasswordKeys } from '../../shared/crypto/derive-keys.ts';
import type { Kdf } from '../../shared/protocol/common.ts';
import type { TestServer } from './test-server.ts';

/** The KDF floor: real Argon2id, at its cheapest allowed cost. */
export const FLOOR_KDF: Kdf = { alg: 'argon2id', m: 65_536, t: 3, p: 1 };

export function accountApi(ts: TestServer): AccountApi {
  const api = ts.client();
  return {
    prelogin: (i) => api.account.prelogin.query(i),
    register: (i) => api.account.register.mutate(i),
    login: (i) => api.account.login.mutate(i),
  };
}

/** The authKey and wrapKey of `password` for the signed-in account (salt and KDF from the server). */
export async function passwordKeys(ts: TestServer, token: string, password: string) {
  const keys = await ts.client(token).account.keys.query({});
  return derivePasswordKeys(await deriveMasterKey(password, fromBase64url(keys.salt), keys.kdf));
}
