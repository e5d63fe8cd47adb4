// Sharing as a family meets it, through the vault page only: three people in three Chromium
// profiles on one server, each behind a proxy of their own (so one can lose the network, and
// so one can be shown a server that lies). Ana creates "Familia", invites Ben and Carla; they
// accept; Ana compares safety numbers and confirms; Ben's offline edit and Carla's online edit of
// one shared login both survive; Ana demotes Carla, whose offline edit lands in her personal
// vault with a notice; Ana removes Ben, whose browser loses the vault; a server that swaps
// Carla's key is refused with the warning. Screenshots of each step go to docs/screenshots.

import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAccountKey } from '../../shared/crypto/account-key.ts';
import { fromBase64url } from '../../shared/crypto/bytes.ts';
import { createIdentity } from '../../shared/sharing/identity.ts';
import { type Mitm, startMitm } from '../helpers/mitm-proxy.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import {
  addItem,
  confirmDialog,
  eventually,
  fieldValue,
  onboard,
  openPopup,
  openVault,
  screenshot,
  waitSynced,
} from './cofre-pages.ts';
import { type LoadedExtension, launchExtension } from './extension.ts';
import { HOST_RULES, startFixtureSites } from './fixture-sites.ts';

const PASSWORD = 'correct horse battery staple 42!';
const stamp = Date.now();
const EMAIL = {
  ana: `ana-${stamp}@example.com`,
  ben: `ben-${stamp}@example.com`,
  carla: `carla-${stamp}@example.com`,
};
type Who = keyof typeof EMAIL;

let server: TestServer;
let sites: Awaited<ReturnType<typeof startFixtureSites>>;
const browsers = {} as Record<Who, LoadedExtension>;
const proxies = {} as Record<Who, Mitm>;
const pages = {} as Record<Who, Page>;
/** Clicks a person needs, counted from "New shared vault" to the first item shared with a member. */
let clicks = 0;
let counting = false;
async function click(l: Locator) {
  if (counting) clicks++;
  await l.click();
}

beforeAll(async () => {
  server = await startTestServer();
  sites = await startFixtureSites();
  for (const who of ['ana', 'ben', 'carla'] as const) proxies[who] = await startMitm(server.url);
  const launch = () => launchExtension({ args: [HOST_RULES] });
  const launched = await Promise.all([launch(), launch(), launch()]);
  [browsers.ana, browsers.ben, browsers.carla] = launched as [
    LoadedExtension,
    LoadedExtension,
    LoadedExtension,
  ];
}, 120_000);

afterAll(async () => {
  for (const b of Object.values(browsers)) await b?.close();
  for (const p of Object.values(proxies)) await p?.close();
  await sites?.close();
  await server?.close();
});

const sidebar = (p: Page) => p.getByRole('navigation', { name: 'Vault' });
const syncNow = (p: Page) => sidebar(p).getByRole('button', { name: 'Sync now' }).click();
const row = (p: Page, name: string) => p.locator(`[data-testid=item-row][data-name="${name}"]`);
const sharedRow = (p: Page, name: string) =>
  row(p, name).filter({ has: p.getByTestId('vault-tag') });

async function openSharing(p: Page) {
  await p.getByTestId('nav-sharing').click();
  await p.getByRole('region', { name: 'Sharing' }).waitFor();
}

async function openManager(p: Page, vault = 'Familia') {
  await sidebar(p)
    .getByRole('button', { name: `Members and settings of “${vault}”` })
    .click();
  await p.getByRole('heading', { name: vault, level: 2 }).waitFor();
}

/** Accepts the invitation and reads the safety number shown with the inviter. */
async function accept(who: Who): Promise<string> {
  const p = pages[who];
  await eventually(async () => {
    expect(await p.getByTestId('sharing-count').textContent()).toMatch(/^1/);
  }, 30_000);
  // The toolbar button counts it too, in words for its title.
  await eventually(async () => {
    expect(await toolbar(p)).toEqual({
      text: '1',
      title: 'Cofre — 1 invitation to a shared vault',
    });
  });
  await openSharing(p);
  const invitation = p.getByTestId('invitation');
  await expect.poll(() => invitation.textContent()).toContain(EMAIL.ana);
  await invitation.getByRole('button', { name: 'Accept' }).click();
  const dialog = p.getByTestId('compare-dialog');
  await dialog.waitFor();
  const number = (await dialog.getByTestId('safety-number').innerText()).replace(/\s+/g, ' ');
  if (who === 'ben') await screenshot(p, 'sharing-2-accept-and-compare');
  await dialog.getByRole('button', { name: 'The numbers match' }).click();
  await dialog.waitFor({ state: 'detached' });
  return number.trim();
}

/** Ana compares the number with the invitee's and confirms them. */
async function confirm(email: string, theirs: string) {
  const p = pages.ana;
  const invitation = p.getByTestId('sent-invitation').filter({ hasText: email });
  await eventually(async () => {
    await invitation
      .getByRole('button', { name: 'Compare and confirm' })
      .waitFor({ timeout: 1_000 });
  }, 30_000);
  await click(invitation.getByRole('button', { name: 'Compare and confirm' }));
  const dialog = p.getByTestId('compare-dialog');
  await dialog.waitFor();
  const ours = (await dialog.getByTestId('safety-number').innerText()).replace(/\s+/g, ' ').trim();
  expect(ours).toMatch(/^\d{5}( \d{5}){11}$/);
  expect(ours).toBe(theirs);
  if (email === EMAIL.ben) await screenshot(p, 'sharing-3-confirm-safety-number');
  await click(dialog.getByRole('button', { name: 'The numbers match: confirm' }));
  await dialog.waitFor({ state: 'detached' });
  await p
    .getByRole('status')
    .filter({ hasText: `${email} is now a member` })
    .waitFor();
}

/** The toolbar button's badge and title, as the extension set them. */
function toolbar(p: Page) {
  return p.evaluate(async () => {
    const action = (
      globalThis as unknown as {
        chrome: {
          action: {
            getBadgeText(o: object): Promise<string>;
            getTitle(o: object): Promise<string>;
          };
        };
      }
    ).chrome.action;
    return { text: await action.getBadgeText({}), title: await action.getTitle({}) };
  });
}

/** A forged identity for `userId`/`email`: self-signed, but not that person's key. */
async function forgedIdentity(userId: string, email: string) {
  const key = await importAccountKey(crypto.getRandomValues(new Uint8Array(32)));
  return (await createIdentity({ userId, email, accountKey: key })).identity.signed;
}

describe('sharing journey, three people through the UI', () => {
  it('should create Familia, invite Ben and Carla, and confirm both by safety number', async () => {
    for (const who of ['ana', 'ben', 'carla'] as const) {
      pages[who] = await openVault(browsers[who]);
      await onboard(pages[who], {
        mode: 'Create account',
        server: proxies[who].url,
        email: EMAIL[who],
        password: PASSWORD,
      });
    }
    const ana = pages.ana;
    counting = true;
    await click(ana.getByTestId('nav-sharing'));
    await click(ana.getByRole('button', { name: /New shared vault/ }));
    await ana.getByTestId('confirm-dialog').locator('input[name=dialog-input]').fill('Familia');
    await click(ana.getByTestId('confirm-dialog').getByRole('button', { name: 'Create' }));
    await ana.getByRole('heading', { name: 'Familia', level: 2 }).waitFor();
    for (const who of ['ben', 'carla'] as const) {
      await ana.locator('input[name=invite-email]').fill(EMAIL[who]);
      await click(ana.getByRole('button', { name: 'Invite', exact: true }));
      await ana
        .getByRole('status')
        .filter({ hasText: `Invitation sent to ${EMAIL[who]}` })
        .waitFor();
    }
    await screenshot(ana, 'sharing-1-invite');
    // Ben and Carla each see a new invitation (the badge's count in the side bar), accept it and
    // read the safety number with Ana.
    const benNumber = await accept('ben');
    const carlaNumber = await accept('carla');
    expect(benNumber).not.toBe(carlaNumber);
    // Ana is told that two people wait for her confirmation.
    await eventually(async () => {
      expect(await ana.getByTestId('sharing-count').textContent()).toMatch(/^2/);
    }, 30_000);
    await confirm(EMAIL.ben, benNumber);
    await confirm(EMAIL.carla, carlaNumber);
    const members = ana.getByTestId('member');
    await expect.poll(() => members.count()).toBe(3);
    for (const who of ['ben', 'carla'] as const)
      expect(await members.filter({ hasText: EMAIL[who] }).getByText('Verified').count()).toBe(1);
  });

  it('should share a login: Ana adds it in Familia, Ben and Carla see it labelled by vault', async () => {
    const ana = pages.ana;
    await click(sidebar(ana).getByRole('button', { name: 'Familia', exact: true }));
    // The first item: "+ New item", Login, fill, Save (addItem's 3 clicks).
    clicks += 3;
    await addItem(ana, {
      type: 'login',
      name: 'Router',
      username: 'admin',
      password: 'router-2026',
      uri: sites.url('bank.test'),
    });
    counting = false;
    await ana.getByTestId('item-vault').waitFor();
    // Ana's clicks: Sharing, New shared vault, Create; Invite ×2; Compare and confirm + match ×2;
    // the vault in the side bar; New item, Login, Save (typing not counted). The README says 13.
    expect(clicks).toBe(13);
    await waitSynced(ana);
    for (const who of ['ben', 'carla'] as const) {
      const p = pages[who];
      await eventually(async () => {
        expect(await sharedRow(p, 'Router').count()).toBe(1);
      }, 30_000);
      expect(await sharedRow(p, 'Router').getByTestId('vault-tag').textContent()).toContain(
        'Familia',
      );
    }
    // Two personal logins moved in at once from the vault's page, with progress.
    await sidebar(ana).getByRole('button', { name: 'Personal', exact: true }).click();
    await addItem(ana, { type: 'login', name: 'Netflix', username: 'familia', password: 'tv-1' });
    await addItem(ana, { type: 'login', name: 'Spotify', username: 'familia', password: 'mu-1' });
    await openManager(ana);
    await ana.getByRole('button', { name: 'Add items…' }).click();
    const mover = ana.getByRole('region', { name: 'Move or copy items' });
    for (const name of ['Netflix', 'Spotify'])
      await mover.getByRole('checkbox', { name: new RegExp(`^${name}`) }).check();
    await mover.getByRole('button', { name: 'Move 2 items' }).click();
    await eventually(async () => {
      expect(await sharedRow(ana, 'Netflix').count()).toBe(1);
      expect(await sharedRow(ana, 'Spotify').count()).toBe(1);
    });
    await eventually(async () => {
      expect(await sharedRow(pages.ben, 'Spotify').count()).toBe(1);
    }, 30_000);
    await screenshot(pages.ben, 'sharing-4-shared-item');
    // Ben sees Carla as a member he has not verified himself.
    await openManager(pages.ben);
    await pages.ben
      .getByTestId('member')
      .filter({ hasText: EMAIL.carla })
      .getByTestId('unverified')
      .waitFor();
    // The popup lists the shared login with its vault.
    const popup = await openPopup(browsers.carla);
    await popup.getByRole('searchbox').fill('Router');
    await eventually(async () => {
      expect(await sharedRow(popup, 'Router').getByTestId('vault-tag').textContent()).toContain(
        'Familia',
      );
    });
    await popup.close();
    // Autofill offers it on the site, named with its vault, and fills it.
    const site = await browsers.carla.context.newPage();
    await site.goto(sites.url('bank.test', '/login'));
    await site.locator('[name=email]').click();
    const menu = await eventually(async () => {
      const f = site.frames().find((x) => x.url().includes('/inline-menu.html#'));
      expect(f, 'inline menu').toBeTruthy();
      return f!;
    });
    const offer = menu.getByRole('button', { name: /Router/ });
    await offer.waitFor();
    expect(await offer.textContent()).toContain('Familia');
    await menu.locator('body[data-visible=true]').waitFor({ timeout: 8_000 });
    await offer.click();
    await expect.poll(() => site.locator('[name=password]').inputValue()).toBe('router-2026');
    expect(await site.locator('[name=email]').inputValue()).toBe('admin');
    await site.close();
  });

  it('should keep Ben’s offline edit and Carla’s online edit of the same login', async () => {
    const { ben, carla, ana } = pages;
    proxies.ben.offline(true);
    await sidebar(ben).getByRole('button', { name: 'Familia', exact: true }).click();
    await sharedRow(ben, 'Router').locator('.item-main').click();
    const article = ben.getByRole('article', { name: 'Router' });
    // Ben has not compared numbers with Carla: the shared item says so.
    expect(await article.getByTestId('item-unverified').textContent()).toBe(
      '1 member not verified',
    );
    await article.getByRole('button', { name: 'Edit', exact: true }).click();
    await ben.getByRole('form', { name: 'Edit item' }).locator('[name=username]').fill('admin-ben');
    await ben
      .getByRole('form', { name: 'Edit item' })
      .getByRole('button', { name: 'Save' })
      .click();
    await article.waitFor();

    await sharedRow(carla, 'Router').locator('.item-main').click();
    const carlaArticle = carla.getByRole('article', { name: 'Router' });
    await carlaArticle.getByRole('button', { name: 'Edit', exact: true }).click();
    await carla
      .getByRole('form', { name: 'Edit item' })
      .locator('[name=notes]')
      .fill('Wi-Fi: casa');
    await carla
      .getByRole('form', { name: 'Edit item' })
      .getByRole('button', { name: 'Save' })
      .click();
    await carlaArticle.waitFor();
    await waitSynced(carla);

    proxies.ben.offline(false);
    await eventually(async () => {
      await syncNow(ben);
      await waitSynced(ben, 5_000);
    }, 40_000);
    await eventually(async () => {
      await syncNow(ana);
      await sharedRow(ana, 'Router').locator('.item-main').click();
      await ana.getByRole('article', { name: 'Router' }).waitFor();
      expect(await fieldValue(ana, 'username')).toBe('admin-ben');
      expect(await ana.locator('.detail [data-field="notes"]').textContent()).toContain(
        'Wi-Fi: casa',
      );
    }, 40_000);
  });

  it('should send Carla’s offline edit to her personal vault when Ana makes her a viewer', async () => {
    const { ana, carla } = pages;
    proxies.carla.offline(true);
    const article = carla.getByRole('article', { name: 'Router' });
    await sharedRow(carla, 'Router').locator('.item-main').click();
    await article.getByRole('button', { name: 'Edit', exact: true }).click();
    await carla
      .getByRole('form', { name: 'Edit item' })
      .locator('[name=password]')
      .fill('carla-offline-1');
    await carla
      .getByRole('form', { name: 'Edit item' })
      .getByRole('button', { name: 'Save' })
      .click();
    await article.waitFor();

    await openManager(ana);
    await ana.getByRole('combobox', { name: `Role of ${EMAIL.carla}` }).selectOption('viewer');
    await ana
      .getByRole('status')
      .filter({ hasText: `${EMAIL.carla} is now viewer` })
      .waitFor();

    proxies.carla.offline(false);
    await eventually(async () => {
      await syncNow(carla);
      await waitSynced(carla, 5_000);
    }, 40_000);
    await openSharing(carla);
    const notice = carla.getByTestId('sharing-notices');
    await eventually(async () => {
      expect(await notice.textContent()).toContain(
        'Your edit of “Router” could not be saved in “Familia”',
      );
    }, 30_000);
    await screenshot(carla, 'sharing-5-viewer-edit-kept');
    // The kept edit is a personal item; the shared one is now view only.
    await notice.getByRole('button', { name: 'Open it' }).click();
    await carla.getByRole('article', { name: 'Router' }).waitFor();
    expect(await carla.getByTestId('item-vault').count()).toBe(0);
    expect(await fieldValue(carla, 'password')).toBe('carla-offline-1');
    await sidebar(carla).getByRole('button', { name: 'Familia', exact: true }).click();
    await sharedRow(carla, 'Router').locator('.item-main').click();
    const shared = carla.getByRole('article', { name: 'Router' });
    await shared.getByTestId('view-only').waitFor();
    expect(await shared.getByRole('button', { name: 'Edit', exact: true }).count()).toBe(0);
    expect(await fieldValue(carla, 'password')).toBe('router-2026');
  });

  it('should remove Ben, list what he could see, and take the vault from his browser', async () => {
    const { ana, ben } = pages;
    await openManager(ana);
    await ana.getByRole('button', { name: `Remove ${EMAIL.ben}` }).click();
    await confirmDialog(ana, 'Remove');
    const removed = ana.getByTestId('removed-notice');
    await removed.waitFor({ timeout: 60_000 });
    expect(await removed.textContent()).toContain('Router');
    await screenshot(ana, 'sharing-6-removed');
    await removed.getByRole('button', { name: /Show these logins/ }).click();
    await sharedRow(ana, 'Router').waitFor();

    await eventually(async () => {
      await syncNow(ben);
      expect(await sharedRow(ben, 'Router').count()).toBe(0);
    }, 40_000);
    await openSharing(ben);
    await eventually(async () => {
      expect(await ben.getByTestId('sharing-notices').textContent()).toContain(
        'You no longer have access to a shared vault',
      );
    });
  });

  it('should refuse a server that swaps Carla’s key, with the warning', async () => {
    const ana = pages.ana;
    const forged = new Map<string, unknown>();
    proxies.ana.rewrite<{ identity: { body: string; sig: string } }>(
      'identity.of',
      async (data) => {
        const statement = JSON.parse(new TextDecoder().decode(fromBase64url(data.identity.body)));
        if (statement.email !== EMAIL.carla) return data;
        if (!forged.has(statement.userId))
          forged.set(statement.userId, await forgedIdentity(statement.userId, EMAIL.carla));
        return { identity: forged.get(statement.userId) };
      },
    );
    await openManager(ana);
    await ana.getByRole('combobox', { name: `Role of ${EMAIL.carla}` }).selectOption('editor');
    const warning = ana.getByTestId('key-changed');
    await warning.waitFor({ timeout: 30_000 });
    expect(await warning.textContent()).toContain(`The key of ${EMAIL.carla} changed`);
    expect(forged.size).toBe(1);
    await ana
      .getByTestId('member')
      .filter({ hasText: EMAIL.carla })
      .getByTestId('key-changed-tag')
      .waitFor();
    await screenshot(ana, 'sharing-7-key-changed');
    // Her role did not change: nothing was granted to the swapped key.
    await eventually(async () => {
      expect(await ana.getByRole('combobox', { name: `Role of ${EMAIL.carla}` }).inputValue()).toBe(
        'viewer',
      );
    });
    // The new number can be shown for comparison; different numbers: nothing is trusted.
    await warning.getByRole('button', { name: 'Compare the new safety number' }).click();
    const dialog = ana.getByTestId('compare-dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'They are different' }).click();
    proxies.ana.honest();
  });

  it('should let Carla leave, and Ana delete the vault only with its name typed', async () => {
    const { ana, carla } = pages;
    await openManager(carla);
    await carla.getByRole('button', { name: 'Leave vault' }).click();
    await confirmDialog(carla, 'Leave vault');
    await eventually(async () => {
      expect(
        await sidebar(carla).getByRole('button', { name: 'Familia', exact: true }).count(),
      ).toBe(0);
      expect(await sharedRow(carla, 'Router').count()).toBe(0);
    });
    // Her own copy of the edit the demotion refused is still hers.
    expect(await row(carla, 'Router').count()).toBe(1);

    await openManager(ana);
    const deleteVault = async (typed: string) => {
      await ana.getByRole('button', { name: 'Delete vault' }).click();
      await ana.getByTestId('confirm-dialog').locator('input[name=dialog-input]').fill(typed);
      await confirmDialog(ana, 'Delete vault');
    };
    await deleteVault('familia');
    await ana.getByRole('alert').filter({ hasText: 'nothing was deleted' }).waitFor();
    expect(await sharedRow(ana, 'Router').count()).toBe(1);
    await deleteVault('Familia');
    await eventually(async () => {
      expect(await sidebar(ana).getByRole('button', { name: 'Familia', exact: true }).count()).toBe(
        0,
      );
      expect(await sharedRow(ana, 'Router').count()).toBe(0);
    });
  });
});
