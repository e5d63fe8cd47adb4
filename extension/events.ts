// Broadcast by the worker when the state a page shows has changed (its own module, so pages
// get it without the message schemas and zod).
export const STATE_CHANGED = 'cofre:state-changed';

/** The broadcast: `items` false when only the state changed (a sync's status, a count). */
export interface StateChanged {
  type: typeof STATE_CHANGED;
  items: boolean;
}
