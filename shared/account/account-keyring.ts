// Account key rotation (client side): a new account key replaces the current one; the retired
// key stays reachable wrapped by its successor, so records not yet re-encrypted still open. The
// keyring a device uses is the current key plus every retired key, newest first, each unwrapped
// with the next newer one and checked against associated data naming its generation.
import { z } from 'zod';
import {
  importAccountKey,
  newAccountKey,
  unwrapRetiredKey,
  wrapAccountKeyWithPassword,
  wrapRetiredKey,
} from '../crypto/account-key.ts';
import { fromBase64url, toBase64url } from '../crypto/bytes.ts';
import { CryptoError } from '../crypto/errors.ts';
import type { RotateKeyInput } from '../protocol/account.ts';
import type { Kdf } from '../protocol/common.ts';

export const retiredKeySchema = z.object({
  generation: z.number().int().min(1),
  wrapped: z.string().min(1),
});
export type RetiredKey = z.infer<typeof retiredKeySchema>;

/** A new account key and the request that installs it (authKey is the caller's to add). */
export async function prepareRotation(opts: {
  userId: string;
  currentRaw: Uint8Array;
  generation: number;
  wrapKey: CryptoKey;
  kdf: Kdf;
}): Promise<{ nextRaw: Uint8Array; request: Omit<RotateKeyInput, 'authKey'> }> {
  const nextRaw = newAccountKey();
  const next = await importAccountKey(nextRaw);
  const [wrapped, retired] = await Promise.all([
    wrapAccountKeyWithPassword(nextRaw, opts.wrapKey, opts.userId, opts.kdf),
    wrapRetiredKey(opts.currentRaw, next, opts.userId, opts.generation),
  ]);
  return {
    nextRaw,
    request: {
      generation: opts.generation + 1,
      newWrappedAccountKey: toBase64url(wrapped),
      retiredKey: toBase64url(retired),
    },
  };
}

/**
 * The retired keys, newest first, from the current key (generation `generation`) down the
 * chain. The chain must hold exactly generations 1 … generation-1, each opening.
 */
export async function openRetiredKeys(
  userId: string,
  currentRaw: Uint8Array,
  generation: number,
  retired: readonly RetiredKey[],
): Promise<Uint8Array[]> {
  const byGeneration = new Map(retired.map((r) => [r.generation, r.wrapped]));
  if (byGeneration.size !== generation - 1 || retired.some((r) => r.generation >= generation))
    throw new CryptoError('MALFORMED', 'The retired account keys do not match the generation.');
  const out: Uint8Array[] = [];
  let successor = currentRaw;
  for (let g = generation - 1; g >= 1; g--) {
    const wrapped = byGeneration.get(g);
    if (!wrapped) throw new CryptoError('MALFORMED', `Retired account key ${g} is missing.`);
    successor = await unwrapRetiredKey(
      fromBase64url(wrapped),
      await importAccountKey(successor),
      userId,
      g,
    );
    out.push(successor);
  }
  return out;
}
