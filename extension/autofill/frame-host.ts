// Shows an extension page (the inline menu or the save prompt) inside a web page: an iframe
// of the extension's origin in a closed shadow root, so the page can neither read nor script
// it. The page can still restyle or cover the host element, so before anything from it is
// acted on, `refusalReason` checks that a person could really see it (clickjacking defence).
//
// Where it lives: a login in a modal <dialog> or an open popover is in the top layer, above
// everything at the document root. So the frame is a popover of its own (shown last, so on top
// of the top layer), placed inside the dialog or popover that holds its field (outside a modal
// dialog everything is inert; outside a popover a click would light-dismiss it).

import { browser } from 'wxt/browser';
import { flatParent } from './field-visibility.ts';

const Z_TOP = '2147483647';

/** A page of this extension (WXT types getURL with the paths it generates at build time). */
export const extensionUrl = (path: string) =>
  (browser.runtime as unknown as { getURL(p: string): string }).getURL(path);
/** A menu shown or moved this recently may have been slid under a pointer about to click. */
export const SETTLE_MS = 500;

export interface FrameHost {
  readonly host: HTMLElement;
  /** Places the frame (viewport coordinates); records the time when it actually moved. */
  place(box: { left: number; top: number; width: number; height: number }): void;
  /** Why a click in it must not count now, or null when it is safe. */
  refusalReason(now?: number): string | null;
  remove(): void;
}

/** The dialog, popover or fullscreen element in the top layer that holds `el`, if any. */
export function topLayerOf(el: Element): Element | null {
  for (let n: Element | null = el; n; n = flatParent(n)) {
    if (n.matches('dialog[open]:modal, :popover-open, :fullscreen')) return n;
  }
  return null;
}

export function createFrameHost(
  src: string,
  label: string,
  onTampered: () => void,
  anchor?: Element,
): FrameHost {
  const host = document.createElement('cofre-frame');
  host.setAttribute('popover', 'manual');
  const root = host.attachShadow({ mode: 'closed' });
  const iframe = document.createElement('iframe');
  iframe.src = src;
  iframe.title = label;
  iframe.setAttribute('scrolling', 'no');
  iframe.style.cssText =
    'all:initial;display:block;width:100%;height:100%;border:0;border-radius:10px;' +
    'box-shadow:0 8px 28px rgba(0,0,0,.28);background:#fff;color-scheme:normal';
  root.append(iframe);

  let shownAt = performance.now();
  let movedAt = shownAt;
  let box = { left: 0, top: 0, width: 0, height: 0 };
  let style = '';
  const apply = () => {
    style =
      `all:initial !important;position:fixed !important;z-index:${Z_TOP} !important;` +
      `left:${box.left}px !important;top:${box.top}px !important;` +
      `width:${box.width}px !important;height:${box.height}px !important;` +
      'display:block !important;opacity:1 !important;visibility:visible !important;' +
      'pointer-events:auto !important;transform:none !important;filter:none !important;' +
      'clip-path:none !important;mix-blend-mode:normal !important;margin:0 !important;';
    host.setAttribute('style', style);
  };

  // The page touching our element, or the page's root styles, is a reason to go away.
  const watcher = new MutationObserver(() => {
    if (tampering()) onTampered();
  });
  watcher.observe(document.documentElement, {
    attributes: true,
    attributeFilter: ['style', 'class'],
  });
  if (document.body)
    watcher.observe(document.body, { attributes: true, attributeFilter: ['style', 'class'] });

  function refusalReason(now = performance.now()): string | null {
    if (now - shownAt < SETTLE_MS || now - movedAt < SETTLE_MS) return 'just-moved';
    return tampering();
  }

  /** What the page did to hide, fade, restyle or cover the frame, if anything. */
  function tampering(): string | null {
    if (!host.isConnected) return 'gone';
    if (host.getAttribute('style') !== style) return 'restyled';
    // Transparent or hidden: the host, any ancestor, or the page's html/body.
    if (host.hasAttribute('popover') && !host.matches(':popover-open') && 'showPopover' in host)
      return 'hidden';
    const chain: Element[] = [];
    for (let el: Element | null = host; el; el = el.parentElement) chain.push(el);
    if (document.body && !chain.includes(document.body)) chain.push(document.body);
    for (const el of chain) {
      const cs = getComputedStyle(el);
      if (Number(cs.opacity) < 1) return 'transparent';
      if (cs.visibility !== 'visible' || cs.display === 'none') return 'hidden';
      if (cs.filter !== 'none' || (el !== host && cs.mixBlendMode !== 'normal')) return 'filtered';
      if (el !== host && el !== document.documentElement && cs.clipPath !== 'none')
        return 'clipped';
    }
    // Covered: whatever is topmost over the frame must be the frame itself.
    const r = host.getBoundingClientRect();
    if (r.width < 20 || r.height < 20) return 'hidden';
    const inset = 4;
    const points: Array<[number, number]> = [
      [r.left + r.width / 2, r.top + r.height / 2],
      [r.left + inset, r.top + inset],
      [r.right - inset, r.top + inset],
      [r.left + inset, r.bottom - inset],
      [r.right - inset, r.bottom - inset],
    ];
    for (const [x, y] of points) {
      if (document.elementsFromPoint(x, y)[0] !== host) return 'covered';
    }
    return null;
  }

  const layer = anchor ? topLayerOf(anchor) : null;
  // A dialog or popover element of the page takes our host as a light-DOM child (neither can
  // hold a shadow root of its own, so the child is rendered).
  (layer && layer.localName !== 'iframe' ? layer : document.documentElement).append(host);
  try {
    host.showPopover();
  } catch {
    // no Popover API (or the host was moved): a fixed element at the document root still shows
  }
  watcher.observe(host, { attributes: true });
  return {
    host,
    place(next) {
      if (
        next.left === box.left &&
        next.top === box.top &&
        next.width === box.width &&
        next.height === box.height
      )
        return;
      box = next;
      movedAt = performance.now();
      apply();
    },
    refusalReason,
    remove() {
      watcher.disconnect();
      host.remove();
      shownAt = Number.POSITIVE_INFINITY;
    },
  };
}
