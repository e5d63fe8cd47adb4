// TOTP codes from an item's secret: an otpauth:// URI or a bare base32 secret (otpauth).
import { Secret, TOTP, URI } from 'otpauth';

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
    return toTotp(value).secret.bytes.byteLength > 0;
  } catch {
    return false;
  }
}

/** The code for `now` and the seconds it stays valid. */
export function totpCode(value: string, now = Date.now()): { code: string; remaining: number } {
  const otp = toTotp(value);
  const remaining = otp.period - (Math.floor(now / 1000) % otp.period);
  return { code: otp.generate({ timestamp: now }), remaining };
}
