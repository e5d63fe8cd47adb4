// The inline menu under a focused field: asks the worker whether there is anything to offer (a
// ticket naming the menu), then frames the extension's menu page next to the field, keeping it
// there as the page scrolls. What a click in it may do is decided elsewhere.
//
// In a subframe the menu is not drawn in the field's own frame — an outer frame would cut it
// off, and a payment provider's frame is often no taller than its field. The ticket carries a
// locate nonce; the frame chain reports where the field is (autofill-frame.ts), and the top
// frame draws the menu there (`host`). If the chain does not answer in time (a parent with no
// content script), the menu is drawn locally, where the visibility defence still applies.
import type { PasswordRules } from './autofill-messages.ts';
import type { FieldGroup, FieldRole } from './detect-fields.ts';
import { isUsable } from './detect-fields.ts';
import type { Fieldish } from './field-text.ts';
import { createFrameHost, extensionUrl, type FrameHost } from './frame-host.ts';

const MENU_ROW = 46;
const MENU_HEADER = 34;
/** How long a subframe waits for the top frame to draw its menu before drawing it itself. */
const REMOTE_WAIT_MS = 1_500;

export interface MenuTicket {
  token: string;
  rows: number;
  /** A subframe's menu: the nonce its parent frame reports the frame's position with. */
  locate?: string;
}

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface OpenMenu {
  /** Null while (or when) the top frame draws this menu. */
  frame: FrameHost | null;
  token: string;
  field: Fieldish;
}

export interface InlineMenuHooks {
  ask(
    role: FieldRole,
    kind: FieldGroup['kind'],
    rules: PasswordRules | undefined,
    rect: Box,
  ): Promise<MenuTicket | null>;
  /** Starts the frame chain's report of where this subframe is (see autofill-frame.ts). */
  locate(nonce: string, field: Fieldish): void;
  /** A menu the top frame draws for this frame was closed here: it should go too. */
  dropped(token: string): void;
  /** The menu this (top) frame drew for a subframe went away: that frame should know. */
  hostedGone(token: string): void;
}

const heightFor = (rows: number) => MENU_HEADER + Math.max(2, Math.min(rows, 4)) * MENU_ROW + 8;

/** Where a menu of `height` goes for a field at `r` (below it, or above when no room). */
function boxNear(r: Box, height: number): Box {
  const width = Math.min(Math.max(r.width, 280), innerWidth - 8);
  const below = r.top + r.height + 4 + height <= innerHeight;
  return {
    left: Math.max(4, Math.min(r.left, innerWidth - width - 4)),
    top: below ? r.top + r.height + 4 : Math.max(4, r.top - height - 4),
    width,
    height,
  };
}

const frameFor = (token: string, onTampered: () => void, anchor?: Element) =>
  createFrameHost(`${extensionUrl('/inline-menu.html')}#${token}`, 'Cofre', onTampered, anchor);

export function createInlineMenu(hooks: InlineMenuHooks) {
  let current: OpenMenu | null = null;
  let fallback: ReturnType<typeof setTimeout> | undefined;
  /** In the top frame: a menu drawn for a field of a subframe. */
  let hosted: { frame: FrameHost; token: string } | null = null;

  /** Closes this frame's menu; a menu the top frame draws for it is dropped there too. */
  function close(notify = true) {
    clearTimeout(fallback);
    if (current && !current.frame && notify) hooks.dropped(current.token);
    current?.frame?.remove();
    current = null;
  }

  function closeHosted(notify = true) {
    if (!hosted) return;
    const { token } = hosted;
    hosted.frame.remove();
    hosted = null;
    if (notify) hooks.hostedGone(token);
  }

  function place() {
    if (!current) return;
    if (!isUsable(current.field)) return close();
    if (!current.frame) return;
    const height = Number(current.frame.host.dataset.height);
    current.frame.place(boxNear(current.field.getBoundingClientRect(), height));
  }

  function drawHere(menu: OpenMenu, rows: number) {
    const frame = frameFor(menu.token, () => close(), menu.field);
    frame.host.dataset.height = String(heightFor(rows));
    menu.frame = frame;
    place();
  }

  async function open(el: Fieldish, role: FieldRole, group: FieldGroup, rules?: PasswordRules) {
    const typed = el.value;
    const r = el.getBoundingClientRect();
    const ticket = await hooks.ask(role, group.kind, rules, {
      left: r.left,
      top: r.top,
      width: r.width,
      height: r.height,
    });
    // Not if the person moved on or started typing while the worker answered.
    if (!ticket?.token || (el.getRootNode() as Document | ShadowRoot).activeElement !== el) return;
    if (el.value !== typed) return;
    close();
    const menu: OpenMenu = { frame: null, token: ticket.token, field: el };
    current = menu;
    if (!ticket.locate) return drawHere(menu, ticket.rows);
    hooks.locate(ticket.locate, el);
    fallback = setTimeout(() => {
      if (current === menu && !menu.frame) drawHere(menu, ticket.rows);
    }, REMOTE_WAIT_MS);
  }

  return {
    open,
    close,
    place,
    /** The top frame has drawn this frame's menu: no local one is needed. */
    placedRemotely(token: string) {
      if (current?.token === token) clearTimeout(fallback);
    },
    /** In the top frame: draws a subframe's menu next to its field (`rect`, top viewport). */
    host(token: string, rows: number, rect: Box, anchor?: Element) {
      closeHosted();
      close();
      const frame = frameFor(token, () => closeHosted(), anchor);
      hosted = { frame, token };
      frame.place(boxNear(rect, heightFor(rows)));
    },
    closeHosted,
    /** Why a click in the hosted menu must not count now (null: it may). */
    hostedRefusal(token: string): string | null {
      return hosted?.token === token ? hosted.frame.refusalReason() : 'no-menu';
    },
    get hosted() {
      return hosted;
    },
    get current() {
      return current;
    },
  };
}
