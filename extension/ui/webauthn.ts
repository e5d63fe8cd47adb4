// WebAuthn ceremonies with the PRF extension, run in an extension page (rpId = the extension
// id). @simplewebauthn/browser does not carry PRF inputs, so the JSON options are parsed with
// the browser's own helpers and the PRF salt is passed as bytes.
import { fromBase64url, own, toBase64url } from '../../shared/crypto/bytes.ts';

type Json = Record<string, unknown>;

function prfFirst(cred: PublicKeyCredential): string | null {
  const out = (cred.getClientExtensionResults() as { prf?: { results?: { first?: ArrayBuffer } } })
    .prf?.results?.first;
  return out ? toBase64url(new Uint8Array(out)) : null;
}

function responseJson(cred: PublicKeyCredential): Json {
  const json = cred.toJSON() as unknown as Json;
  json.clientExtensionResults = {}; // the PRF output never leaves this device
  return json;
}

export class PasskeyError extends Error {}

/** Creates a passkey and evaluates its PRF with `prfSalt` (a second get() if create gave none). */
export async function createPasskey(options: Json, prfSalt: string) {
  const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(options as never);
  const salt = fromBase64url(prfSalt);
  publicKey.extensions = { ...publicKey.extensions, prf: { eval: { first: salt } } } as never;
  const cred = (await navigator.credentials.create({ publicKey })) as PublicKeyCredential | null;
  if (!cred) throw new PasskeyError('No passkey was created.');
  let prfOutput = prfFirst(cred);
  if (!prfOutput) {
    const again = (await navigator.credentials.get({
      publicKey: {
        challenge: crypto.getRandomValues(new Uint8Array(32)),
        rpId: publicKey.rp.id,
        allowCredentials: [{ type: 'public-key', id: cred.rawId }],
        extensions: { prf: { eval: { first: salt } } } as never,
      },
    })) as PublicKeyCredential | null;
    prfOutput = again && prfFirst(again);
  }
  if (!prfOutput)
    throw new PasskeyError('This authenticator cannot unlock a vault (no PRF support).');
  return { response: responseJson(cred), prfOutput };
}

/** Signs in with the server's options; evalByCredential in them carries each PRF salt. */
export async function signInWithPasskey(options: Json) {
  const { extensions, ...rest } = options as {
    extensions?: { prf?: { evalByCredential?: Record<string, { first: string }> } };
  };
  const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(rest as never);
  const byCred = extensions?.prf?.evalByCredential ?? {};
  publicKey.extensions = {
    prf: {
      evalByCredential: Object.fromEntries(
        Object.entries(byCred).map(([id, v]) => [id, { first: fromBase64url(v.first) }]),
      ),
    },
  } as never;
  const cred = (await navigator.credentials.get({ publicKey })) as PublicKeyCredential | null;
  const prfOutput = cred && prfFirst(cred);
  if (!cred || !prfOutput)
    throw new PasskeyError('The passkey gave no key: sign in with your password.');
  return { response: responseJson(cred), prfOutput };
}

/** Unlocks offline: a local challenge (nothing is verified by a server), PRF with the local salt. */
export async function unlockWithPasskey(
  passkeys: Array<{ credentialId: string; prfSalt: string }>,
) {
  const cred = (await navigator.credentials.get({
    publicKey: {
      challenge: crypto.getRandomValues(new Uint8Array(32)),
      allowCredentials: passkeys.map((p) => ({
        type: 'public-key' as const,
        id: own(fromBase64url(p.credentialId)),
      })),
      userVerification: 'required',
      extensions: {
        prf: {
          evalByCredential: Object.fromEntries(
            passkeys.map((p) => [p.credentialId, { first: fromBase64url(p.prfSalt) }]),
          ),
        },
      } as never,
    },
  })) as PublicKeyCredential | null;
  const prfOutput = cred && prfFirst(cred);
  if (!cred || !prfOutput) throw new PasskeyError('The passkey gave no key: use your password.');
  return { credentialId: cred.id, prfOutput };
}

/** Adds a security key (or passkey) for the second step of signing in: no PRF, no key wrap. */
export async function createSecurityKey(options: Json) {
  const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(options as never);
  const cred = (await navigator.credentials.create({ publicKey })) as PublicKeyCredential | null;
  if (!cred) throw new PasskeyError('No security key was added.');
  return responseJson(cred);
}

/** The second step of a sign-in with a security key or passkey: an assertion, no PRF. */
export async function answerWithKey(options: Json) {
  const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(options as never);
  const cred = (await navigator.credentials.get({ publicKey })) as PublicKeyCredential | null;
  if (!cred) throw new PasskeyError('The security key gave no answer.');
  return responseJson(cred);
}
