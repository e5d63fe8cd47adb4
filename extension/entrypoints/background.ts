// The service worker owns the vault session, the Dexie database, the sync engine and the
// message API (DESIGN §5). It may be stopped at any moment: all state it needs again lives in
// chrome.storage and IndexedDB, and chrome.alarms wake it for sync and auto-lock.
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { fillFromCommand, forgetTab, handleContentRequest } from '../worker/autofill-handlers.ts';
import { showBadge } from '../worker/badge.ts';
import { clearClipboard } from '../worker/clipboard.ts';
import { handle } from '../worker/dispatch.ts';
import {
  forgetPasskeyTab,
  forgetPasskeyWindow,
  handlePasskeyRequest,
} from '../worker/passkey-handlers.ts';
import { loadSettings } from '../worker/storage.ts';
import { currentVault, getState, lock, lockIfExpired } from '../worker/worker-state.ts';

export default defineBackground(() => {
  browser.runtime.onMessage.addListener((msg: unknown, sender, sendResponse) => {
    if (sender.id !== browser.runtime.id) return false;
    const type = (msg as { type?: string })?.type;
    // The extension's own pages (popup, vault page, the framed menu and prompt) get the full
    // API. A content script's sender URL is the web page's: it gets only the narrow autofill
    // API, answered about its own tab and frame.
    if (sender.url?.startsWith(`${location.origin}/`)) {
      if (type?.startsWith('cofre:')) return false;
      void handle(msg, sender).then(sendResponse);
      return true;
    }
    // The WebAuthn relay: a site's navigator.credentials call (extension/passkeys).
    if (type?.startsWith('passkey:')) {
      void handlePasskeyRequest(msg, sender).then(sendResponse, () =>
        sendResponse({ error: { name: 'NotAllowedError', message: 'The request failed.' } }),
      );
      return true;
    }
    if (!type?.startsWith('autofill:')) return false;
    void handleContentRequest(msg, sender).then(sendResponse, () => sendResponse(null));
    return true;
  });

  void browser.alarms.create('sync', { periodInMinutes: 1 });
  browser.alarms.onAlarm.addListener(async (alarm) => {
    if (alarm.name === 'auto-lock') await lockIfExpired();
    if (alarm.name === 'clear-clipboard') await clearClipboard();
    if (alarm.name === 'sync') await (await currentVault())?.sync();
  });

  browser.tabs.onRemoved.addListener((tabId) => {
    forgetTab(tabId);
    forgetPasskeyTab(tabId);
  });
  browser.windows.onRemoved.addListener(forgetPasskeyWindow);

  browser.idle.setDetectionInterval(300);
  browser.idle.onStateChanged.addListener(async (state) => {
    if (state !== 'active' && (await loadSettings()).lockOnIdle) await lock();
  });

  browser.commands.onCommand.addListener((command) => {
    if (command === 'lock-vault') void lock();
    if (command === 'fill-login') void fillFromCommand().catch(() => {});
  });

  // Reopen an unlocked vault right away after Chrome restarted the worker (or expire it).
  void lockIfExpired()
    .then(() => currentVault())
    .then(() => getState())
    .then(showBadge, () => {});
});
