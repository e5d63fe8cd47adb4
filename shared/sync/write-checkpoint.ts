// Writing checkpoints (checkpoint.ts says what they are and how they are compared): after a sync
// that left nothing waiting, compare with the others', then seal this device's own when its set
// moved; after a rotation, seal again the others' that the retired key sealed.
import { toBase64url } from '../crypto/bytes.ts';
import { sameSetHash } from '../crypto/set-hash.ts';
import { compareCheckpoints } from './checkpoint.ts';
import type { EngineContext } from './engine-context.ts';
import type { CheckpointState, SyncMeta } from './ports.ts';
import { tagOf } from './record-codec.ts';
import type { SyncReport } from './sync-report.ts';

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
        tag: tagOf(ct),
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
              // Due at once: the next sync writes it again on that version.
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
                tag: tagOf(ct),
                generation: ctx.keyGeneration,
              }
            : { ...c, generation: ctx.keyGeneration };
        }
        return { ...m, checkpoints };
      },
    }),
  );
}
