// Clears a copied secret after a delay even when the popup that copied it has closed: the
// worker cannot touch the clipboard, so an offscreen document does it.
import { browser } from 'wxt/browser';

let timer: ReturnType<typeof setTimeout> | undefined;

export function clearClipboardLater(ms: number) {
  clearTimeout(timer);
  // An alarm too, in case Chrome stops the worker before the timer fires.
  void browser.alarms.create('clear-clipboard', { when: Date.now() + Math.max(ms, 30_000) });
  timer = setTimeout(() => void clearClipboard(), ms);
}

export async function clearClipboard() {
  clearTimeout(timer);
  await browser.alarms.clear('clear-clipboard');
  // The document clears the clipboard when it loads: no message can arrive before its listener.
  if ((await browser.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] })).length > 0)
    await browser.offscreen.closeDocument();
  const done = new Promise<void>((resolve) => {
    const listener = (msg: unknown, sender: { id?: string }) => {
      if (sender.id !== browser.runtime.id) return;
      if ((msg as { type?: string })?.type !== 'cofre:clipboard-cleared') return;
      browser.runtime.onMessage.removeListener(listener);
      resolve();
    };
    browser.runtime.onMessage.addListener(listener);
    setTimeout(() => {
      browser.runtime.onMessage.removeListener(listener);
      resolve();
    }, 5_000);
  });
  await browser.offscreen.createDocument({
    url: `${location.origin}/offscreen.html`,
    reasons: ['CLIPBOARD'],
    justification: 'Clear a copied password from the clipboard.',
  });
  await done;
  await browser.offscreen.closeDocument().catch(() => {});
}
