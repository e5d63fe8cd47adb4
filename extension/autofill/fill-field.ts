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
