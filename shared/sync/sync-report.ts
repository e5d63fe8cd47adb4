// What one sync did, for the worker's status and index.
import type { IntegrityState, RecordState } from './ports.ts';

export interface SyncReport {
  pushed: number;
  merged: number;
  pulled: number;
  reset: boolean;
  /**
   * The records this sync rewrote in the store (pushed, merged, pulled, reset), each with the
   * state it left (null: removed). A save made during the sync may have replaced one since.
   */
  changed: Map<string, RecordState | null>;
  /** Server copies that failed verification in this sync and were set aside. */
  refused: number;
  /** Server copies older than this device had seen, answered by writing this device's back. */
  stale: number;
  /** Ids whose server copy was set aside: not pushed again in this sync. */
  setAside: Set<string>;
  /** The last comparison with another device's sealed checkpoint. */
  integrity: IntegrityState;
}

export const newReport = (): SyncReport => ({
  pushed: 0,
  merged: 0,
  pulled: 0,
  reset: false,
  changed: new Map(),
  refused: 0,
  stale: 0,
  setAside: new Set(),
  integrity: { status: 'unchecked' },
});
