// The sharing core in the built extension, in Chromium: two people, two browser profiles, one
// server. Everything through the worker's message API (the vault page's screens for it are issue
// 17): WebCrypto's Ed25519 and X25519 and HPKE in a real MV3 worker, a Dexie store per shared
// vault, the safety number the same in both browsers, a shared login from one to the other.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { eventually, onboard, openVault } from './cofre-pages.ts';
import { type LoadedExtension, launchExtension } from './extension.ts';

const PASSWORD = 'correct horse battery staple 42!';
let server: TestServer;
let a: LoadedExtension;
let b: LoadedExtension;

beforeAll(async () => {
  server = await startTestServer();
  [a, b] = await Promise.all([launchExtension(), launchExtension()]);
}, 60_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  await server?.close();
});

/** A worker message from an extension page; its data, or its error thrown. */
async function call<T>(page: Page, req: Record<string, unknown>): Promise<T> {
  const answer = (await page.evaluate(
    (m) =>
      (
        globalThis as unknown as {
          chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } };
        }
      ).chrome.runtime.sendMessage(m),
    req,
  )) as { ok: boolean; data?: T; error?: { code: string; message: string } };
  if (!answer.ok)
    throw Object.assign(new Error(answer.error!.message), { code: answer.error!.code });
  return answer.data as T;
}

describe('sharing core in Chromium', () => {
  it('should share a login between two browsers after both see the same safety number', async () => {
    const anaEmail = `ana-${Date.now()}@example.com`;
    const benEmail = `ben-${Date.now()}@example.com`;
    const [ana, ben] = await Promise.all([openVault(a), openVault(b)]);
    await onboard(ana, {
      mode: 'Create account',
      server: server.url,
      email: anaEmail,
      password: PASSWORD,
    });
    await onboard(ben, {
      mode: 'Create account',
      server: server.url,
      email: benEmail,
      password: PASSWORD,
    });

    const anaState = await eventually(async () => {
      const s = await call<{ identity: { userId: string } | null }>(ana, { type: 'sharingState' });
      expect(s.identity).not.toBeNull();
      return s;
    });
    const vault = await call<{ vaultId: string; role: string }>(ana, {
      type: 'createVault',
      name: 'Familia',
    });
    expect(vault.role).toBe('owner');
    const { id } = await call<{ id: string }>(ana, {
      type: 'inviteMember',
      vaultId: vault.vaultId,
      email: benEmail,
      role: 'editor',
    });
    const benState = await call<{ invitations: Array<{ id: string; inviter: { email: string } }> }>(
      ben,
      {
        type: 'sharingState',
      },
    );
    expect(benState.invitations).toEqual([
      expect.objectContaining({ id, inviter: expect.objectContaining({ email: anaEmail }) }),
    ]);
    await call(ben, { type: 'respondInvitation', id, accept: true });
    const members = await call<{ invitations: Array<{ id: string; safetyNumber: string | null }> }>(
      ana,
      {
        type: 'vaultMembers',
        vaultId: vault.vaultId,
      },
    );
    const shownToAna = members.invitations.find((i) => i.id === id)!.safetyNumber!;
    const shownToBen = (
      await call<{ safetyNumber: string }>(ben, {
        type: 'safetyNumber',
        userId: anaState.identity!.userId,
      })
    ).safetyNumber;
    expect(shownToAna).toMatch(/^\d{5}( \d{5}){11}$/);
    expect(shownToBen).toBe(shownToAna);
    await call(ana, {
      type: 'confirmMember',
      vaultId: vault.vaultId,
      invitationId: id,
      safetyNumber: shownToAna,
    });

    const { id: wifi } = await call<{ id: string }>(ana, {
      type: 'saveSharedItem',
      vaultId: vault.vaultId,
      id: null,
      body: {
        type: 'login',
        name: 'Wi-Fi',
        username: 'casa',
        password: 'shared-2026',
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
      },
    });
    await call(ana, { type: 'syncNow' });
    await eventually(async () => {
      await call(ben, { type: 'syncNow' });
      const { items } = await call<{ items: Array<{ id: string; body: { password?: string } }> }>(
        ben,
        {
          type: 'listSharedItems',
          vaultId: vault.vaultId,
        },
      );
      expect(items.find((i) => i.id === wifi)?.body.password).toBe('shared-2026');
    });
    const benVaults = await call<{ vaults: Array<{ name: string; role: string }> }>(ben, {
      type: 'sharingState',
    });
    expect(benVaults.vaults).toEqual([
      expect.objectContaining({ name: 'Familia', role: 'editor' }),
    ]);
  });
});
