// The ports the client sync engine runs behind: a local store, a transport to the server and a
// clock. The engine is pure logic over these; Dexie, fetch and Date live in the adapters.
import type { PullInput, PullOutput, PushInput, PushOutput } from '../protocol/sync.ts';

/** A copy of a record as the server stored it (ciphertext as received), once believed. */
export interface ServerCopy {
  version: number;
  deleted: boolean;
  ct: Uint8Array | null;
  /** The revision inside the ciphertext (record-frame.ts). */
  rev: number;
  /** The server's sequence number of this copy (0 when not known). */
  seq: number;
}

/** A local edit waiting in the outbox, encrypted for version baseVersion + 1. */
export interface PendingEdit {
  baseVersion: number;
  deleted: boolean;
  ct: Uint8Array | null;
  rev: number;
}

/** The newest copy this device ever believed from the server for an id (DESIGN §3). */
export interface Seen {
  rev: number;
  /** The copy's GCM tag (base64url): the same revision with other bytes is refused. */
  tag: string;
}

export interface RecordState {
  id: string;
  /** The last server copy this device believes (the merge base of a pending edit). */
  base: ServerCopy | null;
  pending: PendingEdit | null;
  /**
   * What this device has seen: it survives resets, re-sign-ins and restarts, and a copy of a
   * lower revision is never believed again.
   */
  seen: Seen | null;
  /**
   * The edit last sent and not yet acknowledged. If its answer is lost and the server later
   * shows exactly these bytes, the write was ours: it becomes the merge base.
   */
  sent?: PendingEdit | null;
}

export type QuarantineReason =
  /** Does not open with the account key: forged, altered, swapped or replayed elsewhere. */
  | 'TAMPERED'
  /** Opens only with a key a rotation retired, and this device did not already hold it. */
  | 'RETIRED_KEY'
  /** A deletion without a valid seal, or a live record's ciphertext served as deleted. */
  | 'UNSEALED_TOMBSTONE'
  /** The same revision or version as a copy already seen, with other bytes. */
  | 'EQUIVOCATION'
  /** Opened, but is not a valid record (or changed kind: an item served as a checkpoint). */
  | 'INVALID_ITEM';

/** A server copy that failed verification, set aside; the device keeps its own copy. */
export interface QuarantineEntry {
  id: string;
  version: number;
  seq: number;
  reason: QuarantineReason;
  at: string;
}

/** A device's sealed statement of the set of records it holds (checkpoint.ts). */
export interface CheckpointState {
  /** The record id the checkpoint is kept under. */
  id: string;
  /** The server copy last believed (or, for ours, written). */
  version: number;
  rev: number;
  tag: string;
  device: string;
  cursor: number;
  count: number;
  hash: Uint8Array;
  at: string;
  /**
   * The account key generation this device held when it believed (or wrote) this copy: one
   * below the current means a rotation retired its key, and this device seals it again.
   */
  generation?: number;
}

/** The verdict of the last comparison with another device's checkpoint. */
export interface IntegrityState {
  status: 'unchecked' | 'ok' | 'mismatch';
  /** The checkpoint compared against: whose, when sealed, its count and ours. */
  device?: string;
  at?: string;
  theirs?: number;
  ours?: number;
  checkedAt?: string;
  /** The checkpoint (id@version) compared against. */
  against?: string;
  /** The mismatch this device already answered with a full pull from zero (see engine.ts). */
  rechecked?: string;
}

/** The engine's bookkeeping, committed with the records it describes. */
export interface SyncMeta {
  /** The set hash of every live believed copy (set-hash.ts). */
  setHash: Uint8Array;
  liveCount: number;
  /** The highest seq of any believed copy of an item (a checkpoint older than it cannot be compared). */
  maxSeq: number;
  /** Checkpoints by record id: this device's own and every other device's. */
  checkpoints: Record<string, CheckpointState>;
  integrity: IntegrityState;
}

export interface StoreCommit {
  put?: RecordState[];
  delete?: string[];
  cursor?: number;
  meta?: SyncMeta;
  quarantine?: { put?: QuarantineEntry[]; delete?: string[] };
}

export interface LocalStore {
  get(id: string): Promise<RecordState | undefined>;
  /** Many at once, in the order asked (one transaction: a page of pulls is one read). */
  getMany(ids: string[]): Promise<Array<RecordState | undefined>>;
  all(): Promise<RecordState[]>;
  /** The outbox: records with a pending edit. */
  outbox(): Promise<RecordState[]>;
  /** How many records the outbox holds, where the store can count without reading them. */
  outboxSize?(): Promise<number>;
  /** Whether the store holds no record, where the store can tell without reading them. */
  isEmpty?(): Promise<boolean>;
  cursor(): Promise<number>;
  /** The engine's bookkeeping; null in a store the engine has not written yet. */
  meta(): Promise<SyncMeta | null>;
  quarantined(): Promise<QuarantineEntry[]>;
  /** Writes everything in ONE transaction: records, outbox entries, cursor, meta, quarantine. */
  commit(change: StoreCommit): Promise<void>;
}

export interface Transport {
  push(input: PushInput): Promise<PushOutput>;
  pull(input: PullInput): Promise<PullOutput>;
}
