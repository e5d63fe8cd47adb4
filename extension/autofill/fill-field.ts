// Puts a value into an input the way typing does, so framework-controlled inputs (React, Vue,
// Angular) see it: focus, the native value setter, then the events a keyboard would send.
//
// Content scripts run in an isolated world: the native setter here is not the page's wrapper,
// so React's value tracker still holds the old value and its onChange fires on `input`.

const nativeValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;

export function fillField(el: HTMLInputElement, value: string): void {
  el.focus({ preventScroll: true });
  el.dispatchEvent(
    new KeyboardEvent('keydown', { bubbles: true, composed: true, key: 'Unidentified' }),
  );
  nativeValue.call(el, value);
  el.dispatchEvent(
    new InputEvent('input', {
      bubbles: true,
      composed: true,
      inputType: 'insertReplacementText',
      data: value,
    }),
  );
  el.dispatchEvent(
    new KeyboardEvent('keyup', { bubbles: true, composed: true, key: 'Unidentified' }),
  );
  el.dispatchEvent(new Event('change', { bubbles: true }));
}

const nativeSelectValue = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value')!
  .set!;

/**
 * Types a value one character at a time, the way a keyboard does: masked inputs (card numbers
 * grouped in fours, "MM / YY", phone formats) reformat on each `input`, so each character is
 * inserted where the caret is after the mask's last change. If the mask refused characters the
 * result is checked and, failing that, the whole value is set at once.
 */
export function typeField(el: HTMLInputElement, value: string): void {
  el.focus({ preventScroll: true });
  nativeValue.call(el, '');
  el.dispatchEvent(
    new InputEvent('input', { bubbles: true, composed: true, inputType: 'deleteContentBackward' }),
  );
  for (const ch of value) {
    const key = { bubbles: true, composed: true, cancelable: true, key: ch };
    el.dispatchEvent(new KeyboardEvent('keydown', key));
    el.dispatchEvent(new KeyboardEvent('keypress', key));
    const before = new InputEvent('beforeinput', {
      bubbles: true,
      composed: true,
      cancelable: true,
      inputType: 'insertText',
      data: ch,
    });
    if (el.dispatchEvent(before)) {
      const at = caretOf(el);
      nativeValue.call(el, el.value.slice(0, at) + ch + el.value.slice(at));
      setCaret(el, at + 1);
      el.dispatchEvent(
        new InputEvent('input', {
          bubbles: true,
          composed: true,
          inputType: 'insertText',
          data: ch,
        }),
      );
    }
    el.dispatchEvent(new KeyboardEvent('keyup', key));
  }
  if (!sameEntry(el.value, value)) nativeValue.call(el, value);
  el.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Where typing inserts: the caret, or the end for types that have none (email, number). */
function caretOf(el: HTMLInputElement): number {
  try {
    return el.selectionStart ?? el.value.length;
  } catch {
    return el.value.length;
  }
}
function setCaret(el: HTMLInputElement, at: number) {
  try {
    el.setSelectionRange(at, at);
  } catch {
    // types without a selection (email, number): the value's end is where typing goes
  }
}

/** A mask may add spaces, slashes or dashes; what was typed must still all be there. */
const sameEntry = (shown: string, typed: string) => {
  const core = (s: string) => s.replace(/[\s/().-]/g, '').toLowerCase();
  return core(shown) === core(typed);
};

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/**
 * Picks the first option whose value or text is one of `candidates` (accents, case and
 * punctuation aside), else one whose text starts with one. Returns whether one was chosen.
 */
export function fillSelect(el: HTMLSelectElement, candidates: string[]): boolean {
  const wanted = candidates.map(fold).filter(Boolean);
  const options = [...el.options].filter((o) => !o.disabled);
  const pick =
    options.find((o) => wanted.includes(fold(o.value)) || wanted.includes(fold(o.text))) ??
    options.find((o) => wanted.some((w) => w.length >= 3 && fold(o.text).startsWith(w)));
  if (!pick) return false;
  el.focus({ preventScroll: true });
  nativeSelectValue.call(el, pick.value);
  el.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  el.dispatchEvent(new Event('change', { bubbles: true }));
  return true;
}
