import { defineConfig } from 'wxt';
import { EXTENSION_PUBLIC_KEY } from './shared/extension-id.ts';

// WXT builds the Chrome MV3 extension from extension/ into .output/chrome-mv3.
export default defineConfig({
  srcDir: 'extension',
  publicDir: 'extension/public',
  outDir: '.output',
  imports: false,
  modules: ['@wxt-dev/module-react'],
  // The pages are written against React's API and run on Preact's (preact/compat): every page
  // loads this code at each open, and React DOM was 200 of the shared chunk's 258 kB. Measured in
  // one batch at 10,000 items (BENCHMARKS.md, sixth session): popup warm 140 -> 113 ms, search
  // keystroke 15.6 -> 9.8 ms, unlock 148 -> 124 ms. The test sites keep React (fixture-sites.ts).
  vite: () => ({
    resolve: {
      alias: [
        { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
        { find: /^react-dom$/, replacement: 'preact/compat' },
        { find: /^react$/, replacement: 'preact/compat' },
        { find: /^react\/jsx(-dev)?-runtime$/, replacement: 'preact/jsx-runtime' },
      ],
    },
  }),
  manifest: {
    name: 'Cofre',
    description: 'End-to-end-encrypted password manager that works offline.',
    // Pins the id (and the passkey rpId) for self-built installs. The Chrome Web Store refuses a
    // `key` and assigns its own id: `npm run zip` builds without it (see README).
    ...(process.env.COFRE_STORE_BUILD ? {} : { key: EXTENSION_PUBLIC_KEY }),
    // storage: the vault session and settings; alarms: sync and auto-lock while the worker
    // sleeps; idle: lock on system idle; activeTab: the current site's items in the popup;
    // offscreen + clipboardWrite: clear a copied secret after 30 s when the popup is gone;
    // favicon: site icons from the browser's own cache (Cofre fetches none from the network).
    // No host permissions: the server answers the extension's origin with CORS. The autofill
    // content script (extension/entrypoints/autofill.content.ts) runs on http(s) pages.
    icons: { 16: 'icon/16.png', 32: 'icon/32.png', 48: 'icon/48.png', 128: 'icon/128.png' },
    action: {
      default_title: 'Cofre',
      default_icon: {
        16: 'icon/16.png',
        32: 'icon/32.png',
        48: 'icon/48.png',
        128: 'icon/128.png',
      },
    },
    permissions: [
      'storage',
      'alarms',
      'idle',
      'activeTab',
      'offscreen',
      'clipboardWrite',
      'favicon',
    ],
    // Argon2id runs as WebAssembly (hash-wasm); nothing else is relaxed.
    content_security_policy: {
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
    },
    // The inline menu and the save prompt are framed into web pages by the autofill content
    // script; nothing else is reachable from a page.
    web_accessible_resources: [
      {
        resources: ['inline-menu.html', 'save-prompt.html'],
        matches: ['http://*/*', 'https://*/*'],
      },
    ],
    commands: {
      _execute_action: { suggested_key: { default: 'Alt+Shift+U' }, description: 'Open Cofre' },
      'lock-vault': { suggested_key: { default: 'Alt+Shift+L' }, description: 'Lock the vault' },
      'fill-login': {
        suggested_key: { default: 'Alt+Shift+F' },
        description: 'Fill the login for this page',
      },
    },
  },
});
