// What a checkpoint record holds (sealed like every record, kind "checkpoint"): a device's
// statement of the set of live records it believed after a sync, as a set hash.
import { z } from 'zod';
import { SET_HASH_BYTES } from '../crypto/set-hash.ts';
import { base64url } from '../protocol/common.ts';

export const checkpointBodySchema = z.strictObject({
  /** The device that wrote it (its id). */
  device: z.string().min(1).max(64),
  /** Its pull cursor when it wrote this: the set is the records up to that seq. */
  cursor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  /** How many live records the set holds. */
  count: z.number().int().min(0),
  /** The set hash (LtHash16) of every live record's (id, version, tag). */
  hash: base64url({ exactBytes: SET_HASH_BYTES, maxBytes: SET_HASH_BYTES }),
  at: z.iso.datetime({ offset: true }),
});
export type CheckpointBody = z.infer<typeof checkpointBodySchema>;
