// Marks a sentence a person reads that is written outside the UI (a worker's or the sync
// core's error) so the Spanish catalog check finds it; the UI translates it where it is shown.
export const msg = <S extends string>(s: S): S => s;

/**
 * A sentence with values, written where no UI is (the worker, the sync core): the English
 * `template` (simple `{name}` arguments only, checked by the catalog test like msg()) with its
 * values filled in. The UI's translator recognises the filled sentence by its template and shows
 * it in the person's language with the same values.
 */
export function said(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, k: string) =>
    k in values ? String(values[k]) : whole,
  );
}
