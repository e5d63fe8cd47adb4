// The offscreen document's one job: overwrite the clipboard as soon as it loads, then tell the
// worker (which created it for this and closes it again).
import { browser } from 'wxt/browser';

const area = document.getElementById('clip') as HTMLTextAreaElement;
// A single space: an empty selection would leave the clipboard as it was.
area.value = ' ';
area.select();
const ok = document.execCommand('copy');
void browser.runtime.sendMessage({ type: 'cofre:clipboard-cleared', ok }).catch(() => {});
