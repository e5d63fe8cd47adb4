// axe-core on every state of the vault page and the popup, in light and dark: no violation of
// impact serious or critical anywhere; moderate and minor ones are listed (with the reason kept
// where one is accepted) in docs/accessibility.md, which this test writes.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPerson } from '../helpers/people.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import {
  addItem,
  eventually,
  lastClick,
  onboard,
  openItem,
  openPopup,
  openSettings,
  openVault,
  startNewItem,
  unlock,
  waitSynced,
} from './cofre-pages.ts';
import { type LoadedExtension, launchExtension } from './extension.ts';
import { RP_HOST_RULES, startRelyingParty } from './relying-party.ts';

const PASSWORD = 'correct horse battery staple 42!';
const email = `axe-${Date.now()}@example.com`;
const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);
const report = fileURLToPath(new URL('../../docs/accessibility.md', import.meta.url));

/**
 * Moderate findings accepted, with why. Anything serious or critical fails the test; anything
 * moderate not listed here fails it too.
 */
const ACCEPTED: Record<string, string> = {};

interface Finding {
  id: string;
  impact: string;
  nodes: number;
  help: string;
  where: string;
}
const rows: Array<{ state: string; scheme: string; findings: Finding[] }> = [];

async function axe(page: Page, state: string, scheme: 'light' | 'dark') {
  await page.emulateMedia({ colorScheme: scheme });
  // Evaluated through the DevTools protocol: the page's CSP (script-src 'self') does not apply.
  await page.evaluate(axeSource);
  const result = (await page.evaluate(() =>
    (
      globalThis as unknown as {
        axe: { run(o: object): Promise<{ violations: Array<Record<string, unknown>> }> };
      }
    ).axe.run({ resultTypes: ['violations'] }),
  )) as {
    violations: Array<{
      id: string;
      impact: string;
      help: string;
      nodes: Array<{ target: string[]; failureSummary?: string }>;
    }>;
  };
  const findings = result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    nodes: v.nodes.length,
    help: v.help,
    where: v.nodes
      .slice(0, 3)
      .map(
        (n) =>
          `${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 200)}`,
      )
      .join(' | '),
  }));
  rows.push({ state, scheme, findings });
  const blocking = findings.filter(
    (f) =>
      f.impact === 'serious' ||
      f.impact === 'critical' ||
      (f.impact === 'moderate' && !ACCEPTED[f.id]),
  );
  expect(
    blocking.map(
      (f) => `${state}/${scheme}: ${f.impact} ${f.id} (${f.nodes}) ${f.help} — ${f.where}`,
    ),
  ).toEqual([]);
}

const both = async (page: Page, state: string) => {
  for (const scheme of ['light', 'dark'] as const) await axe(page, state, scheme);
  await page.emulateMedia({ colorScheme: 'light' });
};

let server: TestServer;
let ext: LoadedExtension;
let page: Page;

beforeAll(async () => {
  server = await startTestServer();
  // The passkey window's states need the relying party's test host names.
  ext = await launchExtension({
    args: [`--host-resolver-rules=${RP_HOST_RULES}`, '--ignore-certificate-errors'],
  });
}, 60_000);

afterAll(async () => {
  writeFileSync(
    report,
    [
      '# Accessibility: axe-core on every state',
      '',
      `Written by \`test/e2e/accessibility.test.ts\` (axe-core ${JSON.parse(readFileSync(createRequire(import.meta.url).resolve('axe-core/package.json'), 'utf8')).version}, Chromium, the built extension). Serious and critical findings fail the test; so does any moderate one not justified in the test.`,
      '',
      '| State | Scheme | Critical | Serious | Moderate | Minor | Findings |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...rows.map(({ state, scheme, findings }) => {
        const n = (i: string) => findings.filter((f) => f.impact === i).length;
        const list = findings.map(
          (f) => `${f.id} (${f.impact}${ACCEPTED[f.id] ? `: ${ACCEPTED[f.id]}` : ''})`,
        );
        return `| ${state} | ${scheme} | ${n('critical')} | ${n('serious')} | ${n('moderate')} | ${n('minor')} | ${list.join(', ') || '—'} |`;
      }),
      '',
    ].join('\n'),
  );
  await ext?.close();
  await server?.close();
});

describe('axe-core', () => {
  it('should find nothing serious on onboarding, the vault page and its tools', async () => {
    page = await openVault(ext);
    // The page first shows a loading line while it asks the worker for its state.
    await page.getByRole('tab', { name: 'Create account', exact: true }).waitFor();
    await both(page, 'onboarding');
    await onboard(page, { mode: 'Create account', server: server.url, email, password: PASSWORD });
    await waitSynced(page);
    await addItem(page, {
      type: 'login',
      name: 'Bank',
      username: 'ana',
      password: 'b4nk-Secret!',
      uri: 'https://bank.example.com',
      totp: 'JBSWY3DPEHPK3PXP',
    });
    await addItem(page, { type: 'note', name: 'Wifi', notes: 'Key: 5up3r' });
    await addItem(page, { type: 'card', name: 'Visa', number: '4111 1111 1111 1111' });
    await addItem(page, { type: 'identity', name: 'Me', firstName: 'Ana' });
    await page.getByRole('button', { name: 'All items' }).click();
    await both(page, 'list');
    await openItem(page, 'Bank');
    await both(page, 'detail');
    await page
      .getByRole('article', { name: 'Bank' })
      .getByRole('button', { name: 'Edit', exact: true })
      .click();
    await both(page, 'editor');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await startNewItem(page, 'card');
    await page.locator('form.editor [name=name]').fill('Bad card');
    await page.locator('form.editor [name=number]').fill('1234');
    await page.locator('form.editor button[type=submit]').click();
    await page.locator('#err-number').waitFor();
    await both(page, 'editor with errors');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'New item' }).click();
    await page.getByRole('menuitem').first().waitFor();
    await both(page, 'new item menu');
    await page.keyboard.press('Escape');
    await openItem(page, 'Bank');
    await page
      .getByRole('article', { name: 'Bank' })
      .getByRole('button', { name: 'Move to trash' })
      .click();
    await page.getByTestId('toast').waitFor();
    await both(page, 'trash undo toast');
    await page.getByTestId('toast').getByRole('button', { name: 'Undo' }).click();
    await openItem(page, 'Wifi');
    await page
      .getByRole('article', { name: 'Wifi' })
      .getByRole('button', { name: 'Move to trash' })
      .click();
    await page.getByRole('button', { name: 'Trash', exact: true }).click();
    await openItem(page, 'Wifi');
    await page
      .getByRole('article', { name: 'Wifi' })
      .getByRole('button', { name: 'Delete forever' })
      .click();
    await page.getByTestId('confirm-dialog').waitFor();
    await both(page, 'confirm dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Generator' }).click();
    await page.getByTestId('generated').waitFor();
    await both(page, 'generator');
    await page.getByRole('button', { name: 'Password report' }).click();
    await page
      .getByTestId('finding')
      .first()
      .waitFor()
      .catch(() => {});
    await both(page, 'report');
    await page.getByRole('button', { name: 'Import and export' }).click();
    await both(page, 'import');
    await openSettings(page);
    await both(page, 'settings');
    // Sharing: the inbox, a vault's members with an invitation waiting for confirmation, the
    // safety-number comparison, and a shared item.
    await page.getByTestId('nav-sharing').click();
    await page.getByRole('region', { name: 'Sharing' }).waitFor();
    await both(page, 'sharing inbox');
    await page.getByRole('button', { name: /New shared vault/ }).click();
    await page.getByTestId('confirm-dialog').locator('input[name=dialog-input]').fill('Familia');
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Familia', level: 2 }).waitFor();
    const ben = await createPerson(server, 'Ben');
    await page.locator('input[name=invite-email]').fill(ben.email);
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Invitation sent' }).waitFor();
    const [invitation] = (await ben.sharing.receivedInvitations()).invitations;
    await ben.sharing.respond(invitation!.id, true);
    const confirmButton = page.getByRole('button', { name: 'Compare and confirm' });
    await eventually(() => confirmButton.waitFor({ timeout: 1_000 }), 30_000);
    await both(page, 'shared vault members');
    await confirmButton.click();
    await page.getByTestId('compare-dialog').waitFor();
    await both(page, 'safety number comparison');
    await page.getByRole('button', { name: 'The numbers match: confirm' }).click();
    await page.getByTestId('compare-dialog').waitFor({ state: 'detached' });
    await page
      .getByRole('navigation', { name: 'Vault' })
      .getByRole('button', { name: 'Familia', exact: true })
      .click();
    await addItem(page, { type: 'login', name: 'Router', username: 'admin', password: 'r-2026' });
    await both(page, 'shared item');
    await page
      .getByRole('article', { name: 'Router' })
      .getByRole('button', { name: 'Move or copy…' })
      .click();
    await page.getByRole('region', { name: 'Move or copy items' }).waitFor();
    await both(page, 'move or copy items');
    for (const width of [800, 360]) {
      await page.setViewportSize({ width, height: 720 });
      await page.getByRole('button', { name: 'All items' }).click();
      await both(page, `list at ${width} px`);
    }
    await page.setViewportSize({ width: 1180, height: 760 });
    await page.getByTestId('lock').first().click();
    await page.locator('form.unlock').waitFor();
    await both(page, 'locked');
  }, 180_000);

  it('should find nothing serious in two-step sign-in: setting it up, its codes, the second step, and a sign-up that needs an invitation', async () => {
    await unlock(page, PASSWORD);
    await page.getByRole('navigation', { name: 'Vault' }).waitFor();
    await openSettings(page);
    const panel = page.getByRole('region', { name: 'Two-step sign-in' });
    await panel.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await panel.locator('input[name=two-step-password]').fill(PASSWORD);
    await panel.getByRole('button', { name: 'Continue' }).click();
    const secret = panel.getByTestId('totp-secret');
    await secret.waitFor({ timeout: 30_000 });
    await both(page, 'two-step: scan the QR code');
    const code = new TOTP({
      secret: Secret.fromBase32(((await secret.textContent()) ?? '').replaceAll(' ', '')),
    }).generate();
    await panel.locator('input[name=totp-confirm]').fill(code);
    await panel.getByRole('button', { name: 'Turn on' }).click();
    await panel.getByTestId('recovery-codes').waitFor();
    await both(page, 'two-step: recovery codes');
    await panel.getByRole('button', { name: 'I have saved them' }).click();
    await both(page, 'two-step: settings, on');

    const other = await launchExtension();
    const invitesOnly = await startTestServer({ SIGNUPS: 'invite' });
    try {
      const p2 = await openVault(other);
      await p2.getByRole('tab', { name: 'Sign in', exact: true }).click();
      await p2.locator('input[name=server]').fill(server.url);
      await p2.locator('input[name=email]').fill(email);
      await p2.locator('input[name=password]').fill(PASSWORD);
      await p2.locator('form button[type=submit]').click();
      await p2.getByRole('form', { name: 'Two-step sign-in' }).waitFor({ timeout: 60_000 });
      await both(p2, 'second step of a sign-in');
      await p2.getByRole('button', { name: 'Cancel' }).click();
      await p2.getByRole('tab', { name: 'Create account', exact: true }).click();
      await p2.locator('input[name=server]').fill(invitesOnly.url);
      await p2.locator('input[name=invitation]').waitFor();
      await both(p2, 'sign-up with an invitation code');
    } finally {
      await other.close();
      await invitesOnly.close();
    }
  }, 180_000);

  it('should find nothing serious in the popup, locked and unlocked', async () => {
    const popup = await openPopup(ext);
    await popup.evaluate(() =>
      (
        globalThis as unknown as {
          chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } };
        }
      ).chrome.runtime.sendMessage({ type: 'lock' }),
    );
    await popup.locator('form.unlock').waitFor();
    await both(popup, 'popup locked');
    await unlock(popup, PASSWORD);
    await popup.getByRole('searchbox').waitFor();
    await both(popup, 'popup list');
    await popup.close();
  }, 60_000);

  it('should find nothing serious in the passkey window: confirming it is you, saving, choosing', async () => {
    const rp = await startRelyingParty();
    try {
      const site = await ext.context.newPage();
      await site.goto(rp.url('rp.test', '/?uv=required'));
      await site.locator('#username').fill('axe@rp.test');
      const opens = () =>
        ext.context.waitForEvent('page', (p) => p.url().includes('/passkey.html'));
      const [save] = await Promise.all([opens(), site.locator('#register').click()]);
      await save.getByText('This site asks you to confirm it is you.').waitFor();
      await both(save, 'passkey window, confirm it is you');
      await save.getByLabel('Master password').fill(PASSWORD);
      await save.getByRole('button', { name: 'Confirm' }).click();
      await save.getByRole('button', { name: 'Save passkey' }).waitFor();
      await both(save, 'passkey window, save');
      await lastClick(save.getByRole('button', { name: 'Save passkey' }));
      await expect.poll(() => site.locator('#status').textContent()).toBe('registered axe@rp.test');
      await site.goto(rp.url());
      const [choose] = await Promise.all([opens(), site.locator('#sign-in').click()]);
      await choose.getByRole('list', { name: 'Passkeys' }).waitFor();
      await both(choose, 'passkey window, choose');
      await lastClick(choose.getByRole('button', { name: /axe@rp\.test/ }));
      await expect
        .poll(() => site.locator('#status').textContent())
        .toBe('signed in as axe@rp.test');
      await site.close();
    } finally {
      await rp.close();
    }
  }, 60_000);
});
