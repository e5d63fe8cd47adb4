// Runs in the page's own world (a MAIN-world content script at document_start), so a site's
// navigator.credentials.create() and .get() for public-key credentials reach Cofre. It only
// relays: the options go out as JSON on the window to Cofre's relay content script, and what
// comes back is turned into a PublicKeyCredential. It holds no key and decides nothing — the page
// can read or forge anything here, so every rule is the worker's. "Use another device" answers
// `fallback`, and the call goes to the browser's own WebAuthn as if Cofre were not there.
import { fromBase64url, toBase64url } from '../../shared/crypto/bytes.ts';
import { CHANNEL, type ChannelMessage } from './channel.ts';
// Types only (erased): the page's world gets no zod and no schema.
import type {
  PasskeyAnswer as Answer,
  SignedAssertion as Asserted,
  CreatedCredential as Created,
} from './passkey-messages.ts';

/** A page's BufferSource (an ArrayBuffer or a view of one) as base64url. */
const b64 = (source: BufferSource): string =>
  toBase64url(
    source instanceof ArrayBuffer
      ? new Uint8Array(source)
      : new Uint8Array(source.buffer, source.byteOffset, source.byteLength),
  );
const bytes = (s: string): ArrayBuffer => fromBase64url(s).buffer as ArrayBuffer;
const descriptors = (list?: PublicKeyCredentialDescriptor[]) =>
  (list ?? []).map((d) => ({
    type: d.type,
    id: b64(d.id),
    ...(d.transports ? { transports: [...d.transports] } : {}),
  }));

function creationJson(o: PublicKeyCredentialCreationOptions) {
  return {
    challenge: b64(o.challenge),
    rp: { id: o.rp.id, name: o.rp.name ?? '' },
    user: { id: b64(o.user.id), name: o.user.name ?? '', displayName: o.user.displayName ?? '' },
    pubKeyCredParams: (o.pubKeyCredParams ?? []).map((p) => ({ type: p.type, alg: p.alg })),
    timeout: o.timeout,
    excludeCredentials: descriptors(o.excludeCredentials),
    authenticatorSelection: { ...(o.authenticatorSelection ?? {}) },
    attestation: o.attestation,
    extensions: Object.keys(o.extensions ?? {}),
  };
}

function requestJson(o: PublicKeyCredentialRequestOptions) {
  return {
    challenge: b64(o.challenge),
    rpId: o.rpId,
    allowCredentials: descriptors(o.allowCredentials),
    userVerification: o.userVerification ?? 'preferred',
    timeout: o.timeout,
    extensions: Object.keys(o.extensions ?? {}),
  };
}

/** A PublicKeyCredential the page cannot tell from the browser's own (own fields, real prototypes). */
function credentialOf(answer: { created: Created } | { asserted: Asserted }): PublicKeyCredential {
  const base = 'created' in answer ? answer.created : answer.asserted;
  let response: AuthenticatorResponse;
  let extensionResults: AuthenticationExtensionsClientOutputs = {};
  let json: Record<string, unknown>;
  if ('created' in answer) {
    const c = answer.created;
    response = {
      clientDataJSON: bytes(c.clientDataJSON),
      attestationObject: bytes(c.attestationObject),
      getAuthenticatorData: () => bytes(c.authenticatorData),
      getPublicKey: () => bytes(c.publicKey),
      getPublicKeyAlgorithm: () => c.publicKeyAlgorithm,
      getTransports: () => [...c.transports],
    } as unknown as AuthenticatorAttestationResponse;
    Object.setPrototypeOf(response, AuthenticatorAttestationResponse.prototype);
    if (c.credProps) extensionResults = { credProps: { rk: true } };
    json = {
      clientDataJSON: c.clientDataJSON,
      attestationObject: c.attestationObject,
      authenticatorData: c.authenticatorData,
      publicKey: c.publicKey,
      publicKeyAlgorithm: c.publicKeyAlgorithm,
      transports: c.transports,
    };
  } else {
    const a = answer.asserted;
    response = {
      clientDataJSON: bytes(a.clientDataJSON),
      authenticatorData: bytes(a.authenticatorData),
      signature: bytes(a.signature),
      userHandle: a.userHandle ? bytes(a.userHandle) : null,
    } as unknown as AuthenticatorAssertionResponse;
    Object.setPrototypeOf(response, AuthenticatorAssertionResponse.prototype);
    json = {
      clientDataJSON: a.clientDataJSON,
      authenticatorData: a.authenticatorData,
      signature: a.signature,
      ...(a.userHandle ? { userHandle: a.userHandle } : {}),
    };
  }
  const results = extensionResults;
  const credential = {
    id: base.id,
    rawId: bytes(base.id),
    type: 'public-key',
    authenticatorAttachment: 'platform',
    response,
    getClientExtensionResults: () => results,
    toJSON: () => ({
      id: base.id,
      rawId: base.id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      response: json,
      clientExtensionResults: results,
    }),
  };
  Object.setPrototypeOf(credential, PublicKeyCredential.prototype);
  return credential as unknown as PublicKeyCredential;
}

export function installPageHook() {
  const container = navigator.credentials;
  if (!window.isSecureContext || !container || typeof PublicKeyCredential === 'undefined') return;
  const original = {
    create: container.create.bind(container),
    get: container.get.bind(container),
  };
  const pending = new Map<string, (answer: Answer) => void>();

  window.addEventListener('message', (event) => {
    const m = event.data as ChannelMessage | null;
    if (event.source !== window || m?.channel !== CHANNEL || m.kind !== 'answer') return;
    pending.get(m.request)?.(m.answer as Answer);
  });

  function relay(
    message:
      | { kind: 'create'; options: unknown }
      | { kind: 'get'; options: unknown; conditional: boolean },
    signal: AbortSignal | undefined,
  ): Promise<Answer> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const request = b64(crypto.getRandomValues(new Uint8Array(16)));
      const done = () => {
        pending.delete(request);
        signal?.removeEventListener('abort', abort);
      };
      const abort = () => {
        done();
        window.postMessage(
          { channel: CHANNEL, kind: 'cancel', request } satisfies ChannelMessage,
          '*',
        );
        reject(signal?.reason ?? new DOMException('The operation was aborted.', 'AbortError'));
      };
      signal?.addEventListener('abort', abort);
      pending.set(request, (answer) => {
        done();
        resolve(answer);
      });
      window.postMessage({ channel: CHANNEL, request, ...message } as ChannelMessage, '*');
    });
  }

  const settle = (answer: Answer, fallback: () => Promise<Credential | null>) => {
    if ('fallback' in answer) return fallback();
    if ('error' in answer) throw new DOMException(answer.error.message, answer.error.name);
    return credentialOf(answer);
  };

  container.create = async (options?: CredentialCreationOptions) => {
    if (!options?.publicKey) return original.create(options);
    const answer = await relay(
      { kind: 'create', options: creationJson(options.publicKey) },
      options.signal,
    );
    return settle(answer, () => original.create(options));
  };

  container.get = async (options?: CredentialRequestOptions) => {
    if (!options?.publicKey) return original.get(options);
    const conditional = options.mediation === 'conditional';
    const answer = await relay(
      { kind: 'get', options: requestJson(options.publicKey), conditional },
      options.signal,
    );
    return settle(answer, () => original.get(options));
  };

  // Cofre can answer conditional (autofill) requests and verifies its user itself.
  PublicKeyCredential.isConditionalMediationAvailable = () => Promise.resolve(true);
  PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable = () => Promise.resolve(true);
}
