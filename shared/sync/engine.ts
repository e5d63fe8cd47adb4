// The client sync engine (DESIGN §3): edits go to the local store and its outbox at once; a sync
// pushes the outbox (push.ts), pulls by cursor (pull.ts, reset.ts), pushes what the merges made,
// then compares and writes checkpoints (checkpoint.ts). Where a server answer is believed:
// check-answer.ts (shape and bounds), record-codec.ts (it opens with the current key),
// judge-copy.ts (it is not older than, nor a twin of, what this device has seen).
import { parseRecordBody, type RecordBody } from '../model/item.ts';
import { LIMITS } from '../protocol/sync.ts';
import { editOf } from './apply-copy.ts';
import { boundTransport } from './bounded-transport.ts';
import { checkpointIdOf } from './checkpoint.ts';
import { createMetaKeeper, createQueue, type EngineContext } from './engine-context.ts';
import type {
  IntegrityState,
  LocalStore,
  QuarantineEntry,
  RecordState,
  Transport,
} from './ports.ts';
import { pullChanges } from './pull.ts';
import { pushOutbox, pushParts } from './push.ts';
import { createRecordCodec } from './record-codec.ts';
import { newReport, type SyncReport } from './sync-report.ts';
import { checkpointAfterSync } from './write-checkpoint.ts';

export type { SyncReport } from './sync-report.ts';

export interface EngineOptions {
  store: LocalStore;
  transport: Transport;
  userId: string;
  deviceId: string;
  /** A shared vault's id: the engine syncs that scope (its records name it on the wire). */
  vaultId?: string;
  accountKey: CryptoKey;
  /** Account keys earlier rotations retired, newest first: they open this device's old copies. */
  retiredKeys?: readonly CryptoKey[];
  /** The generation of `accountKey` (default 1): checkpoints sealed under an older one are sealed again. */
  keyGeneration?: number;
  /** ISO-8601 now; injectable for tests. */
  now?: () => string;
  pageSize?: number;
  /** How long one request may take before the sync ends with TIMEOUT (default 30 s). */
  requestTimeoutMs?: number;
  /** How often at most this device writes its checkpoint (default 60 s). */
  checkpointIntervalMs?: number;
  /**
   * Whether this device seals and compares checkpoints in this scope (default true). A shared
   * vault's engine runs without: a viewer cannot write one (SHARING.md; README says so).
   */
  checkpoints?: boolean;
  /**
   * Whether a server copy sealed by a retired key is believed (default false: a retired key may
   * have leaked). A shared vault's members keep older generations to open records a rotation
   * has not re-encrypted yet (SHARING.md §6).
   */
  believeRetired?: boolean;
  /** Each server copy that passed verification, with its plaintext (for a local index). */
  onVerified?: (ct: Uint8Array, body: RecordBody) => void;
  /** Called after each pulled page is stored: a first sync of a large vault shows progress. */
  onProgress?: (report: SyncReport) => void;
  /**
   * Called once the outbox was pushed and the answers stored, before the pull: what was waiting
   * is acknowledged now, not when the whole sync ends.
   */
  onPushed?: (report: SyncReport) => void;
}

export function createSyncEngine(opts: EngineOptions) {
  const { store, userId, deviceId } = opts;
  const now = opts.now ?? (() => new Date().toISOString());
  const codec = createRecordCodec({
    userId,
    accountKey: opts.accountKey,
    retiredKeys: opts.retiredKeys,
    believeRetired: opts.believeRetired,
    onVerified: opts.onVerified,
  });
  // `locked` for short read-modify-write sections of the store, `syncs` so one sync runs at a
  // time. Network calls happen outside `locked`, so an edit never waits for the network.
  const locked = createQueue();
  const syncs = createQueue();
  const meta = createMetaKeeper(store);
  const ctx: EngineContext = {
    store,
    transport: boundTransport(opts.transport, opts.requestTimeoutMs ?? 30_000),
    codec,
    userId,
    deviceId,
    vaultId: opts.vaultId,
    keyGeneration: opts.keyGeneration ?? 1,
    now,
    pageSize: opts.pageSize ?? LIMITS.pullLimit,
    locked,
    meta: () => meta.get(),
    commit: (change) => meta.commit(change),
    onProgress: opts.onProgress,
    saves: () => saves,
  };
  const ownCheckpoint = checkpointIdOf(userId, deviceId);
  /** Counts local saves, so a reader of a sync's report can tell whether one came between. */
  let saves = 0;

  const bodyOf = (r: RecordState) =>
    r.pending ? codec.pendingBody(r.id, r.pending) : codec.bodyOf(r.id, r.base);

  const engine = {
    /** How many local saves have started: unchanged across a sync means none came between. */
    get saves() {
      return saves;
    },

    /**
     * Saves an item (or deletes it with null) locally; it is pushed by the next sync. Resolves
     * with the state written, or null when the record is gone.
     */
    save(id: string, body: RecordBody | null): Promise<RecordState | null> {
      return locked(async () => {
        saves++;
        const r = await store.get(id);
        if (!r && body === null) return null;
        if (body === null && !r?.base) {
          await store.commit({ delete: [id] });
          return null;
        }
        const state = await editOf(ctx, id, r, body === null ? null : parseRecordBody(body));
        await ctx.commit({ put: [state], before: new Map([[id, r]]) });
        return state;
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
          validated.map((e, i) => editOf(ctx, e.id, states[i], e.body)),
        );
        await ctx.commit({ put, before: new Map(validated.map((e, i) => [e.id, states[i]])) });
        return put;
      });
    },

    /** The current plaintext of every live record: pending edits over server copies. */
    read(): Promise<Map<string, RecordBody>> {
      return locked(async () => {
        const out = new Map<string, RecordBody>();
        const all = await store.all();
        const bodies = await Promise.all(all.map(bodyOf));
        for (const [i, r] of all.entries()) if (bodies[i]) out.set(r.id, bodies[i]);
        return out;
      });
    },

    /** The current plaintext of one record (its pending edit over its server copy), or null. */
    get(id: string): Promise<RecordBody | null> {
      return locked(async () => {
        const r = await store.get(id);
        return r ? bodyOf(r) : null;
      });
    },

    /** Push the outbox (merging conflicts), then pull, then push what the merges produced. */
    sync(): Promise<SyncReport> {
      return syncs(async () => {
        const report = newReport();
        const interval = opts.checkpointIntervalMs ?? 60_000;
        await pushOutbox(ctx, report);
        opts.onPushed?.(report);
        await pullChanges(ctx, report);
        await pushOutbox(ctx, report);
        if (opts.checkpoints === false) return report;
        await checkpointAfterSync(ctx, report, await ownCheckpoint, interval);
        // Another device's checkpoint disagrees with this vault: the server hid records from one
        // of the two (a forged cursor skips them for good). Pull everything once, from zero: an
        // honest server now repairs the view, a hostile one leaves the alarm standing.
        const i = report.integrity;
        if (i.status === 'mismatch' && i.against && i.rechecked !== i.against) {
          await pullChanges(ctx, report, 0);
          await pushOutbox(ctx, report);
          await locked(() =>
            ctx.commit({
              updateMeta: (m) => ({ ...m, integrity: { ...m.integrity, rechecked: i.against } }),
            }),
          );
          await checkpointAfterSync(ctx, report, await ownCheckpoint, interval);
        }
        return report;
      });
    },

    /** Server copies set aside because they failed their check (this device kept its own). */
    quarantined(): Promise<QuarantineEntry[]> {
      return store.quarantined();
    },

    /** The last comparison of this device's vault with another device's sealed checkpoint. */
    async integrity(): Promise<IntegrityState> {
      return (await meta.get()).integrity;
    },

    /** Records (of `ids`, else all) whose newest ciphertext a retired account key sealed. */
    staleKeyIds(ids?: string[]): Promise<string[]> {
      return locked(async () => {
        const states = ids ? await store.getMany(ids) : await store.all();
        const stale = await Promise.all(
          states.map((r) => (r ? codec.sealedByRetiredKey(r) : false)),
        );
        return states.filter((r, i) => r && stale[i]).map((r) => r!.id);
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
          // The batch's records in parallel: WebCrypto spreads them over its threads.
          const made = await Promise.all(
            states.map(async (r) =>
              r && (await codec.sealedByRetiredKey(r))
                ? ([r, await editOf(ctx, r.id, r, await bodyOf(r))] as const)
                : null,
            ),
          );
          const put: RecordState[] = [];
          const before = new Map<string, RecordState | undefined>();
          for (const m of made) {
            if (!m) continue;
            before.set(m[0].id, m[0]);
            put.push(m[1]);
          }
          saves++;
          await ctx.commit({ put, before });
          done += chunk.length;
        });
        onBatch?.(done);
      }
    },

    /**
     * The bodies of the pending edits (null: a delete), for an edit the server refused for good
     * (a role lost in a shared vault) to be kept elsewhere before `discardPending`.
     */
    pendingEdits(): Promise<Array<{ id: string; body: RecordBody | null }>> {
      return locked(async () => {
        const out: Array<{ id: string; body: RecordBody | null }> = [];
        for (const r of await store.outbox())
          out.push({ id: r.id, body: await codec.pendingBody(r.id, r.pending!) });
        return out;
      });
    },

    /** Drops these records' pending edits: each goes back to its server copy (or away if new). */
    discardPending(ids: string[]): Promise<void> {
      return locked(async () => {
        saves++;
        const states = await store.getMany(ids);
        const put: RecordState[] = [];
        const gone: string[] = [];
        const before = new Map<string, RecordState | undefined>();
        for (const r of states) {
          if (!r?.pending) continue;
          before.set(r.id, r);
          if (r.base) put.push({ ...r, pending: null, sent: null });
          else gone.push(r.id);
        }
        await ctx.commit({ put, before, delete: gone });
      });
    },

    async pendingCount(): Promise<number> {
      return store.outboxSize ? store.outboxSize() : (await store.outbox()).length;
    },
  };
  contexts.set(engine, { ctx, syncs });
  return engine;
}

export type SyncEngine = ReturnType<typeof createSyncEngine>;

const contexts = new WeakMap<
  object,
  { ctx: EngineContext; syncs: ReturnType<typeof createQueue> }
>();

/**
 * Pushes these records of several engines (scopes) in ONE push, so the server applies them in
 * one transaction: a move between vaults is never half done. Each engine's sync queue is held
 * meanwhile. Conflicts are merged into each engine's outbox, which its next sync pushes.
 */
export async function pushTogether(parts: Array<{ engine: SyncEngine; ids: string[] }>) {
  const held = parts.map((p) => {
    const c = contexts.get(p.engine);
    if (!c) throw new Error('pushTogether: not an engine');
    return c;
  });
  const report = newReport();
  const run = async (i: number): Promise<void> => {
    if (i < held.length) return held[i]!.syncs(() => run(i + 1));
    const batches = await Promise.all(
      parts.map(async (p, j) =>
        (await held[j]!.ctx.store.getMany(p.ids)).filter((r): r is RecordState => !!r?.pending),
      ),
    );
    await pushParts(
      held[0]!.ctx.transport,
      held.map((h, j) => ({ ctx: h.ctx, report, batch: batches[j]! })),
    );
  };
  await run(0);
  return report;
}
