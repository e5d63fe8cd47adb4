// Website passkeys in other managers' files (issue 20): the FIDO Credential Exchange Format's
// `passkey` credential (credentialId, rpId, username, userDisplayName, userHandle, key: the
// PKCS #8 private key, all base64url) and Bitwarden JSON's `login.fido2Credentials` (the id a
// GUID string or "b64." + base64url, the key "keyValue", counters and flags as strings). A key's
// algorithm is read from its PKCS #8 OIDs: P-256 ECDSA (ES256) or Ed25519; anything else is named
// as left out, never half-imported.
import { fromBase64url, toBase64url } from '../crypto/bytes.ts';
import { said } from '../i18n-msg.ts';
import type { Passkey } from '../model/item.ts';
import { type Obj, obj, str } from './import-result.ts';

const OID = {
  /** 1.2.840.10045.2.1 ecPublicKey, then 1.2.840.10045.3.1.7 prime256v1 */
  ec: [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01],
  p256: [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07],
  /** 1.3.101.112 Ed25519 */
  ed25519: [0x06, 0x03, 0x2b, 0x65, 0x70],
};

function contains(hay: Uint8Array, needle: number[], within = 40): boolean {
  outer: for (let i = 0; i + needle.length <= Math.min(hay.length, within + needle.length); i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** The COSE algorithm of a PKCS #8 private key Cofre can sign with, or null. */
export function pkcs8Algorithm(key: Uint8Array): -7 | -8 | null {
  if (key[0] !== 0x30) return null;
  if (contains(key, OID.ec) && contains(key, OID.p256)) return -7;
  if (contains(key, OID.ed25519)) return -8;
  return null;
}

const isB64url = (s: string) => /^[A-Za-z0-9_-]+$/.test(s);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Bitwarden's credential id: a GUID is its 16 bytes in order; "b64.…" is base64url. */
export function bitwardenIdToRaw(id: string): string | null {
  if (id.startsWith('b64.')) return isB64url(id.slice(4)) ? id.slice(4) : null;
  if (!GUID.test(id)) return null;
  const hex = id.replaceAll('-', '');
  return toBase64url(
    Uint8Array.from({ length: 16 }, (_, i) => Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)),
  );
}

/** The other way: 16 bytes as a GUID (as Bitwarden writes its own), any other length "b64.". */
export function rawToBitwardenId(credentialId: string): string {
  const raw = fromBase64url(credentialId);
  if (raw.length !== 16) return `b64.${credentialId}`;
  const hex = [...raw].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

type Why = 'key' | 'id' | 'rp' | 'no-key' | 'not-login';
type Read = { passkey: Passkey } | { why: Why };

/** Why a passkey in a file was left out, in a sentence the import preview shows. */
export function passkeyLeftOut(site: string, why: Why): string {
  const values = { site };
  switch (why) {
    case 'key':
      return said('a passkey for {site} (a key type Cofre cannot sign with)', values);
    case 'id':
      return said('a passkey for {site} (no usable credential id)', values);
    case 'rp':
      return said('a passkey for {site} (no relying party)', values);
    case 'no-key':
      return said('a passkey for {site} (no private key)', values);
    case 'not-login':
      return said('a passkey for {site} (not in a login)', values);
  }
}

function build(fields: {
  credentialId: string | null;
  rpId: string | undefined;
  key: string | undefined;
  userHandle: string | undefined;
  userName: string | undefined;
  userDisplayName: string | undefined;
  rpName: string | undefined;
  counter: number;
  discoverable: boolean;
  createdAt: string;
}): Read {
  const { credentialId, rpId, key } = fields;
  if (!rpId) return { why: 'rp' };
  if (!credentialId || !isB64url(credentialId)) return { why: 'id' };
  if (!key || !isB64url(key)) return { why: 'no-key' };
  let bytes: Uint8Array;
  try {
    bytes = fromBase64url(key);
  } catch {
    return { why: 'no-key' };
  }
  const algorithm = pkcs8Algorithm(bytes);
  if (algorithm === null) return { why: 'key' };
  const handle = fields.userHandle && isB64url(fields.userHandle) ? fields.userHandle : null;
  return {
    passkey: {
      credentialId,
      rpId: rpId.toLowerCase(),
      rpName: fields.rpName ?? '',
      userHandle: handle,
      userName: fields.userName ?? '',
      userDisplayName: fields.userDisplayName ?? '',
      algorithm,
      privateKey: key,
      counter: Math.max(0, Math.min(0xffffffff, Math.trunc(fields.counter) || 0)),
      discoverable: fields.discoverable,
      createdAt: fields.createdAt,
    },
  };
}

/** A CXF `passkey` credential. */
export function passkeyFromCxf(c: Obj, createdAt: string): Read {
  return build({
    credentialId: str(c.credentialId) ?? null,
    rpId: str(c.rpId),
    key: str(c.key),
    userHandle: str(c.userHandle),
    userName: str(c.username),
    userDisplayName: str(c.userDisplayName),
    rpName: undefined,
    counter: 0,
    discoverable: true,
    createdAt,
  });
}

export function passkeyToCxf(p: Passkey): Obj {
  return {
    type: 'passkey',
    credentialId: p.credentialId,
    rpId: p.rpId,
    username: p.userName,
    userDisplayName: p.userDisplayName,
    userHandle: p.userHandle ?? '',
    key: p.privateKey,
  };
}

/** One of Bitwarden JSON's `login.fido2Credentials`. */
export function passkeyFromBitwarden(raw: unknown, fallbackCreated: string): Read {
  const f = obj(raw);
  if ((str(f.keyType) ?? 'public-key') !== 'public-key') return { why: 'key' };
  const created = str(f.creationDate);
  return build({
    credentialId: bitwardenIdToRaw(str(f.credentialId) ?? ''),
    rpId: str(f.rpId),
    key: str(f.keyValue),
    userHandle: str(f.userHandle),
    userName: str(f.userName),
    userDisplayName: str(f.userDisplayName),
    rpName: str(f.rpName),
    counter: Number(str(f.counter) ?? f.counter ?? 0),
    discoverable: String(f.discoverable ?? 'true') !== 'false',
    createdAt:
      created && !Number.isNaN(Date.parse(created))
        ? new Date(created).toISOString()
        : fallbackCreated,
  });
}

export function passkeyToBitwarden(p: Passkey) {
  return {
    credentialId: rawToBitwardenId(p.credentialId),
    keyType: 'public-key',
    keyAlgorithm: p.algorithm === -7 ? 'ECDSA' : 'EdDSA',
    keyCurve: p.algorithm === -7 ? 'P-256' : 'Ed25519',
    keyValue: p.privateKey,
    rpId: p.rpId,
    userHandle: p.userHandle,
    userName: p.userName || null,
    counter: String(p.counter),
    rpName: p.rpName || null,
    userDisplayName: p.userDisplayName || null,
    discoverable: String(p.discoverable),
    creationDate: p.createdAt,
  };
}
