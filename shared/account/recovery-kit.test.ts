import { combine, split } from 'shamir-secret-sharing';
import { describe, expect, it } from 'vitest';
import { randomBytes, toBase64url } from '../crypto/bytes.ts';
import { combineShares, createKit, parseShare, recoveryAuthKey } from './recovery-kit.ts';

const hex = (b: Uint8Array) => toBase64url(b);
const USER = '0b1c2d3e-4f50-4617-8a9b-0c1d2e3f4a5b';

describe('recovery kit', () => {
  it('should rebuild the account key from any k of n shares', async () => {
    const key = randomBytes(32);
    const kit = await createKit(key, USER, 3, 5);
    expect(kit.shares).toHaveLength(5);
    for (const pick of [
      [0, 1, 2],
      [0, 2, 4],
      [1, 3, 4],
      [0, 1, 2, 3, 4],
    ]) {
      const out = await combineShares(pick.map((i) => kit.shares[i]!));
      expect(hex(out.accountKey)).toBe(hex(key));
      expect(out.kitId).toBe(kit.kitId);
      expect(out.userId).toBe(USER);
      expect(hex(out.authKey)).toBe(hex(await recoveryAuthKey(key, kit.kitId)));
    }
  });

  it('should refuse fewer than k shares, a repeated share, a typo, and shares of two kits', async () => {
    const key = randomBytes(32);
    const kit = await createKit(key, USER, 3, 5);
    await expect(combineShares(kit.shares.slice(0, 2))).rejects.toMatchObject({
      code: 'NOT_ENOUGH_SHARES',
    });
    await expect(
      combineShares([kit.shares[0]!, kit.shares[0]!, kit.shares[1]!]),
    ).rejects.toMatchObject({
      code: 'NOT_ENOUGH_SHARES',
    });
    const share = kit.shares[0]!;
    const typo = share.slice(0, 60) + (share[60] === 'A' ? 'B' : 'A') + share.slice(61);
    await expect(parseShare(typo)).rejects.toMatchObject({ code: 'BAD_SHARE' });
    await expect(parseShare('hello')).rejects.toMatchObject({ code: 'BAD_SHARE' });
    // Spaces and line breaks, as a person copies them off paper, do not matter.
    expect((await parseShare(share.replace(/(.{20})/g, '$1 \n'))).kitId).toBe(kit.kitId);
    const other = await createKit(key, USER, 3, 5);
    await expect(
      combineShares([kit.shares[0]!, kit.shares[1]!, other.shares[2]!]),
    ).rejects.toMatchObject({ code: 'SHARES_MISMATCH' });
  });

  it('should reveal nothing about the key with fewer than k shares', async () => {
    // k-1 shares combined (forcing the library) do not give the key.
    const key = randomBytes(32);
    const raw = await split(key, 5, 3);
    expect(hex(await combine(raw.slice(0, 2)))).not.toBe(hex(key));
    // One share of a 2-of-2 split is uniform whatever the key: over 512 splits of an all-zero key
    // and of an all-0xff key, its first byte takes most of the 256 values in both cases
    // (~221 expected), so that byte carries no information about the key's.
    for (const fill of [0x00, 0xff]) {
      const secret = new Uint8Array(32).fill(fill);
      const seen = new Set<number>();
      for (let i = 0; i < 512; i++) seen.add((await split(secret, 2, 2))[0]![0]!);
      expect(seen.size).toBeGreaterThan(190);
    }
  });
});
