// Record bodies ⇄ ciphertexts for one account, and the checks a server copy must pass before
// the engine believes it: it opens for its own id and version, is a valid item, and is not older
// than a version already seen.
import { fromBase64url, fromUtf8, utf8 } from '../crypto/bytes.ts';
import { CryptoError } from '../crypto/errors.ts';
import { decryptRecord, encryptRecord, isSealedBy } from '../crypto/record-cipher.ts';
import { ModelError, parseRecordBody, type RecordBody } from '../model/item.ts';
import type { WireRecord } from '../protocol/sync.ts';
import { SyncError } from './errors.ts';
import type { PendingEdit, RecordState, ServerCopy } from './ports.ts';

export function createRecordCodec(
  userId: string,
  accountKey: CryptoKey,
  /** Told each server copy that passed verification, with its body, so no one decrypts it twice. */
  onVerified?: (ct: Uint8Array, body: RecordBody) => void,
  /** Account keys earlier rotations retired, newest first: they still open older records. */
  retiredKeys: readonly CryptoKey[] = [],
) {
  const ring = [accountKey, ...retiredKeys];
  const encrypt = (id: string, version: number, body: RecordBody) =>
    encryptRecord(accountKey, { userId, recordId: id, version }, utf8(JSON.stringify(body)));

  async function decrypt(id: string, version: number, ct: Uint8Array): Promise<RecordBody> {
    let plain: Uint8Array;
    try {
      plain = await decryptRecord(ring, { userId, recordId: id, version }, ct);
    } catch (cause) {
      if (!(cause instanceof CryptoError)) throw cause;
      throw new SyncError('TAMPERED_RECORD', `Record ${id} v${version} failed to decrypt.`, id, {
        cause,
      });
    }
    try {
      return parseRecordBody(JSON.parse(fromUtf8(plain)));
    } catch (cause) {
      throw new SyncError('INVALID_ITEM', `Record ${id} is not a valid item.`, id, {
        cause: cause instanceof ModelError ? cause : undefined,
      });
    }
  }

  return {
    /**
     * Whether a record's newest ciphertext (its pending edit, else its server copy) was sealed
     * by a retired key, so a rotation must re-encrypt it.
     */
    async sealedByRetiredKey(r: RecordState): Promise<boolean> {
      const [version, ct] = r.pending
        ? [r.pending.baseVersion + 1, r.pending.ct]
        : [r.base?.version ?? 0, r.base?.ct ?? null];
      if (!ct) return false;
      return !(await isSealedBy(accountKey, { userId, recordId: r.id, version }, ct));
    },

    /** The body of a server copy, or null for a tombstone. */
    bodyOf: async (id: string, copy: ServerCopy | null) =>
      copy && !copy.deleted && copy.ct ? decrypt(id, copy.version, copy.ct) : null,

    /** The body of a pending edit (encrypted for baseVersion + 1), or null for a delete. */
    pendingBody: async (id: string, p: PendingEdit) =>
      p.deleted || !p.ct ? null : decrypt(id, p.baseVersion + 1, p.ct),

    /** A pending edit of `body` (null = delete) on top of `baseVersion`. */
    async makePending(
      id: string,
      baseVersion: number,
      body: RecordBody | null,
    ): Promise<PendingEdit> {
      return {
        baseVersion,
        deleted: body === null,
        ct: body === null ? null : await encrypt(id, baseVersion + 1, body),
      };
    },

    /** Checks a server record: not older than seen, and opening for its own id and version. */
    async verify(r: WireRecord, state: RecordState | undefined): Promise<ServerCopy> {
      if (r.version > 0 && r.version < (state?.maxSeen ?? 0)) {
        throw new SyncError('VERSION_ROLLBACK', `Record ${r.id} went back to v${r.version}.`, r.id);
      }
      const copy: ServerCopy = {
        version: r.version,
        deleted: r.deleted,
        ct: r.ct === null ? null : fromBase64url(r.ct),
      };
      if (!copy.deleted && copy.ct === null) {
        throw new SyncError(
          'INVALID_RESPONSE',
          `Record ${r.id} is live without a ciphertext.`,
          r.id,
        );
      }
      if (copy.ct) {
        // Decrypt first and unconditionally: `onVerified?.(…, await decrypt())` would skip the
        // check itself when no one listens (an optional call does not evaluate its arguments).
        const body = await decrypt(r.id, r.version, copy.ct);
        onVerified?.(copy.ct, body);
      }
      return copy;
    },
  };
}
