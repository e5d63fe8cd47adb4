// The autofill content script, in every http(s) frame. It runs beside an untrusted page in an
// isolated world; see extension/autofill/autofill-frame.ts for what it does and does not do.
import { defineContentScript } from 'wxt/utils/define-content-script';
import { startAutofillFrame } from '../autofill/autofill-frame.ts';

export default defineContentScript({
  matches: ['http://*/*', 'https://*/*'],
  allFrames: true,
  runAt: 'document_idle',
  main() {
    startAutofillFrame();
  },
});
