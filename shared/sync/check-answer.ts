// A server's answer checked for shape and bounds BEFORE anything in it is opened: a page holds no
// more records than were asked for, in seq order past the cursor, and moves forward; a push
// answer speaks only of items that were sent, once each. Anything else ends the sync with an
// error (and changes nothing), instead of a loop, a stall or gigabytes of work.
import {
  type PullOutput,
  type PushOutput,
  pullResultSchema,
  pushResultSchema,
} from '../protocol/sync.ts';
import { SyncError } from './errors.ts';

const malformed = (what: string) => new SyncError('INVALID_RESPONSE', `The ${what} is malformed.`);

export function checkPage(raw: unknown, cursor: number, limit: number): PullOutput {
  if (Array.isArray((raw as { items?: unknown } | null)?.items)) {
    const n = (raw as { items: unknown[] }).items.length;
    if (n > limit)
      throw new SyncError(
        'INVALID_RESPONSE',
        `The server sent ${n} records for a page of ${limit}.`,
      );
  }
  const parsed = pullResultSchema.safeParse(raw);
  if (!parsed.success) throw malformed('pull answer');
  const page = parsed.data;
  if (page.reset) {
    if (page.items.length > 0) throw malformed('reset answer');
    return page;
  }
  let last = cursor;
  for (const r of page.items) {
    if (r.seq <= last)
      throw new SyncError('INVALID_RESPONSE', 'Pulled records out of order.', r.id);
    last = r.seq;
  }
  if (page.cursor < last) throw malformed('pull cursor');
  if (page.hasMore && (page.items.length === 0 || page.cursor <= cursor))
    throw new SyncError('NO_PROGRESS', 'The server says there is more but sends nothing new.');
  return page;
}

export function checkPushAnswer(raw: unknown, sent: ReadonlySet<string>): PushOutput {
  const parsed = pushResultSchema.safeParse(raw);
  if (!parsed.success) throw malformed('push answer');
  const told = new Set<string>();
  for (const { id } of [...parsed.data.applied, ...parsed.data.conflicts]) {
    if (!sent.has(id))
      throw new SyncError(
        'INVALID_RESPONSE',
        `The push answer names ${id}, which was not sent.`,
        id,
      );
    if (told.has(id))
      throw new SyncError('INVALID_RESPONSE', `The push answer names ${id} twice.`, id);
    told.add(id);
  }
  return parsed.data;
}
