// The worker's side of autofill. Content scripts are untrusted: they learn only whether the
// inline menu should open, and receive credentials only in a fill the worker starts after a
// person acted (a click in the menu, the popup's Fill, the keyboard command), addressed to the
// frame and document the login matches (`sender` says which; the message cannot).

import { getHostname } from 'tldts';
import { browser } from 'wxt/browser';
import { msg, said } from '../../shared/i18n-msg.ts';
import { totpCode } from '../../shared/model/totp.ts';
import {
  type ContentRequest,
  contentRequestSchema,
  type FillResult,
  type PasswordRules,
  type ToContent,
} from '../autofill/autofill-messages.ts';
import type { Responses } from '../messages.ts';
import { forgetSaves, noteSubmit, saveHandlers, settleSubmit } from './autofill-save.ts';
import {
  autofillError,
  type Handler,
  matchesFor,
  originOf,
  randomToken,
} from './autofill-shared.ts';
import {
  companionFrames,
  type WalletRole,
  walletAsk,
  walletEntries,
  walletValues,
} from './autofill-wallet.ts';
import { rememberGenerated } from './item-handlers.ts';
import {
  conditionalChoices,
  conditionalFor,
  provedInMenu,
  signFromMenu,
} from './passkey-handlers.ts';
import {
  type Frame,
  forgetFrames,
  framesOf,
  remember,
  type Sender,
  topUrlOf,
} from './tab-frames.ts';
import { currentVault, proveItIsYou, requireVault } from './worker-state.ts';

export type { Sender } from './tab-frames.ts';

interface MenuSession extends Frame {
  role: 'username' | 'password' | 'otp' | 'newPassword' | 'card' | 'identity';
  at: number;
  rules: PasswordRules | null;
  /** Drawn by the top frame for this subframe's field (its clicks are checked there). */
  remote?: boolean;
}

/** A subframe's menu on its way up the frame chain: the field's box in the reporter's frame. */
interface Locate {
  tabId: number;
  token: string;
  rows: number;
  rect: { left: number; top: number; width: number; height: number };
  at: number;
}
/** After this the subframe has drawn its menu itself; a late chain report is ignored. */
const LOCATE_MS = 1_200;
const locates = new Map<string, Locate>();

const MENU_TTL_MS = 10 * 60_000;
const MENU_MAX_ITEMS = 50;
const FILLABLE = new Set(['login', 'username-only', 'otp', 'change-password']);

const menus = new Map<string, MenuSession>();

export function forgetTab(tabId: number) {
  forgetFrames(tabId);
  forgetSaves(tabId);
  for (const [t, m] of menus) if (m.tabId === tabId) menus.delete(t);
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
  const body = v.itemEntry(itemId)?.body;
  if (body?.type !== 'login' || body.trashedAt)
    throw autofillError('NOT_FOUND', msg('That login no longer exists.'));
  const [match] = await matchesFor(v, frame, itemId);
  if (!match)
    throw autofillError(
      'NOT_FOR_THIS_SITE',
      said('This login is not saved for {site}.', { site: getHostname(frame.url) ?? frame.url }),
    );
  if (match.ask.length && !opts.confirmed)
    return {
      ask: match.ask,
      frameOrigin: originOf(frame.url),
      topOrigin: originOf(await topUrlOf(frame)),
    };
  const otp = body.totp ? totpCode(body.totp).code : null;
  const onlyOtp = opts.role === 'otp';
  const order: ToContent = {
    type: 'cofre:fill',
    source: opts.source,
    menuToken: opts.menuToken ?? null,
    username: onlyOtp ? null : body.username || null,
    password: onlyOtp ? null : body.password || null,
    otp,
  };
  return deliverFill(frame, order);
}

/**
 * Fills a card or identity into the menu's frame — and, for a card, the other frames of that
 * same origin in the tab (a provider's separate number / expiry / code iframes) — after what
 * must be asked was answered.
 */
async function fillWallet(
  menu: MenuSession,
  id: string,
  role: WalletRole,
  opts: { confirmed: boolean; menuToken: string },
): Promise<Responses['menuPick']> {
  const v = await requireVault();
  await v.current();
  const values = walletValues(v, id, role);
  if (!Object.keys(values).length)
    throw autofillError('NOT_FOUND', msg('That item no longer exists.'));
  const { ask, topOrigin } = await walletAsk(menu, role);
  const pending = ask.filter((a) => a === 'prove' || !opts.confirmed);
  if (pending.length) return { ask: pending, frameOrigin: originOf(menu.url), topOrigin };
  const result = await deliverFill(menu, {
    type: 'cofre:fill',
    source: 'menu',
    menuToken: opts.menuToken,
    username: null,
    password: null,
    otp: null,
    values,
  });
  if ('filled' in result && role === 'card') {
    for (const f of companionFrames(menu))
      await deliverFill(f, {
        type: 'cofre:fill',
        source: 'linked',
        menuToken: null,
        username: null,
        password: null,
        otp: null,
        values,
      }).catch(() => null);
  }
  return result;
}

/** Sends a fill to exactly that frame's document; a frame that navigated since gets nothing.
 * A fill from a menu the top frame drew asks the top frame first whether the click counts. */
async function deliverFill(frame: Frame, order: ToContent): Promise<FillResult> {
  const menuToken = order.type === 'cofre:fill' && order.source === 'menu' ? order.menuToken : null;
  if (menuToken && menus.get(menuToken)?.remote) {
    const answer = (await browser.tabs
      .sendMessage(frame.tabId, { type: 'cofre:menuSafe', token: menuToken } satisfies ToContent, {
        frameId: 0,
      })
      .catch(() => null)) as { reason?: string | null } | null;
    const reason = answer ? (answer.reason ?? null) : 'gone';
    if (reason) return { refused: reason };
  }
  const result = (await browser.tabs
    .sendMessage(frame.tabId, order, { frameId: frame.frameId, documentId: frame.documentId })
    .catch(() => null)) as FillResult | null;
  if (!result)
    throw autofillError('PAGE_CHANGED', msg('The page changed before it could be filled.'));
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
      const v = await currentVault();
      // Cards, identities and passkeys are read from item bodies (see current()).
      await v?.current();
      let rows = 1;
      if (req.role === 'card' || req.role === 'identity') {
        if (req.kind !== (req.role === 'card' ? 'card' : 'address')) return null;
        if (v) {
          rows = walletEntries(v, req.role).length;
          if (rows === 0) return null;
        }
      } else if (req.role === 'newPassword') {
        // A new password: offer a generated one (only while unlocked, to save it afterwards).
        if (!v || (req.kind !== 'signup' && req.kind !== 'change-password')) return null;
      } else if (!FILLABLE.has(req.kind)) {
        return null;
      } else if (v) {
        const matches = (await matchesFor(v, frame)).filter((m) => req.role !== 'otp' || m.hasTotp);
        // A site waiting for a passkey (conditional mediation) offers them on its username field.
        const conditional = req.role === 'username' ? conditionalFor(frame) : null;
        const passkeys = conditional ? conditionalChoices(v, conditional).length : 0;
        if (matches.length + passkeys === 0) return null;
        rows = matches.length + passkeys;
      }
      for (const [t, m] of menus)
        if (m.tabId === tabId || Date.now() - m.at > MENU_TTL_MS) menus.delete(t);
      const token = randomToken();
      menus.set(token, { ...frame, role: req.role, at: Date.now(), rules: req.rules ?? null });
      if (frame.frameId === 0 || !req.rect) return { token, rows };
      for (const [n, l] of locates) if (Date.now() - l.at > LOCATE_MS) locates.delete(n);
      const locate = randomToken();
      locates.set(locate, { tabId, token, rows, rect: req.rect, at: Date.now() });
      return { token, rows, locate };
    }
    case 'autofill:frameAt': {
      const hop = locates.get(req.nonce);
      locates.delete(req.nonce);
      const menu = hop && menus.get(hop.token);
      if (!hop || !menu || hop.tabId !== tabId || Date.now() - hop.at > LOCATE_MS) return null;
      const to = { frameId: menu.frameId, documentId: menu.documentId };
      if (!req.visible) {
        // Something covers the frame where the field is: no menu at all.
        menus.delete(hop.token);
        await browser.tabs
          .sendMessage(tabId, { type: 'cofre:closeMenu' } satisfies ToContent, to)
          .catch(() => {});
        return null;
      }
      const rect = {
        ...hop.rect,
        left: hop.rect.left + req.box.left,
        top: hop.rect.top + req.box.top,
      };
      if (s.frameId !== 0) {
        const next = randomToken();
        locates.set(next, { ...hop, rect });
        return { nonce: next };
      }
      menu.remote = true;
      await browser.tabs
        .sendMessage(
          tabId,
          {
            type: 'cofre:showMenu',
            token: hop.token,
            rows: hop.rows,
            rect,
            via: req.nonce,
          } satisfies ToContent,
          { frameId: 0, documentId: s.documentId },
        )
        .catch(() => {});
      await browser.tabs
        .sendMessage(tabId, { type: 'cofre:menuPlaced', token: hop.token } satisfies ToContent, to)
        .catch(() => {});
      return null;
    }
    case 'autofill:menuGone': {
      const menu = menus.get(req.token);
      if (!menu || menu.tabId !== tabId) return null;
      menus.delete(req.token);
      // The field's frame dropped it: the top frame closes its drawing; and the other way.
      const other =
        s.frameId === menu.frameId
          ? { frameId: 0 }
          : { frameId: menu.frameId, documentId: menu.documentId };
      if (menu.remote)
        await browser.tabs
          .sendMessage(tabId, { type: 'cofre:closeMenu' } satisfies ToContent, other)
          .catch(() => {});
      return null;
    }
    case 'autofill:forms':
      remember(s, tabId, { kinds: req.kinds, focusedAt: req.focusedAt });
      return null;
    case 'autofill:pageReady':
      remember(s, tabId, { kinds: req.kinds });
      await settleSubmit(tabId, s, { newPage: true, passwordStillThere: req.passwordVisible });
      return null;
    case 'autofill:outcome':
      await settleSubmit(tabId, s, { newPage: false, passwordStillThere: req.passwordStillThere });
      return null;
    case 'autofill:submitted':
      await noteSubmit(s, tabId, req);
      return null;
  }
}

// ---- requests from the extension's own pages (menu, prompt, popup) --------------------

function menuFor(token: string, sender: Sender): MenuSession {
  const menu = menus.get(token);
  // The menu page runs in an iframe of the same tab; a page that embeds it elsewhere gets nothing.
  if (!menu || menu.tabId !== sender.tab?.id || Date.now() - menu.at > MENU_TTL_MS)
    throw autofillError('MENU_EXPIRED', msg('This menu has expired. Click the field again.'));
  return menu;
}

export const autofillHandlers: { [K in keyof Responses]?: Handler<K> } = {
  ...saveHandlers,
  async menuItems({ token }, sender) {
    const menu = menuFor(token, sender);
    const v = await currentVault();
    await v?.current();
    const topUrl = await topUrlOf(menu);
    const wallet = menu.role === 'card' || menu.role === 'identity';
    const items = !v
      ? []
      : wallet
        ? walletEntries(v, menu.role as WalletRole)
        : menu.role !== 'newPassword'
          ? (await matchesFor(v, menu)).filter((m) => menu.role !== 'otp' || m.hasTotp)
          : [];
    if (wallet && items.length) {
      const { ask } = await walletAsk(menu, menu.role as WalletRole);
      for (const item of items) item.ask = ask.filter((a) => a !== 'prove') as typeof item.ask;
    }
    const conditional = v && menu.role === 'username' ? conditionalFor(menu) : null;
    return {
      locked: !v,
      passkeys: v && conditional ? conditionalChoices(v, conditional) : [],
      role: menu.role,
      rules: menu.rules,
      frameOrigin: originOf(menu.url),
      topOrigin: originOf(topUrl),
      // A menu is for choosing among a site's few logins; beyond this, search in the popup.
      items: items.slice(0, MENU_MAX_ITEMS),
      more: Math.max(0, items.length - MENU_MAX_ITEMS),
    };
  },

  async menuPick({ token, id, confirmed = false }, sender) {
    const menu = menuFor(token, sender);
    if (menu.role === 'card' || menu.role === 'identity') {
      const result = await fillWallet(menu, id, menu.role, { confirmed, menuToken: token });
      if ('filled' in result) menus.delete(token);
      return result;
    }
    const result = await fillInto(menu, id, {
      confirmed,
      source: 'menu',
      menuToken: token,
      role: menu.role,
    });
    if ('filled' in result) menus.delete(token);
    return result;
  },

  async menuPasskey({ token, credentialId, confirmed = false }, sender) {
    const menu = menuFor(token, sender);
    const result = await signFromMenu(menu, credentialId, confirmed);
    if ('signed' in result) {
      menus.delete(token);
      await closeMenu(menu);
    }
    return result;
  },

  async menuGenerate({ token, password }, sender) {
    const menu = menuFor(token, sender);
    if (menu.role !== 'newPassword')
      throw autofillError('BAD_REQUEST', msg('This field does not take a new password.'));
    const v = await requireVault();
    const result = await deliverFill(menu, {
      type: 'cofre:fill',
      source: 'menu',
      menuToken: token,
      username: null,
      password: null,
      otp: null,
      newPassword: password,
    });
    if ('filled' in result) {
      menus.delete(token);
      // Set on a site before any item holds it: the history is where it can be found again.
      await rememberGenerated(v, password, originOf(menu.url) || null, null).catch(() => {});
    }
    return result;
  },

  async menuProve({ token, password }, sender) {
    const menu = menuFor(token, sender);
    await proveItIsYou({ password });
    provedInMenu(menu);
    return {};
  },

  async menuClose({ token }, sender) {
    const menu = menuFor(token, sender);
    menus.delete(token);
    await closeMenu(menu);
    return {};
  },

  async fillTab({ tabId, id, confirmed = false }) {
    const frame = await frameToFill(tabId, id);
    if (!frame) throw autofillError('NO_FORM', msg('No login form was found on this page.'));
    return fillInto(frame, id, { confirmed, source: 'popup' });
  },
};

/** Closes the menu in the field's frame and, when the top frame drew it, there too. */
async function closeMenu(menu: MenuSession) {
  await browser.tabs
    .sendMessage(menu.tabId, { type: 'cofre:closeMenu' } satisfies ToContent, {
      frameId: menu.frameId,
      documentId: menu.documentId,
    })
    .catch(() => {});
  if (menu.remote)
    await browser.tabs
      .sendMessage(menu.tabId, { type: 'cofre:closeMenu' } satisfies ToContent, { frameId: 0 })
      .catch(() => {});
}

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
