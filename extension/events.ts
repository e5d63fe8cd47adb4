// Broadcast by the worker when the state a page shows has changed (its own module, so pages
// get it without the message schemas and zod).
export const STATE_CHANGED = 'cofre:state-changed';
