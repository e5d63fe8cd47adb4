// Marks a sentence a person reads that is written outside the UI (a worker's or the sync
// core's error) so the Spanish catalog check finds it; the UI translates it where it is shown.
export const msg = <S extends string>(s: S): S => s;
