// The ports the client sync engine runs behind: a local store, a transport to the server and a
// clock. The engine is pure logic over these; Dexie, fetch and Date live in the adapters.
import type { PullInput, PullOutput, PushInput, PushOutput } from '../protocol/sync.ts';

/** A copy of a record as the server stored it (ciphertext as received). */
export interface ServerCopy {
  version: number;
  deleted: boolean;
  ct: Uint8Array | null;
}

/** A local edit waiting in the outbox, encrypted for version baseVersion + 1. */
export interface PendingEdit {
  baseVersion: number;
  deleted: boolean;
  ct: Uint8Array | null;
}

export interface RecordState {
  id: string;
  /** The last server copy this device has (the merge base of a pending edit). */
  base: ServerCopy | null;
  pending: PendingEdit | null;
  /** The highest version ever seen for this id: a lower one is refused (DESIGN §3). */
  maxSeen: number;
  /**
   * The edit last sent and not yet acknowledged. If its answer is lost and the server later
   * shows exactly these bytes, the write was ours: it becomes the merge base.
   */
  sent?: PendingEdit | null;
}

export interface StoreCommit {
  put?: RecordState[];
  delete?: string[];
  cursor?: number;
}

export interface LocalStore {
  get(id: string): Promise<RecordState | undefined>;
  /** Many at once, in the order asked (one transaction: a page of pulls is one read). */
  getMany(ids: string[]): Promise<Array<RecordState | undefined>>;
  all(): Promise<RecordState[]>;
  /** The outbox: records with a pending edit. */
  outbox(): Promise<RecordState[]>;
  cursor(): Promise<number>;
  /** Writes everything in ONE transaction: records, their outbox entries and the cursor. */
  commit(change: StoreCommit): Promise<void>;
}

export interface Transport {
  push(input: PushInput): Promise<PushOutput>;
  pull(input: PullInput): Promise<PullOutput>;
}
