// TOTP codes from an item's secret: an otpauth:// URI or a bare base32 secret (otpauth), or a
// Steam Guard secret written `steam://<base32>` (as Bitwarden and KeePassXC store it): Steam's
// codes are RFC 6238 TOTP (SHA-1, 30 s) shown as 5 characters of Steam's own alphabet, which
// otpauth does not do, so they are made here from the same HMAC.
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { Secret, TOTP, URI } from 'otpauth';

const STEAM = 'steam://';
const STEAM_ALPHABET = '23456789BCDFGHJKMNPQRTVWXY';

const steamSecret = (v: string) =>
  v.trim().toLowerCase().startsWith(STEAM)
    ? Secret.fromBase32(v.trim().slice(STEAM.length).replaceAll(' ', '').toUpperCase())
    : null;

/** The 31-bit number RFC 4226 truncates an HMAC to, for one 30-second step. */
export function truncatedHmac(secret: Uint8Array, step: number): number {
  const counter = new Uint8Array(8);
  new DataView(counter.buffer).setBigUint64(0, BigInt(step));
  const mac = hmac(sha1, secret, counter);
  const at = mac[19]! & 0xf;
  return ((mac[at]! & 0x7f) << 24) | (mac[at + 1]! << 16) | (mac[at + 2]! << 8) | mac[at + 3]!;
}

function steamCode(secret: Uint8Array, now: number): string {
  let n = truncatedHmac(secret, Math.floor(now / 30_000));
  let code = '';
  for (let i = 0; i < 5; i++) {
    code += STEAM_ALPHABET[n % STEAM_ALPHABET.length];
    n = Math.floor(n / STEAM_ALPHABET.length);
  }
  return code;
}

function toTotp(value: string): TOTP {
  const v = value.trim();
  if (v.toLowerCase().startsWith('otpauth://')) {
    const otp = URI.parse(v);
    if (!(otp instanceof TOTP)) throw new TypeError('not a TOTP URI');
    return otp;
  }
  return new TOTP({ secret: Secret.fromBase32(v.replaceAll(' ', '').toUpperCase()) });
}

export function isValidTotp(value: string): boolean {
  try {
    const steam = steamSecret(value);
    if (steam) return steam.bytes.byteLength > 0;
    return toTotp(value).secret.bytes.byteLength > 0;
  } catch {
    return false;
  }
}

/** The code for `now` and the seconds it stays valid. */
export function totpCode(value: string, now = Date.now()): { code: string; remaining: number } {
  const steam = steamSecret(value);
  if (steam)
    return { code: steamCode(steam.bytes, now), remaining: 30 - (Math.floor(now / 1000) % 30) };
  const otp = toTotp(value);
  const remaining = otp.period - (Math.floor(now / 1000) % otp.period);
  return { code: otp.generate({ timestamp: now }), remaining };
}
