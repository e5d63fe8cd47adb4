// Checkpoints: after a sync, a device seals the set hash of every live copy it believes, with its
// cursor, into a record of its own (one per device, so writers never conflict). Another device
// that has synced up to that cursor, with nothing newer since and no edit of its own waiting,
// must hold the very same set: if its hash differs, the server is hiding records from one of
// the two, or showing one of them older copies (a rollback, a dropped tombstone, a swapped
// version). What it cannot see: a server that shows one device a whole world of its own and
// never lets the others' checkpoints reach it (a fork kept apart forever).
import { fromBase64url, own, toBase64url, utf8 } from '../crypto/bytes.ts';
import { sameSetHash } from '../crypto/set-hash.ts';
import type { WireRecord } from '../protocol/sync.ts';
import type { EngineContext } from './engine-context.ts';
import { judgeCopy } from './judge-copy.ts';
import type { CheckpointState, IntegrityState, QuarantineReason, SyncMeta } from './ports.ts';
import { type OpenedCopy, tagOf } from './record-codec.ts';

const tagOfWire = (ct: string) => {
  try {
    return tagOf(fromBase64url(ct));
  } catch {
    return '';
  }
};

import type { SyncReport } from './sync-report.ts';

/** The record id of a device's checkpoint: a UUID (v8) named by the account and the device. */
export async function checkpointIdOf(userId: string, deviceId: string): Promise<string> {
  const d = new Uint8Array(
    await crypto.subtle.digest('SHA-256', own(utf8(`cofre/v1/checkpoint|${userId}|${deviceId}`))),
  ).subarray(0, 16);
  d[6] = (d[6]! & 0x0f) | 0x80;
  d[8] = (d[8]! & 0x3f) | 0x80;
  const hex = [...d].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export type CheckpointVerdict =
  | { kind: 'newer'; state: CheckpointState }
  | { kind: 'same' }
  | { kind: 'stale' }
  | { kind: 'refuse'; reason: QuarantineReason };

/** A pulled checkpoint copy, judged like any record against the one last believed. */
export function judgeCheckpoint(
  known: CheckpointState | undefined,
  wire: WireRecord,
  o: OpenedCopy,
): CheckpointVerdict {
  // The very bytes this device holds: believed again without a key (see judge-copy.ts).
  if (known && wire.ct && wire.version === known.version && tagOfWire(wire.ct) === known.tag)
    return { kind: 'same' };
  if (!o.ok || !o.opened.checkpoint)
    return { kind: 'refuse', reason: o.ok ? 'INVALID_ITEM' : o.reason };
  const j = judgeCopy(wire, o, known && { base: null, seen: { rev: known.rev, tag: known.tag } });
  if (j.kind === 'refuse' || j.kind === 'stale') return j;
  const id = wire.id;
  const body = o.opened.checkpoint;
  return {
    kind: 'newer',
    state: {
      id,
      version: o.copy.version,
      rev: o.copy.rev,
      tag: o.tag,
      device: body.device,
      cursor: body.cursor,
      count: body.count,
      hash: fromBase64url(body.hash),
      at: body.at,
    },
  };
}

/**
 * This device's set against every other device's checkpoint it can compare with: one that covers
 * everything this device holds (its cursor is at least our newest copy's seq) and that this
 * device has synced past. Null when none can be compared now (the last verdict stands).
 */
export function compareCheckpoints(
  meta: SyncMeta,
  cursor: number,
  deviceId: string,
  now: string,
): IntegrityState | null {
  let verdict: IntegrityState | null = null;
  for (const c of Object.values(meta.checkpoints)) {
    if (c.device === deviceId || c.cursor < meta.maxSeq || cursor < c.cursor) continue;
    const match = sameSetHash(c.hash, meta.setHash);
    const v: IntegrityState = {
      status: match ? 'ok' : 'mismatch',
      device: c.device,
      at: c.at,
      theirs: c.count,
      ours: meta.liveCount,
      checkedAt: now,
      against: `${c.id}@${c.version}`,
      ...(meta.integrity.rechecked ? { rechecked: meta.integrity.rechecked } : {}),
    };
    if (!verdict || (!match && verdict.status === 'ok')) verdict = v;
  }
  return verdict;
}

/**
 * After a sync that left nothing waiting: compares with the others' checkpoints, then writes
 * this device's own when the set moved since the last one and `intervalMs` has passed. A failed
 * write waits for the next sync; it never fails this one.
 */
export async function checkpointAfterSync(
  ctx: EngineContext,
  report: SyncReport,
  ownId: string,
  intervalMs: number,
) {
  const { store } = ctx;
  if ((await store.outbox()).length > 0) {
    report.integrity = (await ctx.meta()).integrity;
    return;
  }
  const cursor = await store.cursor();
  await ctx.locked(async () => {
    const meta = await ctx.meta();
    const verdict = compareCheckpoints(meta, cursor, ctx.deviceId, ctx.now());
    if (verdict) await ctx.commit({ updateMeta: (m) => ({ ...m, integrity: verdict }) });
  });
  const meta = await ctx.meta();
  report.integrity = meta.integrity;
  await resealRetired(ctx, meta, ownId);
  const mine = meta.checkpoints[ownId];
  const moved =
    !mine ||
    mine.version === 0 ||
    mine.cursor < meta.maxSeq ||
    !sameSetHash(mine.hash, meta.setHash);
  const due = !mine || Date.parse(ctx.now()) - Date.parse(mine.at) >= intervalMs;
  if (!moved || !due || (await store.quarantined()).length > 0) return;
  const at = ctx.now();
  const rev = (mine?.rev ?? 0) + 1;
  const baseVersion = mine?.version ?? 0;
  const body = {
    device: ctx.deviceId,
    cursor,
    count: meta.liveCount,
    hash: toBase64url(meta.setHash),
    at,
  };
  const ct = await ctx.codec.sealCheckpoint(ownId, baseVersion + 1, rev, body);
  const answer = await ctx.transport
    .push({
      deviceId: ctx.deviceId,
      items: [{ id: ownId, baseVersion, deleted: false, ct: toBase64url(ct) }],
    })
    .catch(() => null);
  const applied = answer?.applied?.find((a) => a.id === ownId);
  const conflict = answer?.conflicts?.find((c) => c.id === ownId);
  await ctx.locked(async () => {
    if (applied && applied.version === baseVersion + 1) {
      const state: CheckpointState = {
        id: ownId,
        version: applied.version,
        rev,
        tag: toBase64url(ct.subarray(ct.length - 16)),
        ...body,
        hash: meta.setHash,
        generation: ctx.keyGeneration,
      };
      await ctx.commit({
        updateMeta: (m) => ({ ...m, checkpoints: { ...m.checkpoints, [ownId]: state } }),
      });
    } else if (conflict) {
      // Our record moved without us (a lost answer, a restore): take its version, write again
      // at the next sync. A copy that does not open as our own checkpoint is not believed.
      const o = await ctx.codec.openServer(conflict);
      const ownCopy = o.ok && o.opened.checkpoint?.device === ctx.deviceId;
      const version = conflict.version === 0 ? 0 : ownCopy ? conflict.version : null;
      if (version === null) return;
      const base: CheckpointState = mine ?? {
        ...body,
        id: ownId,
        rev: 0,
        tag: '',
        hash: meta.setHash,
        version,
      };
      await ctx.commit({
        updateMeta: (m) => ({
          ...m,
          checkpoints: {
            ...m.checkpoints,
            [ownId]: {
              ...base,
              version,
              rev: Math.max(base.rev, o.ok ? o.copy.rev : 0),
              at: '1970-01-01T00:00:00.000Z',
            },
          },
        }),
      });
    }
  });
}

/**
 * After a rotation, other devices' checkpoints are still sealed by the retired key, which no
 * device will believe again from the server (a new device would set them aside for good, e.g. a
 * lost laptop's). This device holds them and seals each again, as it re-encrypts its records; a
 * conflict means the owner wrote meanwhile, and its own copy is pulled instead.
 */
async function resealRetired(ctx: EngineContext, meta: SyncMeta, ownId: string) {
  const stale = Object.values(meta.checkpoints).filter(
    (c) => c.id !== ownId && c.version > 0 && (c.generation ?? 1) < ctx.keyGeneration,
  );
  if (stale.length === 0) return;
  const sealed = await Promise.all(
    stale.map(async (c) => {
      const body = {
        device: c.device,
        cursor: c.cursor,
        count: c.count,
        hash: toBase64url(c.hash),
        at: c.at,
      };
      return { c, ct: await ctx.codec.sealCheckpoint(c.id, c.version + 1, c.rev + 1, body) };
    }),
  );
  const answer = await ctx.transport
    .push({
      deviceId: ctx.deviceId,
      items: sealed.map(({ c, ct }) => ({
        id: c.id,
        baseVersion: c.version,
        deleted: false,
        ct: toBase64url(ct),
      })),
    })
    .catch(() => null);
  if (!answer) return;
  const applied = new Map(answer.applied.map((a) => [a.id, a]));
  await ctx.locked(() =>
    ctx.commit({
      updateMeta: (m) => {
        const checkpoints = { ...m.checkpoints };
        for (const { c, ct } of sealed) {
          const a = applied.get(c.id);
          checkpoints[c.id] = a
            ? {
                ...c,
                version: a.version,
                rev: c.rev + 1,
                tag: toBase64url(ct.subarray(ct.length - 16)),
                generation: ctx.keyGeneration,
              }
            : { ...c, generation: ctx.keyGeneration };
        }
        return { ...m, checkpoints };
      },
    }),
  );
}
