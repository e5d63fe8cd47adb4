// base64url <-> bytes at the wire boundary (inputs were validated by the shared zod schemas).
import { createHash } from 'node:crypto';

export const fromB64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64url'));
export const toB64 = (b: Uint8Array): string => Buffer.from(b).toString('base64url');
export const sha256 = (data: string | Uint8Array): Uint8Array =>
  new Uint8Array(createHash('sha256').update(data).digest());
