// The recovery kit: the account key split into k-of-n Shamir shares (shamir-secret-sharing,
// GF(2^8), audited). Each share is a line of text (also printed as a QR code):
//   cofre-kit1.<userId>.<kitId>.<k>.<share>.<check>.<sum>
// `check` (8 bytes of HKDF(accountKey, kit-check|kitId)) tells whether combined shares gave the
// real key; `sum` (4 bytes of SHA-256 of the rest) catches a mistyped share. With k shares a
// device rebuilds the account key and proves it to the server with a key derived from it, then
// sets a new master password. Fewer than k shares say nothing about the key.

import { combine, split } from 'shamir-secret-sharing';
import { fromBase64url, own, toBase64url, utf8 } from '../crypto/bytes.ts';
import { hkdf } from '../crypto/derive-keys.ts';
import { said } from '../i18n-msg.ts';

export class RecoveryError extends Error {
  constructor(
    readonly code: 'BAD_SHARE' | 'NOT_ENOUGH_SHARES' | 'SHARES_MISMATCH',
    message: string,
  ) {
    super(message);
    this.name = 'RecoveryError';
  }
}

const PREFIX = 'cofre-kit1';

/** The key the server checks a recovery against (it stores only an Argon2id hash of it). */
export const recoveryAuthKey = (accountKey: Uint8Array, kitId: string) =>
  hkdf(accountKey, `cofre/v1/recovery-auth|${kitId}`);

const checkValue = async (accountKey: Uint8Array, kitId: string) =>
  toBase64url(await hkdf(accountKey, `cofre/v1/kit-check|${kitId}`, 8));

async function sumOf(text: string) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', own(utf8(text))));
  return [...digest.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function createKit(
  accountKey: Uint8Array,
  userId: string,
  threshold: number,
  count: number,
) {
  if (
    !Number.isInteger(threshold) ||
    !Number.isInteger(count) ||
    threshold < 2 ||
    count < threshold ||
    count > 10
  )
    throw new RecoveryError(
      'NOT_ENOUGH_SHARES',
      'A kit has 2 to 10 shares, and needs 2 or more of them.',
    );
  const kitId = crypto.randomUUID();
  const check = await checkValue(accountKey, kitId);
  const shares = await Promise.all(
    (await split(accountKey, count, threshold)).map(async (share) => {
      const body = `${PREFIX}.${userId}.${kitId}.${threshold}.${toBase64url(share)}.${check}`;
      return `${body}.${await sumOf(body)}`;
    }),
  );
  return { kitId, threshold, count, shares, authKey: await recoveryAuthKey(accountKey, kitId) };
}

export interface ParsedShare {
  userId: string;
  kitId: string;
  threshold: number;
  share: Uint8Array;
  check: string;
}

export async function parseShare(text: string): Promise<ParsedShare> {
  const clean = text.replace(/\s+/g, '');
  const parts = clean.split('.');
  if (parts.length !== 7 || parts[0] !== PREFIX)
    throw new RecoveryError(
      'BAD_SHARE',
      'That is not a Cofre recovery share (it starts with “cofre-kit1.”).',
    );
  const [, userId, kitId, k, share, check, sum] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (sum !== (await sumOf(parts.slice(0, 6).join('.'))))
    throw new RecoveryError(
      'BAD_SHARE',
      'A share has a typo: check it letter by letter against the sheet.',
    );
  return { userId, kitId, threshold: Number(k), share: fromBase64url(share), check };
}

/** The account key from at least k shares of one kit, checked against the kit's check value. */
export async function combineShares(texts: string[]) {
  const parsed = await Promise.all(texts.filter((t) => t.trim()).map(parseShare));
  const first = parsed[0];
  if (!first)
    throw new RecoveryError('NOT_ENOUGH_SHARES', 'Enter the shares of your recovery kit.');
  if (parsed.some((p) => p.kitId !== first.kitId))
    throw new RecoveryError('SHARES_MISMATCH', 'These shares come from different recovery kits.');
  const distinct = [...new Map(parsed.map((p) => [toBase64url(p.share), p])).values()];
  if (distinct.length < first.threshold)
    throw new RecoveryError(
      'NOT_ENOUGH_SHARES',
      said('This kit needs {needed} different shares; {entered} entered.', {
        needed: first.threshold,
        entered: distinct.length,
      }),
    );
  const accountKey = await combine(distinct.map((p) => p.share));
  if ((await checkValue(accountKey, first.kitId)) !== first.check)
    throw new RecoveryError('SHARES_MISMATCH', 'These shares do not rebuild the key of this kit.');
  return {
    userId: first.userId,
    kitId: first.kitId,
    accountKey,
    authKey: await recoveryAuthKey(accountKey, first.kitId),
  };
}
