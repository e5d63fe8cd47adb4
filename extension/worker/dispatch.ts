// The message API of the extension's own pages: a request is checked, the lock deadline
// honoured, and the answer is data or a sentence a user can act on (describe-error.ts). The
// background worker calls this for every page message; tests call it the same way.
import { ModelError } from '../../shared/model/item.ts';
import { type Answer, requestSchema } from '../messages.ts';
import { accountHandlers } from './account-handlers.ts';
import { autofillHandlers, type Sender } from './autofill-handlers.ts';
import { clearClipboardLater } from './clipboard.ts';
import { describeError } from './describe-error.ts';
import { itemHandlers } from './item-handlers.ts';
import { keyHandlers } from './key-handlers.ts';
import { passkeyHandlers } from './passkey-handlers.ts';
import { recoveryHandlers } from './recovery-handlers.ts';
import { sharingHandlers } from './sharing-handlers.ts';
import { signInHandlers } from './sign-in-handlers.ts';
import { transferHandlers } from './transfer-handlers.ts';
import { twoFactorHandlers } from './two-factor-handlers.ts';
import { lockIfExpired, touch } from './worker-state.ts';

const handlers = {
  ...accountHandlers,
  ...signInHandlers,
  ...twoFactorHandlers,
  ...keyHandlers,
  ...recoveryHandlers,
  ...sharingHandlers,
  ...transferHandlers,
  ...itemHandlers,
  ...autofillHandlers,
  ...passkeyHandlers,
} as Record<string, (req: unknown, sender: Sender) => Promise<unknown>>;
const QUIET = new Set([
  'getState',
  'listItems',
  'checkServer',
  'signupPolicy',
  'menuItems',
  'promptInfo',
  'passkeyInfo',
]);

export async function handle(raw: unknown, sender: Sender): Promise<Answer<unknown>> {
  const parsed = requestSchema.safeParse(raw);
  if (!parsed.success)
    return { ok: false, error: { code: 'BAD_REQUEST', message: 'Malformed request.' } };
  const req = parsed.data;
  try {
    if (req.type === 'clearClipboardLater') {
      clearClipboardLater(req.ms);
      return { ok: true, data: {} };
    }
    const handler = handlers[req.type];
    if (!handler) return { ok: false, error: { code: 'BAD_REQUEST', message: 'Unknown request.' } };
    await lockIfExpired();
    if (!QUIET.has(req.type)) await touch();
    return { ok: true, data: await handler(req, sender) };
  } catch (error) {
    return {
      ok: false,
      error:
        error instanceof ModelError
          ? { code: 'INVALID_ITEM', message: error.message }
          : describeError(error),
    };
  }
}
