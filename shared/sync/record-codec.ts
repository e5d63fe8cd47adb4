// Record plaintexts ⇄ ciphertexts for one account. Local copies (this device's own store) open
// with any key the device holds; a copy from the server is believed only if it opens with the
// CURRENT account key (a key a rotation retired may have leaked: it opens what this device
// already held, never a new copy), as the kind of record its `deleted` flag says.
import { fromBase64url, fromUtf8, toBase64url, utf8 } from '../crypto/bytes.ts';
import { CryptoError } from '../crypto/errors.ts';
import {
  decryptRecord,
  encryptRecord,
  isSealedBy,
  openTombstone,
  type RecordPlace,
  sealTombstone,
} from '../crypto/record-cipher.ts';
import { ModelError, parseRecordBody, type RecordBody } from '../model/item.ts';
import type { WireRecord } from '../protocol/sync.ts';
import { type CheckpointBody, checkpointBodySchema } from './checkpoint-body.ts';
import { SyncError } from './errors.ts';
import type { PendingEdit, QuarantineReason, RecordState, ServerCopy } from './ports.ts';
import { decodeFrame, encodeFrame, type RecordKind } from './record-frame.ts';

/** A ciphertext's GCM tag: unique per encryption, so it names the exact bytes. */
export const tagOf = (ct: Uint8Array | null): string =>
  ct ? toBase64url(ct.subarray(ct.length - 16)) : '-';

export interface Opened {
  kind: RecordKind;
  rev: number;
  /** An item's body (kind item), else null. */
  body: RecordBody | null;
  /** A checkpoint's body (kind checkpoint), else null. */
  checkpoint: CheckpointBody | null;
}

export type OpenedCopy =
  | { ok: true; opened: Opened; copy: ServerCopy; tag: string }
  | { ok: false; reason: QuarantineReason };

export function createRecordCodec(opts: {
  userId: string;
  accountKey: CryptoKey;
  /** Account keys earlier rotations retired, newest first: they open this device's old copies. */
  retiredKeys?: readonly CryptoKey[];
  /** Believe a server copy sealed by a retired key (a shared vault's older generations). */
  believeRetired?: boolean;
  /** Told each server copy that passed verification, with its body, so no one decrypts it twice. */
  onVerified?: (ct: Uint8Array, body: RecordBody) => void;
}) {
  const { userId, accountKey } = opts;
  const ring = [accountKey, ...(opts.retiredKeys ?? [])];
  const place = (recordId: string, version: number): RecordPlace => ({
    userId,
    recordId,
    version,
  });

  /** Opens with `keys`; a CryptoError means "not sealed by these keys for this place". */
  async function openWith(
    keys: readonly CryptoKey[],
    id: string,
    version: number,
    deleted: boolean,
    ct: Uint8Array,
  ): Promise<Opened> {
    const plain = deleted
      ? await openTombstone(keys, place(id, version), ct)
      : await decryptRecord(keys, place(id, version), ct);
    const frame = decodeFrame(plain, id);
    if ((frame.kind === 'tombstone') !== deleted)
      throw new SyncError('INVALID_ITEM', `Record ${id} is sealed as another kind.`, id);
    if (frame.kind === 'tombstone')
      return { kind: 'tombstone', rev: frame.rev, body: null, checkpoint: null };
    let json: unknown;
    try {
      json = JSON.parse(fromUtf8(frame.payload));
    } catch {
      throw new SyncError('INVALID_ITEM', `Record ${id} is not valid JSON.`, id);
    }
    if (frame.kind === 'checkpoint') {
      const parsed = checkpointBodySchema.safeParse(json);
      if (!parsed.success)
        throw new SyncError('INVALID_ITEM', `Record ${id} is not a checkpoint.`, id);
      return { kind: 'checkpoint', rev: frame.rev, body: null, checkpoint: parsed.data };
    }
    try {
      return { kind: 'item', rev: frame.rev, body: parseRecordBody(json), checkpoint: null };
    } catch (cause) {
      throw new SyncError('INVALID_ITEM', `Record ${id} is not a valid item.`, id, {
        cause: cause instanceof ModelError ? cause : undefined,
      });
    }
  }

  /** A local copy: it opened once on this device, so failing now is corruption, not an attack. */
  async function openLocal(id: string, version: number, deleted: boolean, ct: Uint8Array) {
    try {
      return await openWith(ring, id, version, deleted, ct);
    } catch (cause) {
      if (!(cause instanceof CryptoError)) throw cause;
      throw new SyncError('TAMPERED_RECORD', `Record ${id} v${version} failed to decrypt.`, id, {
        cause,
      });
    }
  }

  const seal = async (
    id: string,
    version: number,
    kind: RecordKind,
    rev: number,
    payload: unknown,
  ) => {
    const frame = encodeFrame({
      kind,
      rev,
      payload: kind === 'tombstone' ? new Uint8Array(0) : utf8(JSON.stringify(payload)),
    });
    return kind === 'tombstone'
      ? sealTombstone(accountKey, place(id, version), frame)
      : encryptRecord(accountKey, place(id, version), frame);
  };

  return {
    /** The body of a stored server copy, or null for a tombstone (or a checkpoint). */
    async bodyOf(id: string, copy: ServerCopy | null): Promise<RecordBody | null> {
      if (!copy?.ct) return null;
      return (await openLocal(id, copy.version, copy.deleted, copy.ct)).body;
    },

    /** The body of a pending edit (encrypted for baseVersion + 1), or null for a delete. */
    async pendingBody(id: string, p: PendingEdit): Promise<RecordBody | null> {
      if (p.deleted || !p.ct) return null;
      return (await openLocal(id, p.baseVersion + 1, false, p.ct)).body;
    },

    /** A pending edit of `body` (null = delete) on top of `baseVersion`, at revision `rev`. */
    async makePending(
      id: string,
      baseVersion: number,
      rev: number,
      body: RecordBody | null,
    ): Promise<PendingEdit> {
      const deleted = body === null;
      return {
        baseVersion,
        deleted,
        rev,
        ct: await seal(id, baseVersion + 1, deleted ? 'tombstone' : 'item', rev, body),
      };
    },

    sealCheckpoint: (id: string, version: number, rev: number, body: CheckpointBody) =>
      seal(id, version, 'checkpoint', rev, body),

    /**
     * A copy from the server, opened with the current key only. What does not open says why:
     * a deletion without its seal, a key this device no longer takes, or plain tampering.
     */
    async openServer(r: WireRecord): Promise<OpenedCopy> {
      if (r.ct === null)
        return { ok: false, reason: r.deleted ? 'UNSEALED_TOMBSTONE' : 'TAMPERED' };
      let ct: Uint8Array;
      try {
        ct = fromBase64url(r.ct);
      } catch {
        return { ok: false, reason: 'TAMPERED' };
      }
      try {
        const opened = await openWith(
          opts.believeRetired ? ring : [accountKey],
          r.id,
          r.version,
          r.deleted,
          ct,
        );
        if (opened.body) opts.onVerified?.(ct, opened.body);
        return {
          ok: true,
          opened,
          tag: tagOf(ct),
          copy: { version: r.version, deleted: r.deleted, ct, rev: opened.rev, seq: r.seq },
        };
      } catch (cause) {
        if (cause instanceof SyncError) return { ok: false, reason: 'INVALID_ITEM' };
        if (!(cause instanceof CryptoError)) throw cause;
      }
      if (ring.length > 1) {
        const retired = await openWith(ring.slice(1), r.id, r.version, r.deleted, ct).then(
          () => true,
          () => false,
        );
        if (retired) return { ok: false, reason: 'RETIRED_KEY' };
      }
      return { ok: false, reason: r.deleted ? 'UNSEALED_TOMBSTONE' : 'TAMPERED' };
    },

    /**
     * Whether a record's newest ciphertext (its pending edit, else its server copy) was sealed by
     * a retired key, so a rotation must re-encrypt it.
     */
    async sealedByRetiredKey(r: RecordState): Promise<boolean> {
      const [version, copy] = r.pending
        ? [r.pending.baseVersion + 1, r.pending]
        : [r.base?.version ?? 0, r.base];
      if (!copy?.ct) return false;
      if (!copy.deleted) return !(await isSealedBy(accountKey, place(r.id, version), copy.ct));
      return openTombstone(accountKey, place(r.id, version), copy.ct).then(
        () => false,
        () => true,
      );
    },
  };
}

export type RecordCodec = ReturnType<typeof createRecordCodec>;
