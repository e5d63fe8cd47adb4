// Checkpoints: after a sync, a device seals the set hash of every live copy it believes, with its
// cursor, into a record of its own (one per device, so writers never conflict). Another device
// that has synced up to that cursor, with nothing newer since and no edit of its own waiting,
// must hold the very same set: if its hash differs, the server is hiding records from one of
// the two, or showing one of them older copies (a rollback, a dropped tombstone, a swapped
// version). What it cannot see: a server that shows one device a whole world of its own and
// never lets the others' checkpoints reach it (a fork kept apart forever).
import { fromBase64url, own, utf8 } from '../crypto/bytes.ts';
import { sameSetHash } from '../crypto/set-hash.ts';
import type { WireRecord } from '../protocol/sync.ts';
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
