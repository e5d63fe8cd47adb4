// The worker's side of autofill. Content scripts are untrusted: they learn only whether the
// inline menu should open, and receive credentials only in a fill the worker starts after a
// person acted (a click in the menu, the popup's Fill, the keyboard command), addressed to the
// frame and document the login matches (`sender` says which; the message cannot).
import { getHostname } from 'tldts';
import { browser } from 'wxt/browser';
import type { RecordBody } from '../../shared/model/item.ts';
import { totpCode } from '../../shared/model/totp.ts';
import {
  type ContentRequest,
  contentRequestSchema,
  type FillResult,
  type ToContent,
} from '../autofill/autofill-messages.ts';
import { decideSave, type SaveOffer } from '../autofill/decide-save.ts';
import {
  equivalentDomains,
  type LoginCandidate,
  type LoginMatch,
  matchLogins,
  registrableDomain,
} from '../autofill/match-logins.ts';
import type { RequestOf, Responses } from '../messages.ts';
import { itemHandlers } from './item-handlers.ts';
import { openLocal, sealLocal } from './keys.ts';
import { loadAccount, loadSettings } from './storage.ts';
import {
  type Frame,
  forgetFrames,
  framesOf,
  remember,
  type Sender,
  topUrlOf,
} from './tab-frames.ts';
import type { VaultSession } from './vault-session.ts';
import { currentVault, requireVault } from './worker-state.ts';

export type { Sender } from './tab-frames.ts';

interface MenuSession extends Frame {
  role: 'username' | 'password' | 'otp';
  at: number;
}

interface PendingSave extends Frame {
  offer: Exclude<SaveOffer, { kind: 'none' }>;
  token: string;
  at: number;
  shown: boolean;
}

const MENU_TTL_MS = 10 * 60_000;
const SAVE_TTL_MS = 2 * 60_000;
const FILLABLE = new Set(['login', 'username-only', 'otp', 'change-password']);

const menus = new Map<string, MenuSession>();
const pendingSaves = new Map<number, PendingSave>();
const lastUsername = new Map<number, { domain: string | null; username: string; at: number }>();

const randomToken = () => crypto.randomUUID().replaceAll('-', '');
const autofillError = (code: string, message: string) =>
  Object.assign(new Error(message), { code });
const originOf = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
};

export function forgetTab(tabId: number) {
  forgetFrames(tabId);
  pendingSaves.delete(tabId);
  lastUsername.delete(tabId);
  for (const [t, m] of menus) if (m.tabId === tabId) menus.delete(t);
}

function loginsOf(v: VaultSession): LoginCandidate[] {
  const out: LoginCandidate[] = [];
  for (const [id, { body }] of v.index.entries) {
    if (body.type !== 'login' || body.trashedAt) continue;
    out.push({
      id,
      name: body.name,
      username: body.username,
      uris: body.uris,
      hasTotp: !!body.totp,
    });
  }
  return out;
}

async function matchesFor(v: VaultSession, frame: Frame, only?: string): Promise<LoginMatch[]> {
  const logins = loginsOf(v).filter((l) => !only || l.id === only);
  const eq = equivalentDomains((await loadSettings()).equivalentDomains);
  return matchLogins(logins, { url: frame.url, topUrl: await topUrlOf(frame) }, eq);
}

/** Sends the login to the frame's document — only if it matches that frame and was confirmed. */
async function fillInto(
  frame: Frame,
  itemId: string,
  opts: {
    confirmed: boolean;
    source: 'menu' | 'popup' | 'command';
    menuToken?: string;
    role?: string;
  },
): Promise<Responses['menuPick']> {
  const v = await requireVault();
  await v.current();
  const body = v.index.entries.get(itemId)?.body;
  if (body?.type !== 'login' || body.trashedAt)
    throw autofillError('NOT_FOUND', 'That login no longer exists.');
  const [match] = await matchesFor(v, frame, itemId);
  if (!match)
    throw autofillError(
      'NOT_FOR_THIS_SITE',
      `This login is not saved for ${getHostname(frame.url) ?? 'this page'}.`,
    );
  if (match.ask.length && !opts.confirmed)
    return {
      ask: match.ask,
      frameOrigin: originOf(frame.url),
      topOrigin: originOf(await topUrlOf(frame)),
    };
  const otp = body.totp ? totpCode(body.totp).code : null;
  const onlyOtp = opts.role === 'otp';
  const msg: ToContent = {
    type: 'cofre:fill',
    source: opts.source,
    menuToken: opts.menuToken ?? null,
    username: onlyOtp ? null : body.username || null,
    password: onlyOtp ? null : body.password || null,
    otp,
  };
  const result = (await browser.tabs
    .sendMessage(frame.tabId, msg, { frameId: frame.frameId, documentId: frame.documentId })
    .catch(() => null)) as FillResult | null;
  if (!result) throw autofillError('PAGE_CHANGED', 'The page changed before it could be filled.');
  return result;
}

// ---- requests from content scripts -----------------------------------------------------

export async function handleContentRequest(raw: unknown, sender: Sender): Promise<unknown> {
  const parsed = contentRequestSchema.safeParse(raw);
  const tabId = sender.tab?.id;
  if (!parsed.success || tabId === undefined || sender.frameId === undefined || !sender.url)
    return null;
  if (!/^https?:/.test(sender.url)) return null;
  const s = { ...sender, frameId: sender.frameId, url: sender.url };
  const req: ContentRequest = parsed.data;
  switch (req.type) {
    case 'autofill:focus': {
      const frame = remember(s, tabId, { focusedAt: Date.now() });
      if (!FILLABLE.has(req.kind) || req.role === 'newPassword') return null;
      const v = await currentVault();
      let rows = 1;
      if (v) {
        const matches = (await matchesFor(v, frame)).filter((m) => req.role !== 'otp' || m.hasTotp);
        if (matches.length === 0) return null;
        rows = matches.length;
      }
      for (const [t, m] of menus)
        if (m.tabId === tabId || Date.now() - m.at > MENU_TTL_MS) menus.delete(t);
      const token = randomToken();
      menus.set(token, { ...frame, role: req.role, at: Date.now() });
      return { token, rows };
    }
    case 'autofill:forms':
      remember(s, tabId, { kinds: req.kinds, focusedAt: req.focusedAt });
      return null;
    case 'autofill:pageReady': {
      remember(s, tabId, { kinds: req.kinds });
      const pending = pendingSaves.get(tabId);
      if (pending && !pending.shown && pending.frameId === s.frameId) {
        if (req.passwordVisible) pendingSaves.delete(tabId);
        else await offerSave(pending);
      }
      return null;
    }
    case 'autofill:outcome': {
      const pending = pendingSaves.get(tabId);
      if (!pending || pending.shown || pending.documentId !== s.documentId) return null;
      if (req.passwordStillThere) pendingSaves.delete(tabId);
      else await offerSave(pending);
      return null;
    }
    case 'autofill:submitted':
      await noteSubmit(s, tabId, req);
      return null;
  }
}

async function noteSubmit(
  s: Sender & { frameId: number; url: string },
  tabId: number,
  req: Extract<ContentRequest, { type: 'autofill:submitted' }>,
) {
  const v = await currentVault();
  if (!v) return;
  const domain = registrableDomain(s.url);
  if (req.kind === 'username-only' || (!req.password && !req.newPassword)) {
    if (req.username) lastUsername.set(tabId, { domain, username: req.username, at: Date.now() });
    return;
  }
  if (req.kind === 'otp') return;
  let username = req.username;
  const earlier = lastUsername.get(tabId);
  if (!username && earlier && earlier.domain === domain && Date.now() - earlier.at < 10 * 60_000)
    username = earlier.username;
  const frame = remember(s, tabId, {});
  await v.current();
  const saved = [];
  for (const m of await matchesFor(v, frame)) {
    const body = v.index.entries.get(m.id)?.body;
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

// ---- requests from the extension's own pages (menu, prompt, popup) --------------------

type Handler<T extends keyof Responses> = (
  req: RequestOf<T>,
  sender: Sender,
) => Promise<Responses[T]>;

function menuFor(token: string, sender: Sender): MenuSession {
  const menu = menus.get(token);
  // The menu page runs in an iframe of the same tab; a page that embeds it elsewhere gets nothing.
  if (!menu || menu.tabId !== sender.tab?.id || Date.now() - menu.at > MENU_TTL_MS)
    throw autofillError('MENU_EXPIRED', 'This menu has expired. Click the field again.');
  return menu;
}

function promptFor(token: string, sender: Sender): PendingSave {
  const tabId = sender.tab?.id;
  const pending = tabId === undefined ? undefined : pendingSaves.get(tabId);
  if (!pending || pending.token !== token)
    throw autofillError('PROMPT_EXPIRED', 'This prompt has expired.');
  return pending;
}

const siteName = (url: string) => (getHostname(url) ?? url).replace(/^www\./, '');

export const autofillHandlers: { [K in keyof Responses]?: Handler<K> } = {
  async menuItems({ token }, sender) {
    const menu = menuFor(token, sender);
    const v = await currentVault();
    const topUrl = await topUrlOf(menu);
    const items = v
      ? (await matchesFor(v, menu)).filter((m) => menu.role !== 'otp' || m.hasTotp)
      : [];
    return {
      locked: !v,
      role: menu.role,
      frameOrigin: originOf(menu.url),
      topOrigin: originOf(topUrl),
      items,
    };
  },

  async menuPick({ token, id, confirmed = false }, sender) {
    const menu = menuFor(token, sender);
    const result = await fillInto(menu, id, {
      confirmed,
      source: 'menu',
      menuToken: token,
      role: menu.role,
    });
    if ('filled' in result) menus.delete(token);
    return result;
  },

  async menuClose({ token }, sender) {
    const menu = menuFor(token, sender);
    menus.delete(token);
    await browser.tabs
      .sendMessage(menu.tabId, { type: 'cofre:closeMenu' } satisfies ToContent, {
        frameId: menu.frameId,
        documentId: menu.documentId,
      })
      .catch(() => {});
    return {};
  },

  async fillTab({ tabId, id, confirmed = false }) {
    const frame = await frameToFill(tabId, id);
    if (!frame) throw autofillError('NO_FORM', 'No login form was found on this page.');
    return fillInto(frame, id, { confirmed, source: 'popup' });
  },

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
      const body = v.index.entries.get(p.offer.id)?.body as RecordBody | undefined;
      if (body?.type !== 'login') throw autofillError('NOT_FOUND', 'That login no longer exists.');
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

/** The frame the popup's Fill or the keyboard command should fill: focused first, top next. */
async function frameToFill(tabId: number, itemId?: string): Promise<Frame | null> {
  if (!framesOf(tabId).length) {
    await browser.tabs
      .sendMessage(tabId, { type: 'cofre:announce' } satisfies ToContent)
      .catch(() => {});
    await new Promise((r) => setTimeout(r, 250));
  }
  const candidates = framesOf(tabId)
    .filter((f) => f.kinds.some((k) => FILLABLE.has(k)))
    .sort((a, b) => (b.focusedAt ?? 0) - (a.focusedAt ?? 0) || a.frameId - b.frameId);
  if (!itemId) return candidates[0] ?? null;
  const v = await requireVault();
  for (const f of candidates) if ((await matchesFor(v, f, itemId)).length) return f;
  return null;
}

/** The keyboard command: fill the one login for the focused form, or open the menu to choose. */
export async function fillFromCommand() {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  if (tab?.id === undefined) return;
  const v = await currentVault();
  const frame = await frameToFill(tab.id);
  if (!frame) return;
  const matches = v ? await matchesFor(v, frame) : [];
  if (matches.length === 1 && matches[0]!.ask.length === 0) {
    await fillInto(frame, matches[0]!.id, { confirmed: false, source: 'command' });
    return;
  }
  await browser.tabs
    .sendMessage(tab.id, { type: 'cofre:openMenu' } satisfies ToContent, {
      frameId: frame.frameId,
      documentId: frame.documentId,
    })
    .catch(() => {});
}
