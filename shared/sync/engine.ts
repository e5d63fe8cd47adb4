// The client sync engine (DESIGN §3): edits go to the local store and its outbox at once; sync
// pushes the outbox with baseVersion, merges conflicts three-way and pushes the result again,
// then pulls by cursor. Nothing the server sends is believed before it decrypts for its own id
// and version, and a version lower than one already seen is refused (after a reset, when the
// server started over, the newer copy we hold is pushed back over it instead).
import { toBase64url } from '../crypto/bytes.ts';
import { parseRecordBody, type RecordBody } from '../model/item.ts';
import { LIMITS, pullResultSchema, pushResultSchema, type WireRecord } from '../protocol/sync.ts';
import { SyncError } from './errors.ts';
import { mergeRecord } from './merge-record.ts';
import type { LocalStore, PendingEdit, RecordState, ServerCopy, Transport } from './ports.ts';
import { createRecordCodec } from './record-codec.ts';

export interface EngineOptions {
  store: LocalStore;
  transport: Transport;
  userId: string;
  deviceId: string;
  accountKey: CryptoKey;
  /** Account keys earlier rotations retired, newest first: they open records not re-encrypted yet. */
  retiredKeys?: readonly CryptoKey[];
  /** ISO-8601 now; injectable for tests. */
  now?: () => string;
  pageSize?: number;
  /** Each server copy that passed verification, with its plaintext (for a local index). */
  onVerified?: (ct: Uint8Array, body: RecordBody) => void;
  /** Called after each pulled page is stored: a first sync of a large vault shows progress. */
  onProgress?: (report: SyncReport) => void;
}

export interface SyncReport {
  pushed: number;
  merged: number;
  pulled: number;
  reset: boolean;
  /**
   * The records this sync rewrote in the store (pushed, merged, pulled, reset), each with the
   * state it left (null: removed). A save made during the sync may have replaced one since:
   * see `saves`.
   */
  changed: Map<string, RecordState | null>;
}

const PUSH_BATCH = 500;
const MAX_PUSH_ROUNDS = 20;

export function createSyncEngine(opts: EngineOptions) {
  const { store, transport, userId, deviceId, accountKey } = opts;
  const now = opts.now ?? (() => new Date().toISOString());
  const pageSize = opts.pageSize ?? LIMITS.pullLimit;
  /**
   * Two queues: `locked` for short read-modify-write sections of the store (an edit, applying a
   * push answer or a pulled page), `syncs` so one sync runs at a time. Network calls happen
   * outside `locked`, so an edit never waits for the network (DESIGN §3).
   */
  const queue = () => {
    let tail: Promise<unknown> = Promise.resolve();
    return <T>(fn: () => Promise<T>): Promise<T> => {
      const run = tail.then(fn, fn);
      tail = run.catch(() => {});
      return run;
    };
  };
  const locked = queue();
  const syncs = queue();
  /** Counts local saves, so a reader of a sync's report can tell whether one came between. */
  let saves = 0;

  const { bodyOf, pendingBody, makePending, verify, sealedByRetiredKey } = createRecordCodec(
    userId,
    accountKey,
    opts.onVerified,
    opts.retiredKeys,
  );

  async function push(report: SyncReport) {
    for (let round = 0; round < MAX_PUSH_ROUNDS; round++) {
      const outbox = await store.outbox();
      if (outbox.length === 0) return;
      for (let i = 0; i < outbox.length; i += PUSH_BATCH) {
        const batch = outbox.slice(i, i + PUSH_BATCH);
        // Remember what goes out, so a write whose answer is lost is recognised later.
        await locked(async () => {
          const marked: RecordState[] = [];
          const currents = await store.getMany(batch.map((r) => r.id));
          for (const [i, r] of batch.entries()) {
            const current = currents[i];
            if (current?.pending && samePending(current.pending, r.pending!))
              marked.push({ ...current, sent: r.pending });
          }
          await store.commit({ put: marked });
        });
        const raw = await transport.push({
          deviceId,
          items: batch.map((r) => ({
            id: r.id,
            baseVersion: r.pending!.baseVersion,
            deleted: r.pending!.deleted,
            ct: r.pending!.ct && toBase64url(r.pending!.ct),
          })),
        });
        const parsed = pushResultSchema.safeParse(raw);
        if (!parsed.success)
          throw new SyncError('INVALID_RESPONSE', 'The push answer is malformed.');
        const sent = new Map(batch.map((r) => [r.id, r.pending!]));
        await locked(async () => {
          const put: RecordState[] = [];
          const appliedStates = await store.getMany(parsed.data.applied.map((a) => a.id));
          for (const [i, a] of parsed.data.applied.entries()) {
            const pushed = sent.get(a.id);
            if (!pushed)
              throw new SyncError('INVALID_RESPONSE', `Unexpected applied id ${a.id}.`, a.id);
            if (a.version !== pushed.baseVersion + 1) {
              throw new SyncError(
                'INVALID_RESPONSE',
                `Record ${a.id} applied at an unexpected version.`,
                a.id,
              );
            }
            const current = appliedStates[i];
            const base = { version: a.version, deleted: pushed.deleted, ct: pushed.ct };
            const maxSeen = Math.max(current?.maxSeen ?? 0, a.version);
            // Edited again while the push was in flight: that edit now builds on the pushed one.
            // Deleted meanwhile (a new item, so it had left the store): the delete follows it.
            const newer = !current
              ? { baseVersion: a.version - 1, deleted: true, ct: null }
              : current.pending && !samePending(current.pending, pushed)
                ? current.pending
                : null;
            const state: RecordState = {
              id: a.id,
              base,
              pending:
                newer && (await makePending(a.id, a.version, await pendingBody(a.id, newer))),
              maxSeen,
            };
            put.push(state);
            report.pushed++;
            report.changed.set(a.id, state);
          }
          for (const c of parsed.data.conflicts) {
            if (!sent.has(c.id))
              throw new SyncError('INVALID_RESPONSE', `Unexpected conflict id ${c.id}.`, c.id);
            const current = await store.get(c.id);
            if (!current?.pending) continue;
            const state = await resolve(current, c);
            put.push(state);
            report.merged++;
            report.changed.set(c.id, state);
          }
          await store.commit({ put });
        });
      }
    }
  }

  /**
   * A pulled record that is exactly the state our push left: same version, same bytes, no edit
   * on it. Skipping it writes nothing, so an edit saved since stays as it is.
   */
  const isEcho = (r: WireRecord, state: RecordState | null | undefined) =>
    !!state?.base &&
    !state.pending &&
    state.base.version === r.version &&
    state.base.deleted === r.deleted &&
    (state.base.ct === null ? r.ct === null : r.ct !== null && toBase64url(state.base.ct) === r.ct);

  const samePending = (a: PendingEdit, b: PendingEdit) =>
    a.baseVersion === b.baseVersion &&
    a.deleted === b.deleted &&
    (a.ct === null || b.ct === null ? a.ct === b.ct : toBase64url(a.ct) === toBase64url(b.ct));

  /** Three-way merge of a pending edit with the server's copy; the result waits to be pushed. */
  async function resolve(r: RecordState, c: WireRecord): Promise<RecordState> {
    const missing = c.version === 0;
    const server = missing ? null : await verify(c, r);
    // Our own earlier push landed though its answer was lost: it is the common base.
    const ours =
      !!server?.ct &&
      !!r.sent?.ct &&
      server.version === r.sent.baseVersion + 1 &&
      toBase64url(server.ct) === toBase64url(r.sent.ct);
    const [baseBody, localBody, serverBody] = await Promise.all([
      bodyOf(r.id, ours ? server : r.base),
      pendingBody(r.id, r.pending!),
      bodyOf(r.id, server),
    ]);
    // A conflict means the server's copy moved past our base: someone wrote it meanwhile, even
    // if the content came back to what we had (edit beats delete).
    // Likewise our pending edit is an edit even if it restored the base's content.
    const serverEdited = !ours && (server?.version ?? 0) > (r.base?.version ?? 0);
    const { merged } = mergeRecord(baseBody, localBody, serverBody, now(), {
      serverEdited,
      localEdited: true,
    });
    const maxSeen = Math.max(r.maxSeen, c.version);
    // Settled when the server already holds the merge; a record gone from the server that we
    // deleted too needs nothing pushed.
    const settled = missing
      ? merged === null
      : JSON.stringify(merged) === JSON.stringify(serverBody);
    return {
      id: r.id,
      base: server,
      pending: settled ? null : await makePending(r.id, server?.version ?? 0, merged),
      maxSeen,
    };
  }

  async function pull(report: SyncReport) {
    let cursor = await store.cursor();
    const seen = new Set<string>();
    // The next page is requested as soon as this one's cursor is known, so the network overlaps
    // this page's decryption and store write. A request no one awaits any more (this page
    // failed) must not become an unhandled rejection.
    const request = (from: number) => {
      const answer = transport.pull({ cursor: from, limit: pageSize });
      answer.catch(() => {});
      return answer;
    };
    let next = request(cursor);
    /** The previous page's write: pages are written in order, one at a time. */
    let writing: Promise<void> = Promise.resolve();
    for (;;) {
      const parsed = pullResultSchema.safeParse(await next);
      if (!parsed.success) throw new SyncError('INVALID_RESPONSE', 'The pull answer is malformed.');
      const page = parsed.data;
      if (page.reset) {
        if (report.reset)
          throw new SyncError('INVALID_RESPONSE', 'The server asked to reset twice.');
        await writing;
        report.reset = true;
        cursor = 0;
        next = request(cursor);
        continue;
      }
      if (page.hasMore) next = request(page.cursor);
      for (const r of page.items) {
        if (r.seq <= cursor)
          throw new SyncError('INVALID_RESPONSE', 'Pulled records out of order.', r.id);
        seen.add(r.id);
      }
      // Every record must decrypt for its own id and version; the page's decryptions run at once,
      // while the previous page is still being written. (The version check against what the
      // store has seen is made below, on a read taken under the lock.) What this sync's push
      // just wrote comes back here exactly as written: it is neither decrypted nor written again.
      const copies: Array<ServerCopy | null> = await Promise.all(
        page.items.map((r) => (isEcho(r, report.changed.get(r.id)) ? null : verify(r, undefined))),
      );
      const nextCursor = page.cursor;
      await writing;
      writing = locked(async () => {
        const put: RecordState[] = [];
        // Echoes are left as they are (an edit made since stays pending on top of the same
        // base), so only the others are read again under the lock.
        const fresh = page.items.filter((_, i) => copies[i] !== null);
        const freshStates = await store.getMany(fresh.map((r) => r.id));
        const stateOf = new Map(fresh.map((r, i) => [r.id, freshStates[i]]));
        for (const [i, r] of page.items.entries()) {
          report.pulled++;
          if (copies[i] === null) continue;
          const state = stateOf.get(r.id);
          let next: RecordState;
          if (state && r.version < state.maxSeen) {
            if (!report.reset) {
              throw new SyncError(
                'VERSION_ROLLBACK',
                `Record ${r.id} went back to v${r.version}.`,
                r.id,
              );
            }
            // A server that started over (restored from a backup) lacks writes we have seen.
            // Its older copy is not believed: ours is written back over it, as an edit based on
            // the version the server now has.
            const ours = state.pending
              ? await pendingBody(r.id, state.pending)
              : await bodyOf(r.id, state.base);
            next = {
              id: r.id,
              base: copies[i]!,
              pending: await makePending(r.id, r.version, ours),
              maxSeen: r.version,
            };
          } else {
            // A record with a pending edit keeps its base: the next push meets the server copy
            // as a conflict and merges against the right base.
            next = state?.pending
              ? { ...state, maxSeen: Math.max(state.maxSeen, r.version) }
              : {
                  id: r.id,
                  base: copies[i]!,
                  pending: null,
                  maxSeen: Math.max(state?.maxSeen ?? 0, r.version),
                };
          }
          put.push(next);
          report.changed.set(r.id, next);
        }
        await store.commit({ put, cursor: nextCursor });
        opts.onProgress?.(report);
      });
      // Awaited at the next page or below; until then a failure must not go unhandled.
      writing.catch(() => {});
      cursor = nextCursor;
      if (!page.hasMore) break;
    }
    await writing;
    if (report.reset)
      await locked(async () => {
        // Records the server no longer lists: a tombstone we knew of is forgotten; anything live
        // here is pushed again as new, so neither compaction nor a server that "forgets" a
        // record can make it vanish silently (a long-deleted item may come back instead).
        const put: RecordState[] = [];
        const remove: string[] = [];
        for (const r of await store.all()) {
          if (seen.has(r.id)) continue;
          const body = r.pending ? await pendingBody(r.id, r.pending) : await bodyOf(r.id, r.base);
          if (body === null) remove.push(r.id);
          else
            put.push({
              id: r.id,
              base: null,
              pending: await makePending(r.id, 0, body),
              maxSeen: 0, // it starts over at version 1 on the server
            });
        }
        for (const r of put) report.changed.set(r.id, r);
        for (const id of remove) report.changed.set(id, null);
        await store.commit({ put, delete: remove });
      });
  }

  return {
    /** How many local saves have started: unchanged across a sync means none came between. */
    get saves() {
      return saves;
    },

    /** Saves an item (or deletes it with null) locally; it is pushed by the next sync. */
    save(id: string, body: RecordBody | null): Promise<void> {
      return locked(async () => {
        saves++;
        const r = await store.get(id);
        if (!r && body === null) return;
        const baseVersion = r?.base?.version ?? 0;
        if (body === null && !r?.base) {
          await store.commit({ delete: [id] });
          return;
        }
        const validated = body === null ? null : parseRecordBody(body);
        await store.commit({
          put: [
            {
              id,
              base: r?.base ?? null,
              pending: await makePending(id, baseVersion, validated),
              maxSeen: r?.maxSeen ?? 0,
            },
          ],
        });
      });
    },

    /**
     * Saves many new or edited items in one store transaction (an import): all of them are
     * durable together, or none are. Bodies are validated first; one invalid body saves nothing.
     */
    saveMany(entries: Array<{ id: string; body: RecordBody }>): Promise<RecordState[]> {
      const validated = entries.map((e) => ({ id: e.id, body: parseRecordBody(e.body) }));
      return locked(async () => {
        saves++;
        const states = await store.getMany(validated.map((e) => e.id));
        const put = await Promise.all(
          validated.map(async (e, i) => {
            const r = states[i];
            const baseVersion = r?.base?.version ?? 0;
            return {
              id: e.id,
              base: r?.base ?? null,
              pending: await makePending(e.id, baseVersion, e.body),
              maxSeen: r?.maxSeen ?? 0,
            };
          }),
        );
        await store.commit({ put });
        return put;
      });
    },

    /** The current plaintext of every live record: pending edits over server copies. */
    read(): Promise<Map<string, RecordBody>> {
      return locked(async () => {
        const out = new Map<string, RecordBody>();
        for (const r of await store.all()) {
          const body = r.pending ? await pendingBody(r.id, r.pending) : await bodyOf(r.id, r.base);
          if (body) out.set(r.id, body);
        }
        return out;
      });
    },

    /** Push the outbox (merging conflicts), then pull, then push what the merges produced. */
    sync(): Promise<SyncReport> {
      return syncs(async () => {
        const report: SyncReport = {
          pushed: 0,
          merged: 0,
          pulled: 0,
          reset: false,
          changed: new Map(),
        };
        await push(report);
        await pull(report);
        await push(report);
        return report;
      });
    },

    /** Records (of `ids`, else all) whose newest ciphertext a retired account key sealed. */
    staleKeyIds(ids?: string[]): Promise<string[]> {
      return locked(async () => {
        const out: string[] = [];
        const states = ids ? await store.getMany(ids) : await store.all();
        for (const r of states) if (r && (await sealedByRetiredKey(r))) out.push(r.id);
        return out;
      });
    },

    /**
     * Re-encrypts these records with the current account key, as local edits of the same
     * content (a pending edit keeps its base), one batch per store transaction, so a crash
     * keeps every finished batch. The next sync pushes them.
     */
    async rekey(ids: string[], batch = 250, onBatch?: (done: number) => void): Promise<void> {
      let done = 0;
      for (let i = 0; i < ids.length; i += batch) {
        await locked(async () => {
          const chunk = ids.slice(i, i + batch);
          const states = await store.getMany(chunk);
          const put: RecordState[] = [];
          for (const r of states) {
            if (!r || !(await sealedByRetiredKey(r))) continue;
            const body = r.pending
              ? await pendingBody(r.id, r.pending)
              : await bodyOf(r.id, r.base);
            const baseVersion = r.pending ? r.pending.baseVersion : (r.base?.version ?? 0);
            put.push({ ...r, pending: await makePending(r.id, baseVersion, body) });
          }
          saves++;
          await store.commit({ put });
          done += chunk.length;
        });
        onBatch?.(done);
      }
    },

    async pendingCount(): Promise<number> {
      return (await store.outbox()).length;
    },
  };
}

export type SyncEngine = ReturnType<typeof createSyncEngine>;
