// How a record's state changes once a server copy has been judged (judge-copy.ts): a newer copy
// is believed, an older one is answered with this device's own copy, and a copy that meets a
// pending edit is merged with it three ways. Shared by push, pull and reset.
import type { RecordBody } from '../model/item.ts';
import type { EngineContext } from './engine-context.ts';
import { mergeRecord } from './merge-record.ts';
import type { PendingEdit, RecordState, ServerCopy } from './ports.ts';
import { tagOf } from './record-codec.ts';
import { MAX_REV } from './record-frame.ts';

/**
 * The revision of this device's next write of a record: one more than any copy it believed.
 * Unacknowledged edits do not count, so every write made from the same knowledge carries the
 * same revision (that is what lets a losing concurrent edit be told from the winner).
 */
export function nextRev(r: Pick<RecordState, 'seen' | 'base'> | undefined): number {
  const rev = Math.max(r?.seen?.rev ?? 0, r?.base?.rev ?? 0) + 1;
  if (rev > MAX_REV) throw new RangeError('This record has reached its last revision.');
  return rev;
}

export const seenOf = (c: ServerCopy) => ({ rev: c.rev, tag: tagOf(c.ct) });

const sameBytes = (a: Uint8Array | null, b: Uint8Array | null) =>
  a === null || b === null ? a === b : tagOf(a) === tagOf(b) && a.byteLength === b.byteLength;

export const samePending = (a: PendingEdit, b: PendingEdit) =>
  a.baseVersion === b.baseVersion && a.deleted === b.deleted && sameBytes(a.ct, b.ct);

/** The plaintext this device currently holds for a record: its edit, else its copy. */
export const currentBody = (ctx: EngineContext, r: RecordState) =>
  r.pending ? ctx.codec.pendingBody(r.id, r.pending) : ctx.codec.bodyOf(r.id, r.base);

/**
 * A newer copy is believed. Under a pending edit the base stays (the next push meets this copy
 * as a conflict and merges against the right base); only what was seen moves on.
 */
export function acceptCopy(r: RecordState | undefined, id: string, copy: ServerCopy): RecordState {
  if (r?.pending) return { ...r, seen: seenOf(copy) };
  return { id, base: copy, pending: null, seen: seenOf(copy), sent: null };
}

/**
 * The server holds an older copy than this device saw (it restarted, or rolls back): the older
 * one is not believed, and this device's own content is written back over it, as a new revision
 * on the version the server has. The base stays what this device believes.
 */
export async function writeBack(
  ctx: EngineContext,
  r: RecordState,
  serverVersion: number,
): Promise<RecordState> {
  const body = await currentBody(ctx, r);
  return {
    ...r,
    pending: await ctx.codec.makePending(r.id, serverVersion, nextRev(r), body),
  };
}

/**
 * Three-way merge of a pending edit with the server's copy (`server` null: the server says it
 * has no such record). The result waits to be pushed, on the server's version.
 */
export async function mergeWithServer(
  ctx: EngineContext,
  r: RecordState,
  server: ServerCopy | null,
): Promise<RecordState> {
  const { codec } = ctx;
  // Our own earlier push landed though its answer was lost: it is the common base.
  const ours =
    !!server?.ct &&
    !!r.sent?.ct &&
    server.version === r.sent.baseVersion + 1 &&
    sameBytes(server.ct, r.sent.ct);
  const [baseBody, localBody, serverBody] = await Promise.all([
    codec.bodyOf(r.id, ours ? server : r.base),
    codec.pendingBody(r.id, r.pending!),
    codec.bodyOf(r.id, server),
  ]);
  // A conflict means the server's copy moved past our base: someone wrote it meanwhile, even if
  // the content came back to what we had (edit beats delete). Likewise our pending edit is an
  // edit even if it restored the base's content.
  const { merged } = mergeRecord(baseBody, localBody, serverBody, ctx.now(), {
    serverEdited: !ours && server !== null,
    localEdited: true,
  });
  if (!server) {
    // Nothing on the server: what we hold is written as new (a deletion too, sealed, so the
    // record's state stays one the server and every device agree on).
    return { ...r, pending: await codec.makePending(r.id, 0, nextRev(r), merged) };
  }
  const next: RecordState = { ...r, base: server, seen: seenOf(server), sent: null };
  const settled = JSON.stringify(merged) === JSON.stringify(serverBody);
  return {
    ...next,
    pending: settled ? null : await codec.makePending(r.id, server.version, nextRev(next), merged),
  };
}

/** A new pending edit of `body` on this record, built on what the server has. */
export async function editOf(
  ctx: EngineContext,
  id: string,
  r: RecordState | undefined,
  body: RecordBody | null,
): Promise<RecordState> {
  const baseVersion = r?.pending?.baseVersion ?? r?.base?.version ?? 0;
  const pending = await ctx.codec.makePending(id, baseVersion, nextRev(r), body);
  // What may have gone out: an earlier send stays so (its answer may be lost); with none, the
  // new edit is marked now, in this same write, so its push has nothing to mark. A mark on an
  // edit never sent matches nothing: the server cannot hold ciphertext it never received.
  return { id, base: r?.base ?? null, seen: r?.seen ?? null, sent: r?.sent ?? pending, pending };
}
