// Website passkeys (issue 20): how long Cofre keeps a site waiting. The relying party of the e2e
// suite (test/e2e/relying-party.ts) calls navigator.credentials.get(); the person's click is not
// Cofre's time, so each sign-in is two spans on the machine's one clock (Date.now() in Node and in
// the pages): the site's get() → Cofre's chooser ready to click, and the click → the site holding
// the signed assertion (worker signs, relay, page hook). The same for a pick in the inline menu of
// a conditional request, and beside them the browser's own (virtual) authenticator answering the
// same get() with no person at all.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Frame, Page } from 'playwright-core';
import { buildServer } from '../../server/app.ts';
import { openPglite } from '../../server/db/client.ts';
import { loadEnv } from '../../server/env.ts';
import { addAuthenticator, lastClick, onboard, openVault } from '../e2e/cofre-pages.ts';
import { launchExtension } from '../e2e/extension.ts';
import { menuFrame, settled } from '../e2e/menu-helpers.ts';
import { RP_HOST_RULES, startRelyingParty } from '../e2e/relying-party.ts';
import { median, type Row } from './report.ts';

const PASSWORD = 'bench master password 2026!';

/** The relying party's page (test/e2e/relying-party.ts): its `post` helper, and what we time. */
interface RpPage {
  post(path: string, body: object): Promise<PublicKeyCredentialRequestOptionsJSON>;
  t1: number | null;
}

/** Starts the site's sign-in and resolves with the time get() was called (page clock = Date). */
async function startGet(site: Page): Promise<number> {
  return site.evaluate(async () => {
    const w = window as unknown as RpPage & { t0: number };
    w.t1 = null;
    const options = await w.post('/login/options', {});
    w.t0 = Date.now();
    void navigator.credentials
      .get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) })
      .then(() => {
        w.t1 = Date.now();
      });
    return w.t0;
  });
}

const resolvedAt = async (site: Page): Promise<number> => {
  await site.waitForFunction(() => (window as unknown as { t1: number | null }).t1 !== null);
  return site.evaluate(() => (window as unknown as { t1: number }).t1);
};

/** When the element appeared in the page (Date.now() there, at the animation frame it was seen). */
async function shownAt(page: Page, selector: string): Promise<number> {
  const handle = await (page as Page).waitForFunction(
    (sel) => (document.querySelector(sel) ? Date.now() : 0),
    selector,
    { polling: 'raf' },
  );
  return (await handle.jsonValue()) as number;
}

/** Notes in the extension's session storage when the next click lands in this extension page
 * (an extension frame inside a site has its own partitioned localStorage; storage.session not). */
const noteClick = (page: Page | Frame) =>
  page.evaluate(() => {
    const chrome = (
      globalThis as unknown as { chrome: { storage: { session: { set(v: object): void } } } }
    ).chrome;
    document.addEventListener(
      'click',
      () => chrome.storage.session.set({ clickedAt: Date.now() }),
      {
        capture: true,
        once: true,
      },
    );
  });

export async function benchPasskeys(opts: {
  reps: number;
  log(line: string): void;
}): Promise<Row[]> {
  // Cofre's server in this process, on PGlite (the default deployment).
  const dataDir = await mkdtemp(join(tmpdir(), 'cofre-bench-passkeys-'));
  const logger = pino({ level: 'silent' });
  const database = await openPglite({ dataDir, logger });
  await database.migrate();
  const server = await buildServer({
    env: loadEnv({ LOG_LEVEL: 'silent', SIGNUPS: 'open' }),
    database,
    logger,
  });
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  const address = server.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const serverUrl = `http://127.0.0.1:${address.port}`;
  const rp = await startRelyingParty();
  const ext = await launchExtension({
    args: [`--host-resolver-rules=${RP_HOST_RULES}`, '--ignore-certificate-errors'],
  });
  const toChooser: number[] = [];
  const toAssertion: number[] = [];
  const menuToAssertion: number[] = [];
  const native: number[] = [];
  try {
    const vault = await openVault(ext);
    await onboard(vault, {
      mode: 'Create account',
      server: serverUrl,
      email: `bench-passkeys-${Date.now()}@example.com`,
      password: PASSWORD,
    });
    // The window and the menu close once they answered: the click time is read back here.
    const clickedAt = () =>
      vault.evaluate(async () => {
        const chrome = (
          globalThis as unknown as {
            chrome: { storage: { session: { get(k: string): Promise<{ clickedAt?: number }> } } };
          }
        ).chrome;
        return (await chrome.storage.session.get('clickedAt')).clickedAt ?? Number.NaN;
      });
    const site = await ext.context.newPage();
    await site.goto(rp.url());
    await site.locator('#username').fill('ana@rp.test');
    const [save] = await Promise.all([
      ext.context.waitForEvent('page', (p) => p.url().includes('/passkey.html')),
      site.locator('#register').click(),
    ]);
    await lastClick(save.getByRole('button', { name: 'Save passkey' }));
    await site.locator('#status', { hasText: 'registered' }).waitFor();

    for (let i = 0; i < opts.reps + 1; i++) {
      const opened = ext.context.waitForEvent('page', (p) => p.url().includes('/passkey.html'));
      const t0 = await startGet(site);
      const window = await opened;
      const ready = await shownAt(window, '.passkey-choices button');
      await noteClick(window);
      await lastClick(window.locator('.passkey-choices button').first());
      const done = await resolvedAt(site);
      const click = await clickedAt();
      // The first round warms the window's page and the worker's key import.
      if (i === 0) continue;
      toChooser.push(ready - t0);
      toAssertion.push(done - click);
    }

    for (let i = 0; i < opts.reps + 1; i++) {
      await site.goto(rp.url());
      await site.evaluate(async () => {
        const w = window as unknown as RpPage;
        w.t1 = null;
        const options = await w.post('/login/options', {});
        void navigator.credentials
          .get({
            mediation: 'conditional',
            publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options),
          })
          .then(() => {
            w.t1 = Date.now();
          });
      });
      await site.locator('#username').click();
      const menu = await menuFrame(site);
      const row = menu.getByTestId('menu-passkey');
      await row.waitFor();
      await settled(menu);
      await noteClick(menu);
      await lastClick(row);
      const done = await resolvedAt(site);
      const click = await clickedAt();
      if (i > 0) menuToAssertion.push(done - click);
    }

    // The browser's own authenticator (Chromium's virtual one, no person) on the same get().
    const other = await ext.context.newPage();
    await addAuthenticator(ext, other);
    await other.goto(rp.url());
    await other.locator('#username').fill('bo@rp.test');
    const [fallback] = await Promise.all([
      ext.context.waitForEvent('page', (p) => p.url().includes('/passkey.html')),
      other.locator('#register').click(),
    ]);
    await lastClick(fallback.getByRole('button', { name: 'Use another device or security key' }));
    await other.locator('#status', { hasText: 'registered' }).waitFor();
    for (let i = 0; i < opts.reps + 1; i++) {
      // Cofre holds a passkey for the site, so it would answer: the page asks the browser itself.
      const spent = await other.evaluate(async () => {
        const w = window as unknown as RpPage;
        const options = PublicKeyCredential.parseRequestOptionsFromJSON(
          await w.post('/login/options', { username: 'bo@rp.test' }),
        );
        const container = Object.getPrototypeOf(navigator.credentials) as CredentialsContainer;
        const t0 = Date.now();
        await container.get.call(navigator.credentials, { publicKey: options });
        return Date.now() - t0;
      });
      if (i > 0) native.push(spent);
    }
  } finally {
    await ext.close();
    await rp.close();
    await server.close();
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  const nativeMs = median(native);
  opts.log(
    `  get() → chooser ${median(toChooser)} ms, choice → assertion ${median(toAssertion)} ms, menu pick → assertion ${median(menuToAssertion)} ms; the browser's virtual authenticator ${nativeMs} ms`,
  );
  const row = (key: string, name: string, values: number[], note: string): Row => ({
    key: `passkeys/${key}`,
    section: 'passkeys',
    name,
    note,
    unit: 'ms',
    value: median(values),
    better: 'lower',
    baseline: { name: "browser's virtual authenticator, get() → assertion", value: nativeMs },
  });
  return [
    row(
      'get-to-chooser',
      "site's get() → Cofre's chooser ready",
      toChooser,
      'opens Cofre’s window',
    ),
    row(
      'choice-to-assertion',
      'choice clicked → site holds the assertion',
      toAssertion,
      'signed in the worker',
    ),
    row(
      'menu-to-assertion',
      'inline-menu pick → site holds the assertion',
      menuToAssertion,
      'conditional mediation',
    ),
  ];
}
