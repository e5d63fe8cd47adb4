// The inline menu under a focused login field: asks the worker whether there is anything to
// offer (a ticket naming the menu), then frames the extension's menu page next to the field,
// keeping it there as the page scrolls. What a click in it may do is decided elsewhere.
import type { PasswordRules } from './autofill-messages.ts';
import type { FieldGroup, FieldRole } from './detect-fields.ts';
import { isUsable } from './detect-fields.ts';
import type { Fieldish } from './field-text.ts';
import { createFrameHost, extensionUrl, type FrameHost } from './frame-host.ts';

const MENU_ROW = 46;
const MENU_HEADER = 34;

export interface MenuTicket {
  token: string;
  rows: number;
}

export interface OpenMenu {
  frame: FrameHost;
  token: string;
  field: Fieldish;
}

export function createInlineMenu(
  ask: (
    role: FieldRole,
    kind: FieldGroup['kind'],
    rules?: PasswordRules,
  ) => Promise<MenuTicket | null>,
) {
  let current: OpenMenu | null = null;

  function close() {
    current?.frame.remove();
    current = null;
  }

  function place() {
    if (!current) return;
    if (!isUsable(current.field)) return close();
    const r = current.field.getBoundingClientRect();
    const width = Math.min(Math.max(r.width, 280), innerWidth - 8);
    const height = Number(current.frame.host.dataset.height);
    const below = r.bottom + 4 + height <= innerHeight;
    current.frame.place({
      left: Math.max(4, Math.min(r.left, innerWidth - width - 4)),
      top: below ? r.bottom + 4 : Math.max(4, r.top - height - 4),
      width,
      height,
    });
  }

  async function open(el: Fieldish, role: FieldRole, group: FieldGroup, rules?: PasswordRules) {
    const typed = el.value;
    const ticket = await ask(role, group.kind, rules);
    // Not if the person moved on or started typing while the worker answered.
    if (!ticket?.token || (el.getRootNode() as Document | ShadowRoot).activeElement !== el) return;
    if (el.value !== typed) return;
    close();
    const frame = createFrameHost(
      `${extensionUrl('/inline-menu.html')}#${ticket.token}`,
      'Cofre',
      close,
      el,
    );
    const rows = Math.max(2, Math.min(ticket.rows, 4));
    frame.host.dataset.height = String(MENU_HEADER + rows * MENU_ROW + 8);
    current = { frame, token: ticket.token, field: el };
    place();
  }

  return {
    open,
    close,
    place,
    get current() {
      return current;
    },
  };
}
