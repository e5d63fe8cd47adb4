// An account's identity (SHARING.md §1): an Ed25519 signing pair and an X25519 pair for HPKE.
// The public halves go out in a statement signed by the signing key; the private halves are
// sealed by the account key (AD cofre/v1/identity|userId) and kept by the server for the
// account's other devices. The safety number (§2) is what two people compare.
import { z } from 'zod';
import { normaliseEmail } from '../crypto/associated-data.ts';
import { fromBase64url, fromUtf8, own, randomBytes, toBase64url, utf8 } from '../crypto/bytes.ts';
import { open, seal } from '../crypto/envelope.ts';
import { base64url, uuidSchema } from '../protocol/common.ts';
import { hpke, openFrom, sealTo } from './hpke.ts';
import { SharingError } from './sharing-error.ts';
import { openStatement, type Signed, signStatement } from './signed.ts';

export const identityAd = (userId: string) => `cofre/v1/identity|${userId}`;

export const identityStatementSchema = z.strictObject({
  v: z.literal(1),
  kind: z.literal('identity'),
  userId: uuidSchema,
  email: z.string().min(3).max(254),
  signPub: base64url({ minBytes: 32, maxBytes: 32 }),
  encPub: base64url({ minBytes: 32, maxBytes: 32 }),
  createdAt: z.string().max(40),
});
export type IdentityStatement = z.infer<typeof identityStatementSchema>;

const privateSchema = z.strictObject({
  v: z.literal(1),
  sign: base64url({ minBytes: 16, maxBytes: 256 }),
  enc: base64url({ minBytes: 32, maxBytes: 32 }),
});

/** An identity with its private halves, as a device holds it while unlocked. */
export interface Identity {
  statement: IdentityStatement;
  signed: Signed;
  signKey: CryptoKey;
  encKey: CryptoKey;
}

/** Makes a new identity; `sealedPrivate` goes to the server beside the signed statement. */
export async function createIdentity(p: {
  userId: string;
  email: string;
  accountKey: CryptoKey;
  now?: string;
}): Promise<{ identity: Identity; sealedPrivate: Uint8Array }> {
  const sign = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const enc = await hpke.kem.generateKeyPair();
  const signPub = new Uint8Array(await crypto.subtle.exportKey('raw', sign.publicKey));
  const encPub = new Uint8Array(await hpke.kem.serializePublicKey(enc.publicKey));
  const statement: IdentityStatement = {
    v: 1,
    kind: 'identity',
    userId: p.userId,
    email: normaliseEmail(p.email),
    signPub: toBase64url(signPub),
    encPub: toBase64url(encPub),
    createdAt: p.now ?? new Date().toISOString(),
  };
  const signed = await signStatement(sign.privateKey, statement);
  const secret = {
    v: 1,
    sign: toBase64url(new Uint8Array(await crypto.subtle.exportKey('pkcs8', sign.privateKey))),
    enc: toBase64url(new Uint8Array(await hpke.kem.serializePrivateKey(enc.privateKey))),
  };
  const sealedPrivate = await seal(
    p.accountKey,
    utf8(JSON.stringify(secret)),
    identityAd(p.userId),
  );
  const signKey = await importSignKey(fromBase64url(secret.sign));
  return {
    identity: { statement, signed, signKey, encKey: enc.privateKey },
    sealedPrivate,
  };
}

const importSignKey = (pkcs8: Uint8Array) =>
  crypto.subtle.importKey('pkcs8', own(pkcs8), { name: 'Ed25519' }, false, ['sign']);

/**
 * A statement that verifies under its own signing key and names `userId` (and `email` when
 * given). It proves only that whoever made it holds that key: the pins and the safety number
 * decide whether it is the person.
 */
export async function verifyIdentity(
  signed: Signed,
  expect: { userId: string; email?: string },
): Promise<IdentityStatement> {
  let claimed: IdentityStatement;
  try {
    claimed = identityStatementSchema.parse(JSON.parse(fromUtf8(fromBase64url(signed.body))));
  } catch {
    throw new SharingError('MALFORMED', 'The identity is not well formed.');
  }
  const statement = await openStatement(
    signed,
    fromBase64url(claimed.signPub),
    identityStatementSchema,
    'identity',
  );
  if (statement.userId !== expect.userId)
    throw new SharingError('WRONG_GRANT', 'The identity served is for another account.');
  if (expect.email !== undefined && statement.email !== normaliseEmail(expect.email))
    throw new SharingError('WRONG_INVITATION', 'The identity served names another email.');
  return statement;
}

/** Opens this account's own identity with the account key (or a key a rotation retired). */
export async function openIdentity(
  signed: Signed,
  sealedPrivate: Uint8Array,
  p: { userId: string; keys: readonly CryptoKey[] },
): Promise<Identity> {
  const statement = await verifyIdentity(signed, { userId: p.userId });
  let plain: Uint8Array | null = null;
  for (const key of p.keys) {
    plain = await open(key, sealedPrivate, identityAd(p.userId)).catch(() => null);
    if (plain) break;
  }
  if (!plain)
    throw new SharingError('WRONG_KEY', 'The identity does not open with this account key.');
  const secret = privateSchema.parse(JSON.parse(fromUtf8(plain)));
  const signKey = await importSignKey(fromBase64url(secret.sign));
  const encKey = await hpke.kem.deserializePrivateKey(own(fromBase64url(secret.enc)).buffer);
  // The private halves must be the statement's: a mismatched pair would open nothing sealed to it.
  const probe = randomBytes(16);
  const back = await openFrom(
    encKey,
    await sealTo(fromBase64url(statement.encPub), probe, 'cofre/v1/identity-check'),
    'cofre/v1/identity-check',
  ).catch(() => null);
  if (!back || toBase64url(back) !== toBase64url(probe))
    throw new SharingError('WRONG_KEY', 'The identity private key does not match its statement.');
  return { statement, signed, signKey, encKey };
}

/** The identity's private halves sealed by another account key (an account-key rotation). */
export async function resealIdentity(
  identity: Identity,
  userId: string,
  accountKey: CryptoKey,
  sealedPrivate: Uint8Array,
  oldKeys: readonly CryptoKey[],
): Promise<Uint8Array> {
  let plain: Uint8Array | null = null;
  for (const key of oldKeys) {
    plain = await open(key, sealedPrivate, identityAd(userId)).catch(() => null);
    if (plain) break;
  }
  if (!plain)
    throw new SharingError('WRONG_KEY', `No key opens ${identity.statement.userId}'s identity.`);
  return seal(accountKey, plain, identityAd(userId));
}

/**
 * 12 groups of 5 digits from SHA-512 over both signing keys, sorted, so both people see the same
 * number. 60 digits: a key a server made to match would take ~2^99 tries.
 */
export async function safetyNumber(a: string, b: string): Promise<string> {
  const [x, y] = [a, b].sort();
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-512', own(utf8(`cofre/v1/safety-number|${x}|${y}`))),
  );
  const groups: string[] = [];
  for (let i = 0; i < 12; i++) {
    let n = 0;
    for (let j = 0; j < 5; j++) n = n * 256 + digest[i * 5 + j]!;
    groups.push(String(n % 100_000).padStart(5, '0'));
  }
  return groups.join(' ');
}
