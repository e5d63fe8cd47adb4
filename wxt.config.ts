import { defineConfig } from 'wxt';
import { EXTENSION_PUBLIC_KEY } from './shared/extension-id.ts';

// WXT builds the Chrome MV3 extension from extension/ into .output/chrome-mv3.
export default defineConfig({
  srcDir: 'extension',
  outDir: '.output',
  imports: false,
  manifest: {
    name: 'Cofre',
    description: 'End-to-end-encrypted password manager that works offline.',
    key: EXTENSION_PUBLIC_KEY,
    permissions: ['storage', 'alarms'],
  },
});
