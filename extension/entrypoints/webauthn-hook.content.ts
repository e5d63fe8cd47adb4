// Cofre's WebAuthn page hook, in the page's own world before any page script runs: see
// extension/passkeys/page-hook.ts (it relays and decides nothing; the worker does).
import { defineContentScript } from 'wxt/utils/define-content-script';
import { installPageHook } from '../passkeys/page-hook.ts';

export default defineContentScript({
  matches: ['https://*/*', 'http://localhost/*', 'http://*.localhost/*'],
  allFrames: true,
  runAt: 'document_start',
  world: 'MAIN',
  main() {
    installPageHook();
  },
});
