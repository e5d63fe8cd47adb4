// The relay between the page hook (extension/passkeys/page-hook.ts, in the page's world) and the
// worker. It runs in Cofre's isolated world: it forwards what its own window posted, adds the one
// thing the page cannot fake here — whether the frame's permissions policy lets it use
// publickey-credentials-* (read through this world's own DOM bindings) — and posts the worker's
// answer back. It never sees a private key: the worker signs, and the answer holds only what a
// site gets from any authenticator.
import { browser } from 'wxt/browser';
import { CHANNEL, type ChannelMessage } from './channel.ts';
import type { PasskeyAnswer, PasskeyRequest } from './passkey-messages.ts';

interface PolicyDocument {
  featurePolicy?: { allowsFeature(feature: string): boolean };
}

/** Whether this frame's permissions policy allows the feature (no policy object: allowed). */
function policyAllows(feature: string): boolean {
  const policy = (document as unknown as PolicyDocument).featurePolicy;
  return policy ? policy.allowsFeature(feature) : true;
}

export function startPasskeyRelay() {
  // The worker asks the top frame where it is (a framed request names both origins). The autofill
  // script answers too, but only from document_idle: a frame that calls WebAuthn as it loads
  // needs the answer sooner, and this script is there from document_start.
  if (window === window.top)
    browser.runtime.onMessage.addListener((raw: unknown, sender, sendResponse) => {
      if (sender.id !== browser.runtime.id) return false;
      if ((raw as { type?: unknown } | null)?.type !== 'cofre:location') return false;
      sendResponse({ url: location.href });
      return false;
    });
  window.addEventListener('message', (event) => {
    const m = event.data as ChannelMessage | null;
    if (event.source !== window || m?.channel !== CHANNEL || typeof m.request !== 'string') return;
    let request: PasskeyRequest;
    if (m.kind === 'create')
      request = {
        type: 'passkey:create',
        request: m.request,
        options: m.options as never,
        policy: policyAllows('publickey-credentials-create'),
      };
    else if (m.kind === 'get')
      request = {
        type: 'passkey:get',
        request: m.request,
        options: m.options as never,
        conditional: m.conditional === true,
        policy: policyAllows('publickey-credentials-get'),
      };
    else if (m.kind === 'cancel') {
      // The page stopped waiting: nothing to answer.
      void browser.runtime
        .sendMessage({ type: 'passkey:cancel', request: m.request } satisfies PasskeyRequest)
        .catch(() => {});
      return;
    } else return;
    void browser.runtime.sendMessage(request).then(
      (answer: PasskeyAnswer | null) => reply(m.request, answer),
      () => reply(m.request, null),
    );
  });
}

function reply(request: string, answer: PasskeyAnswer | null) {
  const out: ChannelMessage = {
    channel: CHANNEL,
    kind: 'answer',
    request,
    answer: answer ?? {
      error: { name: 'NotAllowedError', message: 'The request was not completed.' },
    },
  };
  window.postMessage(out, '*');
}
