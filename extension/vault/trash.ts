// How long the trash keeps an item: 30 days after it was moved there, then it is deleted for
// good (a sealed tombstone like any deletion) by the first device unlocked after that.
export const TRASH_KEEP_DAYS = 30;
const DAY_MS = 86_400_000;

/** When an item trashed at `trashedAt` goes for good. */
export const purgeTime = (trashedAt: string) =>
  new Date(Date.parse(trashedAt) + TRASH_KEEP_DAYS * DAY_MS);

/** Whole days left before it goes (0 on its last day); an unreadable time counts as today. */
export function daysLeft(trashedAt: string, now = Date.now()) {
  const left = purgeTime(trashedAt).getTime() - now;
  return Number.isFinite(left) ? Math.max(0, Math.ceil(left / DAY_MS)) : 0;
}

export const isExpired = (trashedAt: string, now = Date.now()) =>
  purgeTime(trashedAt).getTime() <= now;
