// After a reset (the server started this device over from zero): records the server no longer
// lists. Nothing is forgotten: a live record is written again as new, so neither compaction nor
// a server that "forgets" a record makes it vanish silently, and a record this device knew as
// deleted stays known as deleted (with the revision it had), so an older copy served later is
// never believed. This device's own checkpoint is written again from version 0.
import { nextRev } from './apply-copy.ts';
import type { EngineContext } from './engine-context.ts';
import type { RecordState } from './ports.ts';
import type { SyncReport } from './sync-report.ts';

export async function afterReset(ctx: EngineContext, report: SyncReport, listed: Set<string>) {
  const { codec } = ctx;
  const put: RecordState[] = [];
  const before = new Map<string, RecordState | undefined>();
  for (const r of await ctx.store.all()) {
    if (listed.has(r.id)) continue;
    const body = r.pending
      ? await codec.pendingBody(r.id, r.pending)
      : await codec.bodyOf(r.id, r.base);
    if (body === null && !r.pending) continue;
    before.set(r.id, r);
    const next: RecordState = {
      ...r,
      sent: null,
      pending: await codec.makePending(r.id, 0, nextRev(r), body),
    };
    put.push(next);
    report.changed.set(r.id, next);
  }
  await ctx.commit({
    put,
    before,
    updateMeta: (m) => {
      const checkpoints = { ...m.checkpoints };
      for (const [id, c] of Object.entries(checkpoints))
        if (c.device === ctx.deviceId && !listed.has(id)) checkpoints[id] = { ...c, version: 0 };
      return { ...m, checkpoints };
    },
  });
}
