// Launches Debian's Chromium with the built extension loaded (the extension is built once by
// `npm test` before vitest, or here if it is missing) and yields its id. A profile directory can
// be reused, so a test can restart the browser the way a user does.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** The built extension (COFRE_EXTENSION_DIR: another build, e.g. an earlier commit's for a bench). */
export const extensionDir = process.env.COFRE_EXTENSION_DIR ?? join(root, '.output/chrome-mv3');

export interface LoadedExtension {
  context: BrowserContext;
  extensionId: string;
  profile: string;
  /** Closes the browser; the profile is deleted unless `keepProfile`. */
  close(opts?: { keepProfile?: boolean }): Promise<void>;
}

export async function launchExtension(
  opts: { profile?: string; args?: string[] } = {},
): Promise<LoadedExtension> {
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    execFileSync('npx', ['wxt', 'build'], { cwd: root, stdio: 'inherit' });
  }
  const executablePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: apt-get install -y chromium`);
  }
  const profile = opts.profile ?? (await mkdtemp(join(tmpdir(), 'cofre-chromium-')));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width: 1180, height: 760 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      ...(opts.args ?? []),
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  return {
    context,
    extensionId,
    profile,
    async close({ keepProfile = false } = {}) {
      await context.close();
      if (!keepProfile) await rm(profile, { recursive: true, force: true });
    },
  };
}
