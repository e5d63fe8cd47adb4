// Whether a copy the server sent is believed: the one place where a server answer about one
// record becomes a decision. Pure: the copy has been opened (or failed to) before this runs.
//
// | the copy                                                   | judgement                   |
// | ---------------------------------------------------------- | --------------------------- |
// | exactly the base this device holds (the very bytes)        | same (nothing to do)        |
// | did not open with the current key, or is not a record      | refuse (the reason)         |
// | a revision below the highest this device has seen          | stale: keep ours, send ours |
// | the highest revision seen, other bytes, a lower version     | stale (an older history)    |
// | the highest revision seen, with other bytes                | refuse EQUIVOCATION         |
// | otherwise (a newer revision, or the very copy seen)        | newer: believed             |
//
// Revisions live inside the ciphertext, so this holds across a server that restarts its version
// numbers: an older genuine copy served after a reset, a restore or as a push conflict is never
// believed over a newer one. Two writes made from the same knowledge carry the same revision
// (record-frame.ts), so a concurrent edit that lost, served to a device holding the winner, is
// the same revision with other bytes: refused.
import { toBase64url } from '../crypto/bytes.ts';
import type { WireRecord } from '../protocol/sync.ts';
import type { QuarantineReason, RecordState } from './ports.ts';
import type { OpenedCopy } from './record-codec.ts';

const sameBytes = (wire: string | null, held: Uint8Array | null) =>
  wire === null || held === null ? wire === held : wire === toBase64url(held);

export type Judgement =
  | { kind: 'same' }
  | { kind: 'newer' }
  | { kind: 'stale' }
  | { kind: 'refuse'; reason: QuarantineReason };

export function judgeCopy(
  wire: Pick<WireRecord, 'version' | 'deleted' | 'ct'>,
  incoming: OpenedCopy,
  state: Pick<RecordState, 'base' | 'seen'> | undefined,
): Judgement {
  // Bytes this device already holds need no key to be believed again (after a rotation, this
  // device's own copies come back sealed by the retired key, and are still what it has).
  const base = state?.base;
  if (
    base &&
    wire.version === base.version &&
    wire.deleted === base.deleted &&
    sameBytes(wire.ct, base.ct)
  )
    return { kind: 'same' };
  if (!incoming.ok) return { kind: 'refuse', reason: incoming.reason };
  const { copy, tag } = incoming;
  const seen = state?.seen;
  if (seen && copy.rev < seen.rev) return { kind: 'stale' };
  if (seen && copy.rev === seen.rev && tag !== seen.tag) {
    // Sealed for a lower version than the copy held (the version is in its associated data),
    // it is another write made in an older history — after a compaction or a restore a device
    // writes again what the server no longer lists — not a second face of this one: ours answers.
    if (base && copy.version < base.version) return { kind: 'stale' };
    return { kind: 'refuse', reason: 'EQUIVOCATION' };
  }
  return { kind: 'newer' };
}
