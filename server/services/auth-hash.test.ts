import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decoyHash, hashAuthKey, verifyAuthKey } from './auth-hash.ts';

describe('the server’s hash of login keys', () => {
  it('should verify the key it hashed, and no other', async () => {
    const key = randomBytes(32);
    const hash = await hashAuthKey(key);
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyAuthKey(key, hash)).toBe(true);
    expect(await verifyAuthKey(randomBytes(32), hash)).toBe(false);
    expect(await verifyAuthKey(key, await decoyHash())).toBe(false);
  });

  it('should hash many keys at once, each verifying as its own', async () => {
    const keys = Array.from({ length: 6 }, () => randomBytes(32));
    const hashes = await Promise.all(keys.map(hashAuthKey));
    expect(new Set(hashes).size).toBe(6);
    const checks = await Promise.all(keys.map((k, i) => verifyAuthKey(k, hashes[(i + 1) % 6]!)));
    expect(checks).toEqual([false, false, false, false, false, false]);
    expect(await Promise.all(keys.map((k, i) => verifyAuthKey(k, hashes[i]!)))).toEqual(
      keys.map(() => true),
    );
  });

  it('should leave the event loop free while it hashes (other requests go on)', async () => {
    const key = randomBytes(32);
    const hash = await hashAuthKey(key);
    // Turns of the event loop while one verify is under way: on the loop's own thread the hash
    // ran in one go (~85 ms) before any turn came.
    let done = false;
    let turns = 0;
    const spin = () => {
      if (done) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    expect(await verifyAuthKey(key, hash)).toBe(true);
    done = true;
    expect(turns).toBeGreaterThan(20);
  });

  it('should fail clearly on a malformed stored hash, and go on hashing after', async () => {
    await expect(verifyAuthKey(randomBytes(32), 'not-a-hash')).rejects.toThrow(/argon2/);
    const key = randomBytes(32);
    expect(await verifyAuthKey(key, await hashAuthKey(key))).toBe(true);
  });
});
