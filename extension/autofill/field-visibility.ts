// Whether a person can see a field, and whether it is the thing under their pointer. Pure DOM
// reading, in the content script's isolated world. Three questions, asked at different times:
//
//   isUsable(el)       at every scan   | enabled, rendered, not zero-size, not faded, not placed
//                                      | off the page, not clipped away, not aria-hidden
//   isUnobstructed(el) at open, at fill | the topmost element at the field's centre is the field
//                                      | (or its label, or a wrapper that holds it)
//   shadowRootOf(el)   while walking    | open roots, and closed ones where Chrome lets an
//                                      | extension reach them (chrome.dom.openOrClosedShadowRoot)

interface ChromeDom {
  openOrClosedShadowRoot?(el: Element): ShadowRoot | null;
}
const chromeDom = (globalThis as { chrome?: { dom?: ChromeDom } }).chrome?.dom;

/**
 * The element's shadow root, open or closed. Closed roots are looked for on custom elements
 * only: that is where design systems put their fields, and asking of every <div> of a large
 * page would cost more than the few pages that close a root on one.
 */
export function shadowRootOf(el: Element): ShadowRoot | null {
  if (el.shadowRoot) return el.shadowRoot;
  if (!chromeDom?.openOrClosedShadowRoot || !el.localName.includes('-')) return null;
  try {
    return chromeDom.openOrClosedShadowRoot(el) ?? null;
  } catch {
    return null;
  }
}

/** The parent in the flat tree: through shadow roots to their hosts, and slots. */
export function flatParent(node: Node): Element | null {
  const slot = (node as Element).assignedSlot;
  if (slot) return slot;
  const parent = node.parentNode;
  if (parent instanceof ShadowRoot) return parent.host;
  return parent instanceof Element ? parent : null;
}

/** Is `a` an ancestor of `b` (or `b` itself), crossing shadow boundaries? */
export function flatContains(a: Element, b: Element): boolean {
  for (let n: Element | null = b; n; n = flatParent(n)) if (n === a) return true;
  return false;
}

/** The nearest inclusive ancestor matching `selector`, crossing shadow boundaries. */
export function flatClosest(el: Element, selector: string): Element | null {
  for (let n: Element | null = el; n; n = flatParent(n)) if (n.matches(selector)) return n;
  return null;
}

const MIN_SIZE = 2;
/** Below this product of its and its ancestors' opacities a field is meant not to be seen. */
const MIN_OPACITY = 0.2;

/** Can a person see and type into it? Honeypots and fields placed out of sight do not count. */
export function isUsable(el: HTMLInputElement | HTMLSelectElement): boolean {
  if (el.disabled || (el as HTMLInputElement).type === 'hidden' || !el.isConnected) return false;
  if ((el as HTMLInputElement).readOnly) return false;
  if (
    typeof el.checkVisibility === 'function' &&
    !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })
  )
    return false;
  const r = el.getBoundingClientRect();
  if (r.width < MIN_SIZE || r.height < MIN_SIZE) return false;
  if (offPage(r)) return false;
  let opacity = 1;
  for (let n: Element | null = el; n; n = flatParent(n)) {
    if (n.getAttribute('aria-hidden') === 'true' || n.hasAttribute('inert')) return false;
    const cs = getComputedStyle(n);
    opacity *= Number(cs.opacity);
    if (n !== el && clipsAway(n, cs, r)) return false;
    if (n === el && (cs.clipPath.startsWith('inset(50%') || /rect\(0(px)?,? 0/.test(cs.clip)))
      return false;
  }
  return opacity >= MIN_OPACITY;
}

/** Placed where no scrolling brings it into view (left or above the page, or past its end). */
function offPage(r: DOMRect): boolean {
  const doc = document.documentElement;
  const left = r.left + scrollX;
  const top = r.top + scrollY;
  if (left + r.width <= 0 || top + r.height <= 0) return true;
  const width = Math.max(doc.scrollWidth, innerWidth);
  const height = Math.max(doc.scrollHeight, innerHeight);
  return left >= width || top >= height;
}

/** An ancestor that hides overflow and leaves (almost) none of the field inside its box. */
function clipsAway(n: Element, cs: CSSStyleDeclaration, field: DOMRect): boolean {
  if (cs.clipPath !== 'none' && cs.clipPath.startsWith('inset(50%')) return true;
  if (cs.overflowX === 'visible' && cs.overflowY === 'visible') return false;
  // Scrollers can be scrolled to the field; only boxes that hide their overflow clip it away.
  const hides = (v: string) => v === 'hidden' || v === 'clip';
  if (!hides(cs.overflowX) && !hides(cs.overflowY)) return false;
  const b = n.getBoundingClientRect();
  const w = Math.min(field.right, b.right) - Math.max(field.left, b.left);
  const h = Math.min(field.bottom, b.bottom) - Math.max(field.top, b.top);
  return (hides(cs.overflowX) && w < MIN_SIZE) || (hides(cs.overflowY) && h < MIN_SIZE);
}

/**
 * Is the field what a person sees at its centre — not covered by an overlay, another element or
 * a transparent sheet? Labels and wrappers that hold the field count as the field.
 */
export function isUnobstructed(el: Element): boolean {
  const r = el.getBoundingClientRect();
  return topmostIs(el, r.left + Math.min(r.width / 2, 24), r.top + r.height / 2);
}

/** Is `el` what a person sees at (x, y) of this frame's viewport? (Through shadow roots.) */
export function topmostIs(el: Element, x: number, y: number): boolean {
  if (!(x >= 0 && y >= 0 && x < innerWidth && y < innerHeight)) return false;
  let root: Document | ShadowRoot = document;
  for (let depth = 0; depth < 32; depth++) {
    const hit: Element | null = root.elementFromPoint(x, y);
    if (!hit) return false;
    if (hit === el) return true;
    const inner = shadowRootOf(hit);
    if (inner && inner !== root && flatContains(hit, el)) {
      root = inner;
      continue;
    }
    if (flatContains(hit, el)) return true; // a wrapper painted at that point (padding, label)
    const label = hit.closest('label');
    if (label && (label.control === el || flatContains(label, el))) return true;
    return false;
  }
  return false;
}
