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
  const url = URL.canParse(origin) ? new URL(origin) : null;
  if (url?.protocol === 'https:' || (url?.protocol === 'http:' && isLocalhost(url.hostname)))
    return url.hostname;
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
  const rp = parse(rpId, { allowPrivateDomains: true });
  // A suffix of a host name (not an IP address) that has a registrable domain: never a public
  // suffix such as "co.uk" or "github.io" (their `domain` is null).
  if (host.endsWith(`.${rpId}`) && !parse(host).isIp && !rp.isIp && rp.domain !== null) return rpId;
  throw new WebAuthnRefusal(
    'SecurityError',
    said('{site} may not use passkeys for {rpId}.', { site: host, rpId: requested }),
  );
}
