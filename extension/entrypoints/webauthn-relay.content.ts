// Cofre's relay for the WebAuthn page hook, in Cofre's isolated world (extension/passkeys/relay.ts).
import { defineContentScript } from 'wxt/utils/define-content-script';
import { startPasskeyRelay } from '../passkeys/relay.ts';

export default defineContentScript({
  // On http pages too: a forged request there reaches the worker, which refuses it.
  matches: ['http://*/*', 'https://*/*'],
  allFrames: true,
  runAt: 'document_start',
  main() {
    startPasskeyRelay();
  },
});
