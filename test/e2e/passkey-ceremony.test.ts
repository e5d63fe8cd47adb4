// A real WebAuthn ceremony: the built extension in Chromium, a CDP virtual authenticator with
// PRF, and the real server. The PRF output wraps an account key at registration and unwraps
// the copy the server hands back at passkey login on a "new device".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_ID } from '../../shared/extension-id.ts';
import { fakeRegistration, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { addAuthenticator } from './cofre-pages.ts';
import { type LoadedExtension, launchExtension } from './extension.ts';

let ts: TestServer;
let ext: LoadedExtension;
beforeAll(async () => {
  [ts, ext] = await Promise.all([startTestServer(), launchExtension()]);
});
afterAll(async () => {
  await ext?.close();
  await ts?.close();
});

describe('passkeys in the extension', () => {
  it('should run with the pinned extension id', () => {
    expect(ext.extensionId).toBe(EXTENSION_ID);
  });

  it('should register a passkey with PRF and sign in with it, recovering the account key', async () => {
    const reg = fakeRegistration();
    const { token } = await ts.client().account.register.mutate(reg);
    const page = await ext.context.newPage();
    await page.goto(`chrome-extension://${ext.extensionId}/popup.html`);
    await addAuthenticator(ext, page);

    // Everything below runs in the extension page, as the extension's own code will.
    const result = await page.evaluate(
      async ({ server, token, email }) => {
        const b64 = (b: ArrayBuffer | Uint8Array) =>
          btoa(String.fromCharCode(...new Uint8Array(b)))
            .replaceAll('+', '-')
            .replaceAll('/', '_')
            .replace(/=+$/, '');
        const unb64 = (s: string) =>
          Uint8Array.from(atob(s.replaceAll('-', '+').replaceAll('_', '/')), (c) =>
            c.charCodeAt(0),
          );
        const call = async (path: string, input: unknown, bearer?: string) => {
          const res = await fetch(`${server}/trpc/${path}`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
            },
            body: JSON.stringify(input),
          });
          const body = await res.json();
          if (body.error) throw new Error(`${path}: ${body.error.message}`);
          return body.result.data;
        };
        const wrapKeyFrom = (prf: ArrayBuffer) =>
          crypto.subtle.importKey('raw', prf, 'AES-GCM', false, ['encrypt', 'decrypt']);

        // Registration with a PRF evaluation.
        const prfSalt = crypto.getRandomValues(new Uint8Array(32));
        const creationJSON = await call('passkeys.registrationOptions', {}, token);
        const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(creationJSON);
        publicKey.extensions = { prf: { eval: { first: prfSalt } } };
        const created = (await navigator.credentials.create({ publicKey })) as PublicKeyCredential;
        const createPrf = created.getClientExtensionResults().prf?.results?.first as ArrayBuffer;
        const accountKey = crypto.getRandomValues(new Uint8Array(32));
        const nonce = crypto.getRandomValues(new Uint8Array(12));
        const wrapped = new Uint8Array(
          await crypto.subtle.encrypt(
            { name: 'AES-GCM', iv: nonce },
            await wrapKeyFrom(createPrf),
            accountKey,
          ),
        );
        const createdJSON = created.toJSON() as { clientExtensionResults: unknown };
        createdJSON.clientExtensionResults = {};
        const registered = await call(
          'passkeys.register',
          {
            response: createdJSON,
            name: 'Chromium virtual authenticator',
            prfSalt: b64(prfSalt),
            prfWrappedAccountKey: b64(new Uint8Array([...nonce, ...wrapped])),
          },
          token,
        );

        // Login on a "new device": the server's options carry the PRF salt to evaluate.
        const requestJSON = await call('passkeys.loginOptions', { email });
        const evalByCredential = requestJSON.extensions?.prf?.evalByCredential ?? {};
        delete requestJSON.extensions;
        const request = PublicKeyCredential.parseRequestOptionsFromJSON(requestJSON);
        request.extensions = {
          prf: {
            evalByCredential: Object.fromEntries(
              Object.entries(evalByCredential).map(([id, v]) => [
                id,
                { first: unb64((v as { first: string }).first) },
              ]),
            ),
          },
        };
        const asserted = (await navigator.credentials.get({
          publicKey: request,
        })) as PublicKeyCredential;
        const getPrf = asserted.getClientExtensionResults().prf?.results?.first as ArrayBuffer;
        const assertedJSON = asserted.toJSON() as { clientExtensionResults: unknown };
        assertedJSON.clientExtensionResults = {};
        const login = await call('passkeys.login', {
          response: assertedJSON,
          device: { id: crypto.randomUUID(), name: 'New device' },
        });
        const blob = unb64(login.prfWrappedAccountKey);
        const unwrapped = new Uint8Array(
          await crypto.subtle.decrypt(
            { name: 'AES-GCM', iv: blob.slice(0, 12) },
            await wrapKeyFrom(getPrf),
            blob.slice(12),
          ),
        );
        return {
          credentialId: registered.id,
          sameKey: b64(unwrapped) === b64(accountKey),
          prfBytes: new Uint8Array(getPrf).byteLength,
          loginUser: login.userId,
          loginToken: login.token,
          saltBack: login.prfSalt === b64(prfSalt),
        };
      },
      { server: ts.url, token, email: reg.email },
    );

    expect(result.prfBytes).toBe(32);
    expect(result.saltBack).toBe(true);
    expect(result.sameKey).toBe(true);
    expect(result.loginUser).toBe(reg.userId);
    expect(await ts.client(result.loginToken).account.me.query({})).toMatchObject({
      email: reg.email,
    });
    expect(await ts.client(token).passkeys.list.query({})).toEqual([
      expect.objectContaining({ id: result.credentialId, hasPrf: true }),
    ]);
  });
});
