// A signed statement: the exact UTF-8 JSON bytes that were signed and their Ed25519 signature.
// The bytes travel as they were signed, so no canonical form is needed: a verifier checks the
// signature over what it received, then parses that, with a strict schema.
import type { z } from 'zod';
import { fromBase64url, fromUtf8, own, toBase64url, utf8 } from '../crypto/bytes.ts';
import { SharingError } from './sharing-error.ts';

export interface Signed {
  /** base64url of the statement's UTF-8 JSON. */
  body: string;
  /** base64url of the Ed25519 signature over those bytes. */
  sig: string;
}

export const importSigningPublic = (raw: Uint8Array) =>
  crypto.subtle.importKey('raw', own(raw), { name: 'Ed25519' }, true, ['verify']);

export async function signStatement(key: CryptoKey, statement: unknown): Promise<Signed> {
  const bytes = utf8(JSON.stringify(statement));
  const sig = new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, key, own(bytes)));
  return { body: toBase64url(bytes), sig: toBase64url(sig) };
}

/** The statement if `signed` verifies under `signPub` and fits `schema`; else a SharingError. */
export async function openStatement<T>(
  signed: Signed,
  signPub: Uint8Array,
  schema: z.ZodType<T>,
  what: string,
): Promise<T> {
  let bytes: Uint8Array;
  let sig: Uint8Array;
  try {
    bytes = fromBase64url(signed.body);
    sig = fromBase64url(signed.sig);
  } catch {
    throw new SharingError('BAD_SIGNATURE', `The ${what} is not a signed statement.`);
  }
  let ok = false;
  try {
    ok = await crypto.subtle.verify(
      { name: 'Ed25519' },
      await importSigningPublic(signPub),
      own(sig),
      own(bytes),
    );
  } catch {
    ok = false;
  }
  if (!ok) throw new SharingError('BAD_SIGNATURE', `The ${what}'s signature does not verify.`);
  return parseStatement(bytes, schema, what);
}

/** The statement in signed bytes, without checking the signature (the server's view). */
export function readStatement<T>(signed: Signed, schema: z.ZodType<T>, what: string): T {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64url(signed.body);
  } catch {
    throw new SharingError('MALFORMED', `The ${what} is not a statement.`);
  }
  return parseStatement(bytes, schema, what);
}

function parseStatement<T>(bytes: Uint8Array, schema: z.ZodType<T>, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(fromUtf8(bytes));
  } catch {
    throw new SharingError('MALFORMED', `The ${what} is not JSON.`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new SharingError('MALFORMED', `The ${what} is not well formed.`);
  return parsed.data;
}

/** SHA-256 of bytes, base64url: how a grant names the sealed key it comes with. */
export async function hashOf(bytes: Uint8Array): Promise<string> {
  return toBase64url(new Uint8Array(await crypto.subtle.digest('SHA-256', own(bytes))));
}
