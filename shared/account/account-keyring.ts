// Account key rotation (client side): a new account key replaces the current one, under a new
// salt (so nothing derived from the password before the rotation opens anything after it); the
// retired key stays reachable wrapped by its successor. A device takes up a key another device
// rotated only when the new key leads down that chain to the key it already holds.
import { z } from 'zod';
import {
  importAccountKey,
  newAccountKey,
  unwrapRetiredKey,
  wrapAccountKeyWithPassword,
  wrapRetiredKey,
} from '../crypto/account-key.ts';
import { fromBase64url, randomBytes, toBase64url } from '../crypto/bytes.ts';
import { deriveMasterKey, derivePasswordKeys } from '../crypto/derive-keys.ts';
import { CryptoError } from '../crypto/errors.ts';
import { msg } from '../i18n-msg.ts';
import type { RotateKeyInput } from '../protocol/account.ts';
import type { Kdf } from '../protocol/common.ts';
import { AccountError } from './account-error.ts';

export const retiredKeySchema = z.object({
  generation: z.number().int().min(1),
  wrapped: z.string().min(1).max(1400),
});
export type RetiredKey = z.infer<typeof retiredKeySchema>;

/** The most generations a device will walk down (a server claiming a million is refused). */
export const MAX_GENERATION = 10_000;

/**
 * A new account key, wrapped under a new salt, and the request that installs it (the current
 * authKey and the device's cursor are the caller's to add).
 */
export async function prepareRotation(opts: {
  userId: string;
  email: string;
  password: string;
  currentRaw: Uint8Array;
  generation: number;
  kdf: Kdf;
}): Promise<{
  nextRaw: Uint8Array;
  salt: string;
  request: Omit<RotateKeyInput, 'authKey' | 'head'>;
}> {
  const nextRaw = newAccountKey();
  const next = await importAccountKey(nextRaw);
  const salt = randomBytes(16);
  const { authKey, wrapKey } = await derivePasswordKeys(
    await deriveMasterKey(opts.password, salt, opts.kdf),
  );
  const generation = opts.generation + 1;
  const [wrapped, retired] = await Promise.all([
    wrapAccountKeyWithPassword(nextRaw, wrapKey, {
      userId: opts.userId,
      email: opts.email,
      generation,
      kdf: opts.kdf,
    }),
    wrapRetiredKey(opts.currentRaw, next, opts.userId, opts.generation),
  ]);
  return {
    nextRaw,
    salt: toBase64url(salt),
    request: {
      generation,
      newWrappedAccountKey: toBase64url(wrapped),
      retiredKey: toBase64url(retired),
      newSalt: toBase64url(salt),
      newAuthKey: toBase64url(authKey),
    },
  };
}

/**
 * The retired keys, newest first, from the current key (generation `generation`) down the
 * chain: `retired` holds generations generation-1, generation-2, … without a gap (all of them
 * when the server sends the chain; only those this device held, or none, on a device).
 */
export async function openRetiredKeys(
  userId: string,
  currentRaw: Uint8Array,
  generation: number,
  retired: readonly RetiredKey[],
): Promise<Uint8Array[]> {
  const byGeneration = new Map(retired.map((r) => [r.generation, r.wrapped]));
  const lowest = generation - byGeneration.size;
  if (
    generation > MAX_GENERATION ||
    byGeneration.size !== retired.length ||
    retired.some((r) => r.generation >= generation || r.generation < lowest)
  )
    throw new CryptoError('MALFORMED', 'The retired account keys do not match the generation.');
  const out: Uint8Array[] = [];
  let successor = currentRaw;
  for (let g = generation - 1; g >= lowest; g--) {
    successor = await unwrapRetiredKey(
      fromBase64url(byGeneration.get(g)!),
      await importAccountKey(successor),
      userId,
      g,
    );
    out.push(successor);
  }
  return out;
}

/**
 * Checks that `newRaw` (generation `newGeneration`, opened from a wrap) is the successor of the
 * key this device holds: its retired chain leads down to `currentRaw` at `currentGeneration`.
 * Otherwise it is another account's key, or an older one, or a forgery.
 */
export async function checkSuccessor(opts: {
  userId: string;
  currentRaw: Uint8Array;
  currentGeneration: number;
  newRaw: Uint8Array;
  newGeneration: number;
  retired: readonly RetiredKey[];
}) {
  if (opts.newGeneration <= opts.currentGeneration)
    throw new AccountError(
      'KEY_ROLLBACK',
      msg('The server offered an account key older than the one this device uses: refused.'),
    );
  let chain: Uint8Array[];
  try {
    chain = await openRetiredKeys(opts.userId, opts.newRaw, opts.newGeneration, opts.retired);
  } catch (cause) {
    throw new AccountError(
      'OTHER_ACCOUNT',
      msg('The server’s new account key does not lead to this device’s.'),
      { cause },
    );
  }
  const mine = chain[opts.newGeneration - opts.currentGeneration - 1];
  if (!mine || toBase64url(mine) !== toBase64url(opts.currentRaw))
    throw new AccountError(
      'OTHER_ACCOUNT',
      msg('That is a different account: sign out first to switch.'),
    );
}
