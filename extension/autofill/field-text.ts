// What a field says about itself, as words a heuristic can test: its attributes (name, id,
// placeholder, aria-label, class) and the text a person reads beside it (its <label>s,
// aria-labelledby, a design-system host's `label` attribute, a short caption just before it).

export type Fieldish = HTMLInputElement | HTMLSelectElement;

const ATTRS = ['name', 'id', 'placeholder', 'aria-label', 'title', 'class'] as const;

/** The field's own attributes, joined. */
export function attrHints(el: Fieldish): string {
  let out = '';
  for (const a of ATTRS) {
    const v = el.getAttribute(a);
    if (v) out += ` ${v}`;
  }
  return out;
}

const squash = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
const MAX_CAPTION = 80;

/** The words a person reads as the field's label (empty when there are none). */
export function labelText(el: Fieldish): string {
  const parts: string[] = [];
  for (const l of el.labels ?? []) parts.push(squash(l.textContent));
  const by = el.getAttribute('aria-labelledby');
  if (by) {
    const root = el.getRootNode() as Document | ShadowRoot;
    for (const id of by.split(/\s+/)) parts.push(squash(root.getElementById?.(id)?.textContent));
  }
  // A field inside a design-system component: the component carries the label.
  const root = el.getRootNode();
  if (root instanceof ShadowRoot) {
    const host = root.host;
    for (const a of ['label', 'aria-label', 'placeholder', 'name'])
      parts.push(squash(host.getAttribute(a)));
    for (const l of root.querySelectorAll('label, .label, [class*=label]'))
      if (l.textContent && l.textContent.length <= MAX_CAPTION) parts.push(squash(l.textContent));
  }
  // A caption right before the field (a <div>Code</div><input>), when short.
  const prev = el.previousElementSibling ?? el.parentElement?.previousElementSibling;
  if (prev && !prev.querySelector('input, select, textarea') && prev.localName !== 'input') {
    const t = squash(prev.textContent);
    if (t && t.length <= MAX_CAPTION) parts.push(t);
  }
  return parts.filter(Boolean).join(' ');
}

/** Attributes and label text together: what the heuristics look at. */
export const fieldWords = (el: Fieldish) => `${attrHints(el)} ${labelText(el)}`;

/** The autocomplete tokens (`section-x shipping given-name` → its parts), lower case. */
export function autocompleteTokens(el: Fieldish): string[] {
  return (el.getAttribute('autocomplete') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
}
