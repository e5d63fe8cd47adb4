// The save side of autofill: after a person submits a form, remember what was submitted; when
// the submit looks successful (a new page without a password field, or the field went away),
// offer to save or update through the prompt framed in the page — never what is already saved,
// never after a failed login, never for a site on the "never" list.

import { getHostname } from 'tldts';
import { browser } from 'wxt/browser';
import { msg } from '../../shared/i18n-msg.ts';
import type { RecordBody } from '../../shared/model/item.ts';
import type { ContentRequest, ToContent } from '../autofill/autofill-messages.ts';
import { decideSave, type SaveOffer } from '../autofill/decide-save.ts';
import { registrableDomain } from '../autofill/match-logins.ts';
import type { Responses } from '../messages.ts';
import {
  autofillError,
  type Handler,
  matchesFor,
  originOf,
  randomToken,
} from './autofill-shared.ts';
import { itemHandlers } from './item-handlers.ts';
import { openLocal, sealLocal } from './keys.ts';
import { loadAccount } from './storage.ts';
import { type Frame, remember, type Sender } from './tab-frames.ts';
import type { VaultSession } from './vault-session.ts';
import { currentVault, requireVault } from './worker-state.ts';

const SAVE_TTL_MS = 2 * 60_000;

interface PendingSave extends Frame {
  offer: Exclude<SaveOffer, { kind: 'none' }>;
  token: string;
  at: number;
  shown: boolean;
}

const pendingSaves = new Map<number, PendingSave>();
/**
 * A submit being weighed, per tab. The next page can come up before the decision is made (it
 * waits on the vault); settling waits for it, or a quick site would never get its prompt.
 */
const deciding = new Map<number, Promise<void>>();
const lastUsername = new Map<number, { domain: string | null; username: string; at: number }>();

export function forgetSaves(tabId: number) {
  pendingSaves.delete(tabId);
  lastUsername.delete(tabId);
}

/** A page (or frame) came up, or a submitted form was watched: did the submit succeed? */
export async function settleSubmit(
  tabId: number,
  s: Sender & { frameId: number },
  how: { newPage: boolean; passwordStillThere: boolean },
) {
  await deciding.get(tabId)?.catch(() => {});
  const pending = pendingSaves.get(tabId);
  if (!pending || pending.shown) return;
  if (how.newPage ? pending.frameId !== s.frameId : pending.documentId !== s.documentId) return;
  if (how.passwordStillThere) pendingSaves.delete(tabId);
  else await offerSave(pending);
}

export function noteSubmit(
  s: Sender & { frameId: number; url: string },
  tabId: number,
  req: Extract<ContentRequest, { type: 'autofill:submitted' }>,
): Promise<void> {
  const decision = (deciding.get(tabId) ?? Promise.resolve())
    .catch(() => {})
    .then(() => decideSubmit(s, tabId, req))
    .finally(() => {
      if (deciding.get(tabId) === decision) deciding.delete(tabId);
    });
  deciding.set(tabId, decision);
  return decision;
}

async function decideSubmit(
  s: Sender & { frameId: number; url: string },
  tabId: number,
  req: Extract<ContentRequest, { type: 'autofill:submitted' }>,
) {
  const v = await currentVault();
  if (!v || req.kind === 'otp' || req.kind === 'card' || req.kind === 'address') return;
  const domain = registrableDomain(s.url);
  if (req.kind === 'username-only' || (!req.password && !req.newPassword)) {
    if (req.username) lastUsername.set(tabId, { domain, username: req.username, at: Date.now() });
    return;
  }
  let username = req.username;
  const earlier = lastUsername.get(tabId);
  if (!username && earlier && earlier.domain === domain && Date.now() - earlier.at < 10 * 60_000)
    username = earlier.username;
  const frame = remember(s, tabId, {});
  await v.current();
  const saved = [];
  for (const m of await matchesFor(v, frame)) {
    const body = v.itemEntry(m.id)?.body;
    if (body?.type === 'login')
      saved.push({ id: m.id, name: m.name, username: body.username, password: body.password });
  }
  const never = domain !== null && (await neverList(v)).includes(domain);
  const offer = decideSave(
    saved,
    { kind: req.kind, username, password: req.password, newPassword: req.newPassword },
    never,
  );
  if (offer.kind === 'none') {
    pendingSaves.delete(tabId);
    return;
  }
  pendingSaves.set(tabId, { ...frame, offer, token: randomToken(), at: Date.now(), shown: false });
}

async function offerSave(pending: PendingSave) {
  if (Date.now() - pending.at > SAVE_TTL_MS) {
    pendingSaves.delete(pending.tabId);
    return;
  }
  pending.shown = true;
  await browser.tabs
    .sendMessage(
      pending.tabId,
      { type: 'cofre:showPrompt', token: pending.token } satisfies ToContent,
      {
        frameId: 0,
      },
    )
    .catch(() => {});
}

// ---- "never for this site", sealed with the account key: no list of sites on disk ------

async function neverList(v: VaultSession): Promise<string[]> {
  const account = await loadAccount();
  const { neverSave } = await browser.storage.local.get('neverSave');
  if (!account || typeof neverSave !== 'string') return [];
  try {
    const list = JSON.parse(
      await openLocal(v.accountKey, account.deviceId, 'never-save', neverSave),
    );
    return Array.isArray(list) ? list.filter((d): d is string => typeof d === 'string') : [];
  } catch {
    return [];
  }
}

async function saveNeverList(v: VaultSession, list: string[]) {
  const account = await loadAccount();
  if (!account) return;
  const neverSave = await sealLocal(
    v.accountKey,
    account.deviceId,
    'never-save',
    JSON.stringify(list),
  );
  await browser.storage.local.set({ neverSave });
}

function promptFor(token: string, sender: Sender): PendingSave {
  const tabId = sender.tab?.id;
  const pending = tabId === undefined ? undefined : pendingSaves.get(tabId);
  if (!pending || pending.token !== token)
    throw autofillError('PROMPT_EXPIRED', msg('This prompt has expired.'));
  return pending;
}

const siteName = (url: string) => (getHostname(url) ?? url).replace(/^www\./, '');

export const saveHandlers: { [K in keyof Responses]?: Handler<K> } = {
  async promptInfo({ token }, sender) {
    const p = promptFor(token, sender);
    return {
      kind: p.offer.kind,
      site: siteName(p.url),
      username: p.offer.username,
      itemName: p.offer.kind === 'update' ? p.offer.name : null,
    };
  },

  async promptAnswer({ token, answer }, sender) {
    const p = promptFor(token, sender);
    pendingSaves.delete(p.tabId);
    const v = await requireVault();
    await v.current();
    if (answer === 'save' && p.offer.kind === 'save') {
      await itemHandlers.saveItem!({
        type: 'saveItem',
        id: null,
        body: {
          type: 'login',
          name: siteName(p.url),
          username: p.offer.username,
          password: p.offer.password,
          uris: [{ uri: originOf(p.url), match: 'domain' }],
        },
      });
    } else if (answer === 'save' && p.offer.kind === 'update') {
      const body = v.itemEntry(p.offer.id)?.body as RecordBody | undefined;
      if (body?.type !== 'login')
        throw autofillError('NOT_FOUND', msg('That login no longer exists.'));
      await itemHandlers.saveItem!({
        type: 'saveItem',
        id: p.offer.id,
        body: { ...body, password: p.offer.password },
      });
    } else if (answer === 'never') {
      const domain = registrableDomain(p.url);
      if (domain) await saveNeverList(v, [...new Set([...(await neverList(v)), domain])]);
    }
    await browser.tabs
      .sendMessage(p.tabId, { type: 'cofre:closePrompt' } satisfies ToContent, { frameId: 0 })
      .catch(() => {});
    return {};
  },

  async neverSaveSites() {
    return neverList(await requireVault());
  },

  async removeNeverSave({ domain }) {
    const v = await requireVault();
    await saveNeverList(
      v,
      (await neverList(v)).filter((d) => d !== domain),
    );
    return neverList(v);
  },
};
