// The server's own hash of a client's authKey: Argon2id with a per-user random salt, so a stolen
// database does not hand out login keys. Parameters are the OWASP minimum (m=19 MiB, t=2, p=1).
import { randomBytes } from 'node:crypto';
import { argon2id, argon2Verify } from 'hash-wasm';

const PARAMS = { memorySize: 19_456, iterations: 2, parallelism: 1, hashLength: 32 } as const;

export function hashAuthKey(authKey: Uint8Array): Promise<string> {
  return argon2id({ ...PARAMS, password: authKey, salt: randomBytes(16), outputType: 'encoded' });
}

export function verifyAuthKey(authKey: Uint8Array, encoded: string): Promise<boolean> {
  return argon2Verify({ password: authKey, hash: encoded });
}

/** A hash of nothing anyone knows, verified for unknown emails so they cost the same time. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashAuthKey(randomBytes(32));
  return decoy;
}
