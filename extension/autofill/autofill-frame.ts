// The autofill content script's work in one frame: find fillable forms (once, then only what
// mutations add), open the inline menu when a person focuses a field, fill what the worker
// sends, and report submits so the worker can offer to save. It never reads the vault itself.
//
// The menu opens only for a person: a trusted focus that follows their click on the field or
// their Tab key (a page's script can call focus() and get a trusted event too), or a click on a
// field that already had focus; and only when the field itself is visible and nothing covers
// it — checked when the menu opens and again when a choice in it is to be filled.
import { browser } from 'wxt/browser';
import type {
  ContentRequest,
  FilledPart,
  FillResult,
  PasswordRules,
  ToContent,
} from './autofill-messages.ts';
import {
  containerOf,
  detectGroups,
  type FieldGroup,
  isUsable,
  roleIn,
  shadowHosts,
} from './detect-fields.ts';
import type { AutofillToken } from './detect-payment.ts';
import type { Fieldish } from './field-text.ts';
import { flatContains, isUnobstructed, shadowRootOf, topmostIs } from './field-visibility.ts';
import { fillField } from './fill-field.ts';
import { fillToken } from './fill-values.ts';
import { createFrameHost, extensionUrl, type FrameHost } from './frame-host.ts';
import { createInlineMenu, type MenuTicket } from './inline-menu.ts';
import { toContentSchema } from './to-content.ts';
import { watchSubmits } from './watch-submit.ts';

/** Counters the benchmark reads through the isolated world (the page cannot see them). */
export interface AutofillStats {
  scans: number;
  elementsAdded: number;
  scanMs: number;
  firstScanMs: number;
  groups: number;
}

export function startAutofillFrame() {
  const stats: AutofillStats = { scans: 0, elementsAdded: 0, scanMs: 0, firstScanMs: 0, groups: 0 };
  (globalThis as { __cofreAutofill?: AutofillStats }).__cofreAutofill = stats;
  const isTop = window === window.top;

  const inputs = new Set<Fieldish>();
  let groups: FieldGroup[] = [];
  const observed = new WeakSet<Node>();
  /** The document and every shadow root watched: where this frame's iframes can be. */
  const roots = new Set<Document | ShadowRoot>();
  let lastFocused: { el: Fieldish; at: number } | null = null;
  /** A person's last pointer press and key press (trusted events), to tell them from scripts. */
  let lastPointer: { target: EventTarget | null; at: number } | null = null;
  let lastTab = Number.NEGATIVE_INFINITY;
  let prompt: FrameHost | null = null;
  /** Our own fill moves focus between fields (synchronously): that must not open the menu. */
  let filling = false;

  const send = (msg: ContentRequest) =>
    browser.runtime.sendMessage(msg).catch(() => null) as Promise<unknown>;

  // ---- detection -------------------------------------------------------------------------
  /** The inputs under `root`, and under every open shadow root beneath it (one walk each). */
  function addRoot(root: ParentNode) {
    for (const el of root.querySelectorAll<Fieldish>('input, select')) inputs.add(el);
    for (const host of shadowHosts(root)) {
      const shadow = shadowRootOf(host)!;
      observe(shadow);
      addRoot(shadow);
    }
  }
  function regroup() {
    const t0 = performance.now();
    for (const el of inputs) if (!el.isConnected) inputs.delete(el);
    groups = detectGroups(inputs);
    stats.scans++;
    stats.groups = groups.length;
    stats.scanMs += performance.now() - t0;
  }
  let pendingRegroup: ReturnType<typeof setTimeout> | undefined;
  const scheduleRegroup = () => {
    clearTimeout(pendingRegroup);
    pendingRegroup = setTimeout(() => {
      const had = groups.map((g) => g.kind).join();
      regroup();
      if (groups.map((g) => g.kind).join() !== had) announce();
    }, 60);
  };

  const mutations = new MutationObserver((records) => {
    let touched = false;
    for (const r of records) {
      if (r.type === 'attributes') {
        touched ||= r.target instanceof HTMLInputElement || inputs.size > 0;
        continue;
      }
      for (const node of r.addedNodes) {
        if (!(node instanceof Element)) continue;
        stats.elementsAdded++;
        if (node instanceof HTMLInputElement || node instanceof HTMLSelectElement) {
          inputs.add(node);
          touched = true;
        } else if (node.firstElementChild || shadowRootOf(node)) {
          const before = inputs.size;
          addRoot(node);
          touched ||= inputs.size !== before;
        }
      }
      for (const node of r.removedNodes) touched ||= node instanceof Element && inputs.size > 0;
    }
    if (touched) scheduleRegroup();
  });
  function observe(root: Document | ShadowRoot) {
    if (observed.has(root)) return;
    observed.add(root);
    roots.add(root);
    mutations.observe(root, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['type', 'autocomplete', 'hidden', 'style', 'class', 'aria-hidden', 'open'],
    });
  }

  const groupOf = (el: Fieldish) => groups.find((g) => roleIn(g, el));
  const LOGINISH = new Set(['login', 'signup', 'change-password', 'username-only', 'otp']);
  const groupFor = (el: Element): FieldGroup | null => {
    if (el instanceof HTMLInputElement && groupOf(el)) return groupOf(el)!;
    const container = containerOf(el);
    return groups.find((g) => g.container === container && LOGINISH.has(g.kind)) ?? null;
  };

  function announce() {
    void send({
      type: 'autofill:pageReady',
      kinds: groups.map((g) => g.kind),
      passwordVisible: groups.some((g) => (g.password ?? g.newPassword) !== null),
    });
  }

  // ---- the inline menu -------------------------------------------------------------------
  const inline = createInlineMenu({
    ask: (role, kind, rules, rect) =>
      send({
        type: 'autofill:focus',
        role,
        kind,
        ...(rules ? { rules } : {}),
        rect,
      }) as Promise<MenuTicket | null>,
    locate(nonce, field) {
      const r = field.getBoundingClientRect();
      postLocate(nonce, r.left + Math.min(r.width / 2, 24), r.top + r.height / 2);
    },
    dropped: (token) => void send({ type: 'autofill:menuGone', token }),
    hostedGone: (token) => void send({ type: 'autofill:menuGone', token }),
  });
  const closeMenu = () => inline.close();
  const placeMenu = inline.place;
  const openMenu = inline.open;

  const PERSON_MS = 1_000;
  /** Did a person just press on this field (or its label, or the component around it)? */
  function pointedAt(el: Fieldish): boolean {
    if (!lastPointer || performance.now() - lastPointer.at > PERSON_MS) return false;
    const t = lastPointer.target;
    if (!(t instanceof Element)) return false;
    if (flatContains(t, el) || flatContains(el, t)) return true;
    for (const l of el.labels ?? []) if (flatContains(l, t)) return true;
    // Inside the same design-system component (its host holds both).
    const root = el.getRootNode();
    return root instanceof ShadowRoot && flatContains(root.host, t);
  }
  const byPerson = (el: Fieldish) => pointedAt(el) || performance.now() - lastTab <= PERSON_MS;

  /** Opens the menu for `el` once it is visible and unobstructed (design-system fields fade
   * in after focus: they are looked at again for a moment while they keep the focus). */
  let retry: ReturnType<typeof setTimeout> | undefined;
  function offerMenu(el: Fieldish, attempt = 0) {
    clearTimeout(retry);
    if (!inputs.has(el)) addRoot(el.getRootNode() as Document | ShadowRoot);
    regroup(); // cheap (a handful of inputs) and sees fields a page just made visible
    const focused = (el.getRootNode() as Document | ShadowRoot).activeElement === el;
    if (!focused) return;
    const group = groupOf(el);
    const role = group && roleIn(group, el);
    const seen = isUsable(el) && isUnobstructed(el);
    if (!group || !role || !seen) {
      // Not (yet) visible: a field fading or sliding in is looked at again, for about 2 s.
      if (!seen && attempt < 12)
        retry = setTimeout(() => offerMenu(el, attempt + 1), 100 + attempt * 50);
      else closeMenu();
      return;
    }
    lastFocused = { el, at: Date.now() };
    void openMenu(el, role, group, role === 'newPassword' ? rulesOf(el) : undefined);
  }

  /** What the page says a new password must be (passwordrules, minlength, maxlength, pattern). */
  function rulesOf(el: Fieldish): PasswordRules | undefined {
    if (!(el instanceof HTMLInputElement)) return undefined;
    const rules: PasswordRules = {};
    const pr = el.getAttribute('passwordrules');
    if (pr) rules.passwordrules = pr.slice(0, 1_000);
    if (el.minLength > 0) rules.minLength = Math.min(el.minLength, 1_000);
    if (el.maxLength > 0) rules.maxLength = Math.min(el.maxLength, 1_000);
    if (el.pattern) rules.pattern = el.pattern.slice(0, 1_000);
    return Object.keys(rules).length ? rules : undefined;
  }

  function onFocus(e: FocusEvent) {
    // The focused field itself, also inside closed shadow roots (events see only their host).
    const el = deepestActive(e.composedPath()[0]);
    if (!e.isTrusted || !(el instanceof HTMLInputElement || el instanceof HTMLSelectElement))
      return;
    if (inline.current && inline.current.field === el) return;
    if (filling) return;
    closeMenu();
    // A page's script calling focus() also makes a trusted event: only a person's click or
    // Tab opens the menu. The field counts as focused for the popup's Fill either way.
    const group = groupOf(el);
    if (group) lastFocused = { el, at: Date.now() };
    if (!byPerson(el)) return;
    offerMenu(el);
  }
  /** From `start` down the active-element chain of the shadow roots it hosts. */
  function deepestActive(start: EventTarget | null | undefined): EventTarget | null | undefined {
    let el = start;
    for (let depth = 0; el instanceof Element && depth < 32; depth++) {
      const inner = shadowRootOf(el)?.activeElement;
      if (!inner || inner === el) break;
      el = inner;
    }
    return el;
  }
  /** The field that has focus now, inside (open or reachable closed) shadow roots too. */
  function activeField(): Fieldish | null {
    const el = deepestActive(document.activeElement);
    return el instanceof HTMLInputElement || el instanceof HTMLSelectElement ? el : null;
  }

  function onPointerDown(e: PointerEvent) {
    if (!e.isTrusted) return;
    const target = e.composedPath()[0] ?? null;
    lastPointer = { target, at: performance.now() };
    // A click on the field that already has focus (no focus event follows): offer the menu.
    // (Focused by the page — autofocus, a dialog opening — before the person chose it.)
    const active = activeField();
    if (!active || filling || inline.current?.field === active || !pointedAt(active)) return;
    setTimeout(() => {
      if (activeField() === active && inline.current?.field !== active) offerMenu(active);
    }, 0);
  }
  function onFocusOut() {
    // Focus moving into the menu's frame is not leaving; nor, for a menu the top frame draws,
    // is focus leaving this frame (the person clicked into that menu).
    setTimeout(() => {
      const menu = inline.current;
      if (!menu) return;
      if (menu.frame && document.activeElement === menu.frame.host) return;
      if (!menu.frame && !document.hasFocus()) return;
      if (activeField() !== menu.field) closeMenu();
    }, 0);
  }
  function onKey(e: KeyboardEvent) {
    if (!e.isTrusted) return;
    if (e.key === 'Tab') lastTab = performance.now();
    if (inline.current && e.key === 'Escape') closeMenu();
  }
  /** Typing in the field means the person is not choosing from the menu. */
  function onInput(e: Event) {
    if (inline.current && e.isTrusted && e.composedPath()[0] === inline.current.field) closeMenu();
  }

  // ---- the frame chain: a subframe's menu drawn by the top frame -------------------------
  // A subframe posts the worker's nonce to its parent with the field's point; the parent's
  // content script finds which of its iframes sent it (`event.source`), and reports that
  // iframe's content box — and whether the iframe is what a person sees at that point — to the
  // worker, which answers with the next nonce for the parent's own parent, up to the top.
  const located = new Map<string, Element>();
  function postLocate(nonce: string, x: number, y: number) {
    try {
      window.parent.postMessage({ cofreLocate: nonce, x, y }, '*');
    } catch {
      // a detached frame: the menu is drawn locally after the wait
    }
  }
  function frameElementOf(source: MessageEventSource | null): Element | null {
    if (!source) return null;
    for (const root of roots)
      for (const f of root.querySelectorAll('iframe, frame'))
        if ((f as HTMLIFrameElement).contentWindow === source) return f;
    return null;
  }
  function onMessage(e: MessageEvent) {
    const d = e.data as { cofreLocate?: unknown; x?: unknown; y?: unknown } | null;
    if (!d || typeof d !== 'object' || typeof d.cofreLocate !== 'string') return;
    if (d.cofreLocate.length > 64 || typeof d.x !== 'number' || typeof d.y !== 'number') return;
    if (!Number.isFinite(d.x) || !Number.isFinite(d.y)) return;
    const frame = frameElementOf(e.source);
    if (!frame) return;
    const r = frame.getBoundingClientRect();
    const cs = getComputedStyle(frame);
    const left = r.left + Number.parseFloat(cs.borderLeftWidth) + Number.parseFloat(cs.paddingLeft);
    const top = r.top + Number.parseFloat(cs.borderTopWidth) + Number.parseFloat(cs.paddingTop);
    const x = left + d.x;
    const y = top + d.y;
    const nonce = d.cofreLocate;
    if (isTop) {
      located.clear();
      located.set(nonce, frame);
    }
    void send({
      type: 'autofill:frameAt',
      nonce,
      box: { left, top },
      visible: topmostIs(frame, x, y),
    }).then((next) => {
      const n = (next as { nonce?: unknown } | null)?.nonce;
      if (!isTop && typeof n === 'string') postLocate(n, x, y);
    });
  }

  // ---- filling ---------------------------------------------------------------------------
  function targetGroup(msg: Extract<ToContent, { type: 'cofre:fill' }>): FieldGroup | null {
    if (msg.values) {
      // A card's or identity's values, for this frame's card or address fields.
      const kind = Object.keys(msg.values).some((k) => k.startsWith('cc-')) ? 'card' : 'address';
      const focused = lastFocused?.el.isConnected ? groupOf(lastFocused.el) : undefined;
      return focused?.kind === kind ? focused : (groups.find((g) => g.kind === kind) ?? null);
    }
    if (lastFocused?.el.isConnected) {
      const g = groupOf(lastFocused.el);
      if (g) return g;
    }
    const order = ['login', 'change-password', 'username-only', 'otp'];
    return (
      groups
        .filter((g) => order.includes(g.kind))
        .sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind))[0] ?? null
    );
  }

  function fill(msg: Extract<ToContent, { type: 'cofre:fill' }>): FillResult {
    if (msg.source === 'menu') {
      if (!inline.current || inline.current.token !== msg.menuToken) return { refused: 'no-menu' };
      const why =
        inline.current.frame?.refusalReason() ??
        (isUsable(inline.current.field) && isUnobstructed(inline.current.field)
          ? null
          : 'field-hidden');
      if (why) {
        closeMenu();
        return { refused: why };
      }
    }
    regroup();
    const group = msg.source === 'menu' ? groupOf(inline.current!.field) : targetGroup(msg);
    closeMenu();
    filling = true;
    try {
      return fillGroup(group, msg);
    } finally {
      filling = false;
    }
  }

  function fillGroup(
    group: FieldGroup | null | undefined,
    msg: Extract<ToContent, { type: 'cofre:fill' }>,
  ): FillResult {
    if (!group) return { refused: 'no-form' };
    const filled: FilledPart[] = [];
    if (group.kind === 'card' || group.kind === 'address') {
      const values = msg.values ?? {};
      let any = false;
      for (const f of group.fields) any = fillToken(f.el, f.token as AutofillToken, values) || any;
      if (any) filled.push(group.kind === 'card' ? 'card' : 'identity');
      return filled.length ? { filled } : { refused: 'nothing-to-fill' };
    }
    if (group.username && msg.username) {
      fillField(group.username, msg.username);
      filled.push('username');
    }
    if (group.password && msg.password && group.kind !== 'signup') {
      fillField(group.password, msg.password);
      filled.push('password');
    }
    if (group.otpDigits.length && msg.otp) {
      // One digit a box, in order; a code longer than the boxes fills what fits.
      [...msg.otp].slice(0, group.otpDigits.length).forEach((d, i) => {
        fillField(group.otpDigits[i]!, d);
      });
      filled.push('otp');
    } else if (group.otp && msg.otp) {
      fillField(group.otp, msg.otp);
      filled.push('otp');
    }
    if (group.newPassword && msg.newPassword) {
      fillField(group.newPassword, msg.newPassword);
      if (group.confirm) fillField(group.confirm, msg.newPassword);
      filled.push('newPassword');
    }
    return filled.length ? { filled } : { refused: 'nothing-to-fill' };
  }

  // ---- save prompt -----------------------------------------------------------------------
  function showPrompt(token: string) {
    prompt?.remove();
    prompt = createFrameHost(`${extensionUrl('/save-prompt.html')}#${token}`, 'Cofre', () => {
      prompt?.remove();
      prompt = null;
    });
    const width = Math.min(380, innerWidth - 16);
    prompt.place({ left: innerWidth - width - 12, top: 12, width, height: 176 });
  }

  function afterSubmit(field: HTMLInputElement | null) {
    let done = false;
    for (const ms of [400, 1_200, 3_000]) {
      setTimeout(() => {
        if (done) return;
        const gone = !(field?.isConnected && isUsable(field));
        if (gone || ms === 3_000) {
          done = true;
          void send({ type: 'autofill:outcome', passwordStillThere: !gone });
        }
      }, ms);
    }
  }

  // ---- wiring ----------------------------------------------------------------------------
  browser.runtime.onMessage.addListener((raw: unknown, sender, sendResponse) => {
    if (sender.id !== browser.runtime.id) return false;
    const parsed = toContentSchema.safeParse(raw);
    if (!parsed.success) return false;
    const msg = parsed.data;
    switch (msg.type) {
      case 'cofre:fill':
        sendResponse(fill(msg));
        return false;
      case 'cofre:location':
        sendResponse({ url: location.href });
        return false;
      case 'cofre:announce':
        if (groups.length || isTop) announceForms();
        return false;
      case 'cofre:openMenu': {
        const el = lastFocused?.el;
        const group = el && groupOf(el);
        const role = group && roleIn(group, el);
        if (el && group && role) void openMenu(el, role, group);
        sendResponse({ opened: !!(el && group) });
        return false;
      }
      case 'cofre:showPrompt':
        if (isTop) showPrompt(msg.token);
        return false;
      case 'cofre:closePrompt':
        prompt?.remove();
        prompt = null;
        return false;
      case 'cofre:closeMenu':
        inline.close(false);
        inline.closeHosted(false);
        return false;
      case 'cofre:showMenu':
        if (isTop) inline.host(msg.token, msg.rows, msg.rect, located.get(msg.via));
        return false;
      case 'cofre:menuPlaced':
        inline.placedRemotely(msg.token);
        return false;
      case 'cofre:menuSafe':
        sendResponse({ reason: inline.hostedRefusal(msg.token) });
        return false;
    }
  });
  function announceForms() {
    void send({
      type: 'autofill:forms',
      kinds: groups.map((g) => g.kind),
      focusedAt: lastFocused?.at ?? null,
    });
  }

  const t0 = performance.now();
  observe(document);
  addRoot(document);
  regroup();
  stats.firstScanMs = performance.now() - t0;
  if (isTop || groups.length) announce();

  addEventListener('focusin', onFocus, true);
  addEventListener('focusout', onFocusOut, true);
  addEventListener('keydown', onKey, true);
  addEventListener('pointerdown', onPointerDown, true);
  addEventListener('input', onInput, true);
  // A menu drawn elsewhere (the top frame's, for a subframe) cannot follow a scroll: it closes.
  const onScroll = () => {
    if (inline.current && !inline.current.frame) closeMenu();
    else placeMenu();
    inline.closeHosted();
  };
  addEventListener('scroll', onScroll, { capture: true, passive: true });
  addEventListener('resize', onScroll, { passive: true });
  addEventListener('message', onMessage);
  watchSubmits(groupFor, (s) => {
    void send({
      type: 'autofill:submitted',
      kind: s.group.kind,
      username: s.username,
      password: s.password,
      newPassword: s.newPassword,
    });
    if (s.group.kind !== 'username-only') afterSubmit(s.group.password ?? s.group.newPassword);
  });
}
