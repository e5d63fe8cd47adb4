// The rules a WebAuthn client enforces before an authenticator acts (WebAuthn L3 §5.1.3, §5.1.4):
// the caller's origin must be secure, and the RP id it names must be that origin's host or a
// registrable-domain suffix of it (the Public Suffix List, through tldts). Cofre's worker checks
// these against the origin Chrome reports for the frame; the page's word counts for nothing.
import { parse } from 'tldts';
import { msg, said } from '../i18n-msg.ts';

export class WebAuthnRefusal extends Error {
  constructor(
    /** The DOMException name the page gets (SecurityError, NotAllowedError, …). */
    readonly domName: string,
    message: string,
  ) {
    super(message);
    this.name = 'WebAuthnRefusal';
  }
}

const isLocalhost = (host: string) => host === 'localhost' || host.endsWith('.localhost');

/** The origin's host when passkeys may be used there: https, or http on localhost. */
export function passkeyHost(origin: string): string {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new WebAuthnRefusal('SecurityError', msg('Passkeys need a secure (https) page.'));
  }
  const host = url.hostname;
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLocalhost(host))) return host;
  throw new WebAuthnRefusal('SecurityError', msg('Passkeys need a secure (https) page.'));
}

/**
 * The RP id for a request from `origin`: the one the site named when it is the origin's host or
 * a registrable-domain suffix of it, else a SecurityError. IP addresses only name themselves.
 */
export function effectiveRpId(origin: string, requested: string | undefined): string {
  const host = passkeyHost(origin);
  if (requested === undefined || requested === host) return host;
  const rpId = requested.toLowerCase();
  const hostInfo = parse(host);
  const rpInfo = parse(rpId, { allowPrivateDomains: true });
  const suffixOf = host.endsWith(`.${rpId}`);
  // The RP id must be a registrable domain or below it, never a public suffix ("co.uk", "github.io").
  const registrable = parse(rpId, { allowPrivateDomains: true }).domain;
  if (
    !hostInfo.isIp &&
    suffixOf &&
    rpId === rpId.trim() &&
    registrable !== null &&
    (rpId === registrable || rpId.endsWith(`.${registrable}`)) &&
    !rpInfo.isIp
  )
    return rpId;
  throw new WebAuthnRefusal(
    'SecurityError',
    said('{site} may not use passkeys for {rpId}.', { site: host, rpId: requested }),
  );
}
