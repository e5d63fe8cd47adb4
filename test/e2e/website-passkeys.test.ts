// Cofre as the passkey provider for websites (issue 20), in the built extension with a real
// relying party (test/e2e/relying-party.ts: @simplewebauthn/server verifies every response) under
// test host names over HTTPS: create a passkey, sign in with it, from a second browser after
// sync, with the Cofre server down, from the inline menu (conditional mediation); refused for a
// mismatched RP id, an http page and a cross-origin frame without the permissions policy; a page
// script reaching for the worker's signing gets nothing; "use another device" hands the call to
// the browser's own (virtual) authenticator.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COFRE_AAGUID } from '../../shared/webauthn/authenticator.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import {
  addAuthenticator,
  editItem,
  eventually,
  freePort,
  lastClick,
  onboard,
  openItem,
  openVault,
  screenshot,
  waitSynced,
} from './cofre-pages.ts';
import { type LoadedExtension, launchExtension } from './extension.ts';
import { menuFrame, settled } from './menu-helpers.ts';
import { type RelyingParty, RP_HOST_RULES, startRelyingParty } from './relying-party.ts';

const PASSWORD = 'correct horse battery staple 42!';
const email = `passkeys-${Date.now()}@example.com`;
const browserArgs = [`--host-resolver-rules=${RP_HOST_RULES}`, '--ignore-certificate-errors'];

let db: TestDb;
let port: number;
let server: TestServer | null = null;
let rp: RelyingParty;
let a: LoadedExtension;
let vaultA: Page;

const serverUrl = () => `http://127.0.0.1:${port}`;

beforeAll(async () => {
  db = await createTestDb();
  port = await freePort();
  server = await startTestServer({}, db, port);
  rp = await startRelyingParty();
  a = await launchExtension({ args: browserArgs });
  vaultA = await openVault(a);
  await onboard(vaultA, { mode: 'Create account', server: serverUrl(), email, password: PASSWORD });
});
afterAll(async () => {
  await a?.close();
  await rp?.close();
  await server?.server.close();
  await db?.drop();
});

/** Clicks a button on the site and waits for Cofre's passkey window. */
async function siteOpensCofre(site: Page, button: string): Promise<Page> {
  const [window] = await Promise.all([
    site.context().waitForEvent('page', (p) => p.url().includes('/passkey.html')),
    site.locator(button).click(),
  ]);
  // The size Cofre opens it at (Playwright gives every page of the context one viewport).
  await window.setViewportSize({ width: 440, height: 600 });
  await window.getByRole('heading').first().waitFor();
  return window;
}

const status = (site: Page) => site.locator('#status');

describe('passkeys for websites', () => {
  it('should create a passkey the site verifies, keep it in a new login, and sign in with it', async () => {
    const site = await a.context.newPage();
    await site.goto(rp.url());
    await site.locator('#username').fill('ana@rp.test');
    const save = await siteOpensCofre(site, '#register');
    await expect
      .poll(() => save.getByRole('heading').first().textContent())
      .toMatch(/Save a passkey for Passkey Site \(rp\.test\)\?/);
    expect(await save.getByTestId('passkey-origin').textContent()).toContain(rp.url().slice(0, -1));
    await screenshot(save, 'passkey-save');
    await lastClick(save.getByRole('button', { name: 'Save passkey' }));
    await expect.poll(() => status(site).textContent()).toBe('registered ana@rp.test');
    const registered = rp.log.at(-1)!;
    expect(registered).toMatchObject({
      kind: 'registration',
      verified: true,
      aaguid: COFRE_AAGUID,
      backedUp: true,
      deviceType: 'multiDevice',
      userVerified: true,
    });

    const choose = await siteOpensCofre(site, '#sign-in');
    await screenshot(choose, 'passkey-choose');
    await lastClick(choose.getByRole('button', { name: /ana@rp\.test/ }));
    await expect.poll(() => status(site).textContent()).toBe('signed in as ana@rp.test');
    expect(rp.log.at(-1)).toMatchObject({ kind: 'authentication', verified: true, backedUp: true });

    // The vault page lists it on its login: site, user, created.
    await vaultA.reload();
    await openItem(vaultA, 'Passkey Site');
    const row = vaultA.getByTestId('passkey-row');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toMatch(/rp\.test.*ana@rp\.test/);
    // Editing the login keeps its passkey.
    await editItem(vaultA, 'Passkey Site', { notes: 'Signed in with a passkey.' });
    await expect
      .poll(() => vaultA.getByTestId('value-notes').textContent())
      .toBe('Signed in with a passkey.');
    expect(await vaultA.getByTestId('passkey-row').count()).toBe(1);
    await site.close();
  });

  it('should ask who it is when the site requires user verification, make Ed25519 when the site prefers it, and let the person choose among passkeys', async () => {
    const site = await a.context.newPage();
    await site.goto(rp.url('rp.test', '/?uv=required&algs=-8,-7'));
    await site.locator('#username').fill('cy@rp.test');
    const save = await siteOpensCofre(site, '#register');
    await save.getByText('This site asks you to confirm it is you.').waitFor();
    await save.getByLabel('Master password').fill('not my password');
    await save.getByRole('button', { name: 'Confirm' }).click();
    await save.getByRole('alert').waitFor();
    await save.getByLabel('Master password').fill(PASSWORD);
    await save.getByRole('button', { name: 'Confirm' }).click();
    // No login of the site is cy's: a new one is suggested.
    expect(await save.getByLabel('A new login').isChecked()).toBe(true);
    await lastClick(save.getByRole('button', { name: 'Save passkey' }));
    await expect.poll(() => status(site).textContent()).toBe('registered cy@rp.test');
    expect(rp.log.at(-1)).toMatchObject({
      verified: true,
      userVerified: true,
      aaguid: COFRE_AAGUID,
    });

    const choose = await siteOpensCofre(site, '#sign-in');
    await choose.getByLabel('Master password').fill(PASSWORD);
    await choose.getByRole('button', { name: 'Confirm' }).click();
    const choices = choose.getByRole('list', { name: 'Passkeys' }).getByRole('button');
    await expect.poll(() => choices.count()).toBe(2);
    // Newest first.
    expect(await choices.allTextContents()).toEqual([
      expect.stringMatching(/^cy@rp\.test/),
      expect.stringMatching(/^ana@rp\.test/),
    ]);
    await lastClick(choices.first());
    await expect.poll(() => status(site).textContent()).toBe('signed in as cy@rp.test');
    expect(rp.log.at(-1)).toMatchObject({
      kind: 'authentication',
      verified: true,
      userVerified: true,
    });
    await site.close();
  });

  it('should refuse to make a second passkey for an account the site says is registered, and offer only the passkeys a sign-in allows', async () => {
    const site = await a.context.newPage();
    await site.goto(rp.url());
    await site.locator('#username').fill('ana@rp.test');
    const window = await siteOpensCofre(site, '#register');
    await window.getByText('A passkey for this account is already saved in Cofre.').waitFor();
    await lastClick(window.getByRole('button', { name: 'OK' }));
    await expect.poll(() => status(site).textContent()).toMatch(/^error InvalidStateError/);
    // allowCredentials naming cy's passkey only: ana's is not offered.
    await site.goto(rp.url('rp.test', '/?allow=cy@rp.test'));
    const choose = await siteOpensCofre(site, '#sign-in');
    const choices = choose.getByRole('list', { name: 'Passkeys' }).getByRole('button');
    await expect.poll(() => choices.count()).toBe(1);
    expect(await choices.textContent()).toMatch(/^cy@rp\.test/);
    await lastClick(choices.first());
    await expect.poll(() => status(site).textContent()).toBe('signed in as cy@rp.test');
    await site.close();
  });

  it('should offer the passkey in the username field’s inline menu when the site asks with conditional mediation', async () => {
    const site = await a.context.newPage();
    await site.goto(rp.url('rp.test', '/?conditional=1'));
    await site.locator('#username').click();
    const menu = await menuFrame(site);
    const row = menu.getByTestId('menu-passkey').filter({ hasText: 'ana@rp.test' });
    await row.waitFor();
    await settled(menu);
    // The passkey first, then the login with a password for the same site.
    expect(await menu.locator('.menu-row').first().getAttribute('data-testid')).toBe(
      'menu-passkey',
    );
    expect(await row.textContent()).toMatch(/ana@rp\.test.*Passkey · Passkey Site/);
    await screenshot(site, 'passkey-inline-menu');
    await lastClick(row);
    await expect.poll(() => status(site).textContent()).toBe('signed in as ana@rp.test');
    expect(rp.log.at(-1)).toMatchObject({ kind: 'authentication', verified: true });
    await site.close();
  });

  it('should refuse an RP id that is not the page’s own domain, with a SecurityError', async () => {
    const before = rp.log.length;
    const site = await a.context.newPage();
    await site.goto(rp.url('rp.test', '/?rpId=other.test'));
    await site.locator('#username').fill('ana@rp.test');
    await site.locator('#register').click();
    // SimpleWebAuthn words it its own way; the page gets Cofre's SecurityError.
    await expect.poll(() => status(site).textContent()).toMatch(/^error SecurityError/);
    expect(
      await site.evaluate(() =>
        navigator.credentials
          .get({ publicKey: { challenge: new Uint8Array(32), rpId: 'other.test' } })
          .catch((e: DOMException) => `${e.name}: ${e.message}`),
      ),
    ).toBe('SecurityError: rp.test may not use passkeys for other.test.');
    await site.locator('#sign-in').click();
    await expect.poll(() => status(site).textContent()).toMatch(/^error SecurityError/);
    // A suffix of the page's own registrable domain is fine: login.rp.test may use rp.test.
    await site.goto(rp.url('login.rp.test', '/?rpId=rp.test'));
    const choose = await siteOpensCofre(site, '#sign-in');
    await lastClick(choose.getByRole('button', { name: /ana@rp\.test/ }));
    await expect.poll(() => status(site).textContent()).toBe('signed in as ana@rp.test');
    expect(rp.log.slice(before).map((e) => e.verified)).toEqual([true]);
    await site.close();
  });

  it('should refuse a request from an http page, even one forged past the browser', async () => {
    const site = await a.context.newPage();
    await site.goto(rp.httpUrl());
    // Browsers give insecure pages no WebAuthn at all; a page that posts Cofre's relay message
    // itself reaches the worker, which refuses it.
    expect(await site.evaluate(() => typeof navigator.credentials)).toBe('undefined');
    const answer = await site.evaluate(forgedRequest, 'create' as const);
    expect(answer).toEqual({
      error: { name: 'SecurityError', message: 'Passkeys need a secure (https) page.' },
    });
    await site.close();
  });

  it('should refuse a cross-origin frame without the permissions policy, and name both origins when it has it', async () => {
    const before = rp.log.length;
    const embed = await a.context.newPage();
    await embed.goto(rp.url('embed.test', `/frame?src=${encodeURIComponent(rp.url())}`));
    const framed = await eventually(async () => {
      const f = embed.frames().find((x) => x.url().startsWith(rp.url()));
      expect(f).toBeTruthy();
      await f!.locator('#sign-in').waitFor();
      return f!;
    });
    await framed.locator('#sign-in').click();
    await expect
      .poll(() => framed.locator('#status').textContent())
      .toMatch(
        /^error NotAllowedError: This frame \(https:\/\/rp\.test:\d+\) may not use passkeys: https:\/\/embed\.test:\d+ did not allow it/,
      );

    await embed.goto(rp.url('embed.test', `/frame?allow=1&src=${encodeURIComponent(rp.url())}`));
    const allowed = await eventually(async () => {
      const f = embed.frames().find((x) => x.url().startsWith(rp.url()));
      expect(f).toBeTruthy();
      await f!.locator('#sign-in').waitFor();
      return f!;
    });
    const [choose] = await Promise.all([
      a.context.waitForEvent('page', (p) => p.url().includes('/passkey.html')),
      allowed.locator('#sign-in').click(),
    ]);
    await choose.setViewportSize({ width: 440, height: 600 });
    await choose.getByRole('heading').first().waitFor();
    expect(await choose.getByTestId('passkey-origin').textContent()).toMatch(
      /Asked by https:\/\/rp\.test:\d+, inside a page of https:\/\/embed\.test:\d+/,
    );
    await screenshot(choose, 'passkey-cross-origin');
    await lastClick(choose.getByRole('button', { name: /ana@rp\.test/ }));
    await expect
      .poll(() => allowed.locator('#status').textContent())
      .toBe('signed in as ana@rp.test');
    expect(rp.log.slice(before).map((e) => e.verified)).toEqual([true]);

    // The same frame asking with conditional mediation: the inline menu asks first, naming both.
    await embed.goto(
      rp.url(
        'embed.test',
        `/frame?allow=1&src=${encodeURIComponent(rp.url('rp.test', '/?conditional=1'))}`,
      ),
    );
    const conditional = await eventually(async () => {
      const f = embed.frames().find((x) => x.url().startsWith(rp.url()));
      expect(f).toBeTruthy();
      await f!.locator('#username').waitFor();
      return f!;
    });
    await conditional.locator('#username').click();
    const menu = await menuFrame(embed);
    const row = menu.getByTestId('menu-passkey').filter({ hasText: 'ana@rp.test' });
    await row.waitFor();
    await settled(menu);
    await row.click();
    const question = menu.getByRole('alertdialog');
    expect(await question.textContent()).toMatch(
      /This sign-in is in a frame from https:\/\/rp\.test:\d+, inside https:\/\/embed\.test:\d+/,
    );
    await lastClick(question.getByRole('button', { name: 'Sign in' }));
    await expect
      .poll(() => conditional.locator('#status').textContent())
      .toBe('signed in as ana@rp.test');

    // A sandboxed frame has an opaque origin: no site's passkeys, even with the policy.
    await embed.goto(
      rp.url('embed.test', `/frame?allow=1&sandbox=1&src=${encodeURIComponent(rp.url())}`),
    );
    const sandboxed = await eventually(async () => {
      const f = embed.frames().find((x) => x.url().startsWith(rp.url()));
      expect(f).toBeTruthy();
      await f!.locator('#sign-in').waitFor();
      return f!;
    });
    expect(
      await sandboxed.evaluate(() =>
        navigator.credentials
          .get({ publicKey: { challenge: new Uint8Array(32), rpId: 'rp.test' } })
          .then(
            () => 'signed',
            (e: DOMException) => `${e.name}: ${e.message}`,
          ),
      ),
    ).toBe('SecurityError: A sandboxed frame cannot use passkeys.');
    await embed.close();
  });

  it('should give a page script that reaches for the signing directly nothing', async () => {
    const before = rp.log.length;
    const site = await a.context.newPage();
    await site.goto(rp.url());
    const tries = await site.evaluate(async (extensionId) => {
      const out: string[] = [];
      // The extension's message API is not reachable from a web page.
      out.push(
        typeof (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime
          ?.sendMessage,
      );
      // Its passkey window cannot be framed by a page (not web-accessible).
      const frame = document.createElement('iframe');
      frame.src = `chrome-extension://${extensionId}/passkey.html#${'0'.repeat(32)}`;
      document.body.append(frame);
      await new Promise((r) => setTimeout(r, 500));
      let framedDoc = 'blocked';
      try {
        framedDoc = frame.contentDocument?.body?.innerText ?? 'blocked';
      } catch {
        framedDoc = 'blocked';
      }
      out.push(framedDoc);
      return out;
    }, a.extensionId);
    // Options the worker cannot read: a clear refusal, and nothing made.
    expect(await site.evaluate(forgedRequest, 'malformed' as const)).toEqual({
      error: { name: 'TypeError', message: 'Cofre could not read this request for a passkey.' },
    });
    expect(tries[0]).toBe('undefined');
    expect(tries[1]).not.toMatch(/passkey/i);
    // A forged request from the page is an ordinary request: it waits for the person in Cofre's
    // window, and signs nothing while nobody answers there.
    const first = a.context.waitForEvent('page', (p) => p.url().includes('/passkey.html'));
    const older = site.evaluate(forgedRequest, 'get' as const);
    const firstWindow = await first;
    // Asking again ends the older request and its window: one window per tab, however many calls.
    const opened = a.context.waitForEvent('page', (p) => p.url().includes('/passkey.html'));
    const forged = site.evaluate(forgedRequest, 'get-2' as const);
    expect(await older).toEqual({
      error: { name: 'AbortError', message: 'A newer request replaced this one.' },
    });
    await expect.poll(() => firstWindow.isClosed()).toBe(true);
    const window = await opened;
    await window.getByRole('heading').first().waitFor();
    await lastClick(window.getByRole('button', { name: 'Cancel' }));
    expect(await forged).toEqual({
      error: {
        name: 'NotAllowedError',
        message: 'The operation either timed out or was not allowed.',
      },
    });
    await expect.poll(() => window.isClosed()).toBe(true);
    expect(rp.log.length).toBe(before);
    await site.close();
  });

  it('should hand the call to the browser’s own authenticator when asked to use another device', async () => {
    const site = await a.context.newPage();
    await addAuthenticator(a, site);
    await site.goto(rp.url());
    await site.locator('#username').fill('bo@rp.test');
    const save = await siteOpensCofre(site, '#register');
    await lastClick(save.getByRole('button', { name: 'Use another device or security key' }));
    await expect.poll(() => status(site).textContent()).toBe('registered bo@rp.test');
    const made = rp.log.at(-1)!;
    expect(made.verified).toBe(true);
    // Chromium's virtual authenticator made it, not Cofre.
    expect(made.aaguid).not.toBe(COFRE_AAGUID);
    await site.close();
  });

  it('should carry passkeys out in a Bitwarden JSON export and back in by import, and delete one from its login', async () => {
    await vaultA.reload();
    await vaultA.getByRole('button', { name: 'Import and export' }).click();
    const exportForm = vaultA.getByRole('form', { name: 'Export' });
    await exportForm.locator('select[name=export-format]').selectOption('bitwarden-json');
    await exportForm.getByLabel('Master password to export').fill(PASSWORD);
    await exportForm.getByLabel('I understand: the file is not encrypted').check();
    const [file] = await Promise.all([
      vaultA.waitForEvent('download'),
      exportForm.getByRole('button', { name: 'Export' }).click(),
    ]);
    const json = (await readFile(await file.path())).toString();
    const exported = JSON.parse(json) as {
      items: Array<{
        name: string;
        login?: { fido2Credentials?: Array<{ rpId: string; userName: string }> };
      }>;
    };
    const withPasskeys = exported.items.filter((i) => i.login?.fido2Credentials?.length);
    expect(
      withPasskeys.flatMap((i) => i.login!.fido2Credentials!.map((f) => f.userName)).sort(),
    ).toEqual(['ana@rp.test', 'cy@rp.test']);

    // Delete ana's passkey on its login: the vault page asks first.
    await vaultA.getByRole('button', { name: 'All items' }).click();
    // Two logins are called Passkey Site now (ana's and cy's): ana's by its username.
    await vaultA.getByLabel('Search', { exact: true }).fill('ana@rp.test');
    await expect
      .poll(() => vaultA.locator('[data-testid=item-row][data-name="Passkey Site"]').count())
      .toBe(1);
    await openItem(vaultA, 'Passkey Site');
    await vaultA.getByLabel('Search', { exact: true }).fill('');
    const ana = vaultA.getByTestId('passkey-row').filter({ hasText: 'ana@rp.test' });
    await ana.getByRole('button', { name: 'Delete the passkey for rp.test' }).click();
    await vaultA.getByRole('button', { name: 'Delete passkey' }).last().click();
    await expect
      .poll(() => vaultA.getByTestId('passkey-row').filter({ hasText: 'ana@rp.test' }).count())
      .toBe(0);

    // Back from the file: only the login that held ana's passkey, imported as a new item.
    const only = {
      ...exported,
      items: exported.items.filter((i) =>
        i.login?.fido2Credentials?.some((f) => f.userName === 'ana@rp.test'),
      ),
    };
    await vaultA.getByRole('button', { name: 'Import and export' }).click();
    const importForm = vaultA.getByRole('form', { name: 'Import' });
    await importForm.getByLabel('File to import').setInputFiles({
      name: 'bitwarden.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(only)),
    });
    await importForm.getByRole('button', { name: 'Read file' }).click();
    const preview = vaultA.getByRole('region', { name: 'Import preview' });
    // The login is still in the vault, but without the passkey: not a duplicate.
    await preview.getByRole('button', { name: 'Import 1 item' }).click();
    await expect
      .poll(() => importForm.getByTestId('import-report').textContent())
      .toMatch(/^Imported 1 item/);

    const site = await a.context.newPage();
    await site.goto(rp.url());
    const choose = await siteOpensCofre(site, '#sign-in');
    await lastClick(choose.getByRole('button', { name: /ana@rp\.test/ }));
    await expect.poll(() => status(site).textContent()).toBe('signed in as ana@rp.test');
    await site.close();
  });

  it('should sign in from a second browser after sync, and with the Cofre server down', async () => {
    const b = await launchExtension({ args: browserArgs });
    try {
      const vaultB = await openVault(b);
      await onboard(vaultB, { mode: 'Sign in', server: serverUrl(), email, password: PASSWORD });
      await waitSynced(vaultB);
      const site = await b.context.newPage();
      await site.goto(rp.url());
      const choose = await siteOpensCofre(site, '#sign-in');
      await lastClick(choose.getByRole('button', { name: /ana@rp\.test/ }));
      await expect.poll(() => status(site).textContent()).toBe('signed in as ana@rp.test');
    } finally {
      await b.close();
    }
    await server?.server.close();
    server = null;
    const site = await a.context.newPage();
    await site.goto(rp.url());
    const choose = await siteOpensCofre(site, '#sign-in');
    await lastClick(choose.getByRole('button', { name: /ana@rp\.test/ }));
    await expect.poll(() => status(site).textContent()).toBe('signed in as ana@rp.test');
    expect(rp.log.at(-1)).toMatchObject({ kind: 'authentication', verified: true });
    await site.close();
  });
});

/** What a page script gets by posting Cofre's relay message itself (as the page hook would). */
function forgedRequest(kind: 'create' | 'get' | 'get-2' | 'malformed'): Promise<unknown> {
  return new Promise((resolve) => {
    const request = kind === 'get-2' ? 'forged-request-2' : 'forged-request-1';
    addEventListener('message', (e) => {
      if (
        e.data?.channel === 'cofre-webauthn' &&
        e.data.kind === 'answer' &&
        e.data.request === request
      )
        resolve(e.data.answer);
    });
    const challenge = 'Y2hhbGxlbmdlLWNoYWxsZW5nZS1jaGFsbGVuZ2UtMTIz';
    postMessage(
      kind === 'malformed'
        ? {
            channel: 'cofre-webauthn',
            kind: 'create',
            request,
            // No user, a challenge that is not base64url.
            options: { challenge: 'not base64url!', rp: { name: 'x' } },
          }
        : kind === 'create'
          ? {
              channel: 'cofre-webauthn',
              kind,
              request,
              options: {
                challenge,
                rp: { name: 'x' },
                user: { id: 'dXNlcg', name: 'ana', displayName: 'Ana' },
                pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
              },
            }
          : {
              channel: 'cofre-webauthn',
              kind: 'get',
              request,
              options: { challenge },
              conditional: false,
            },
      '*',
    );
  });
}
