// Which saved logins may be filled into a frame, and what must be asked first (DESIGN §5).
//
//   saved URI match mode   | fills when the frame URL…
//   domain (default)       | has the same registrable domain (Public Suffix List, private part
//                          | included), or a domain declared equivalent to it
//   host                   | has the same host and port
//   startsWith             | starts with the saved URI and goes on at a boundary (`/`, `?`,
//                          | `#` or its end): https://bank.test is not https://bank.test.evil
//   exact                  | equals the saved URI
//   regex                  | matches the saved pattern
//   never                  | never
//
// A match still needs the user's confirmation when the frame is http and the login was saved
// for https or with no scheme (which is read as https) (`insecure`), or when the frame's origin differs from the tab's (`crossOrigin`).
import { getDomain, getHostname, parse as parseHost } from 'tldts';

export interface SavedLoginUri {
  uri: string;
  match: string;
  /**
   * Its host, when the index read it (`hostOf`): its registrable domain is then looked up only
   * the first time a page's domain could be it, and kept in `domain`.
   */
  host?: string | null;
  /** Its registrable domain once known. */
  domain?: string | null;
}

export interface LoginCandidate {
  id: string;
  name: string;
  username: string;
  uris: SavedLoginUri[];
  hasTotp: boolean;
  /** The shared vault it is in (absent: personal), so menus can say whose it is. */
  vaultName?: string;
}

export interface LoginMatch {
  id: string;
  name: string;
  username: string;
  hasTotp: boolean;
  vaultName?: string;
  /** Why the user must confirm before this login is filled here; empty = fill at once. */
  ask: Array<'insecure' | 'crossOrigin'>;
}

/** Groups of registrable domains that share logins; a small built-in list plus the user's. */
export const BUILT_IN_EQUIVALENT_DOMAINS: readonly (readonly string[])[] = [
  ['google.com', 'youtube.com', 'gmail.com'],
  ['apple.com', 'icloud.com'],
  ['microsoft.com', 'live.com', 'outlook.com', 'office.com', 'microsoftonline.com'],
  ['amazon.com', 'amazon.co.uk', 'amazon.de', 'amazon.es', 'amazon.fr', 'amazon.it'],
  ['atlassian.com', 'atlassian.net', 'bitbucket.org'],
];

const withScheme = (uri: string) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri) ? uri : `https://${uri}`);

/** A saved address's host and registrable domain (its host when it has none), in one parse. */
export function hostAndDomain(uri: string): { host: string | null; domain: string | null } {
  const p = parseHost(withScheme(uri), { allowPrivateDomains: true });
  return { host: p.hostname, domain: p.domain ?? p.hostname };
}

export const registrableDomain = (uri: string): string | null => hostAndDomain(uri).domain;

/**
 * A saved address's host as `hostAndDomain` reads it, without the Public Suffix List lookup (a
 * tenth of its cost: the index reads the host of every login at unlock).
 */
export const hostOf = (uri: string): string | null => getHostname(withScheme(uri));

/** A host's registrable domain (the host itself when it has none), as `hostAndDomain` has it. */
export const domainOfHost = (host: string): string =>
  getDomain(host, { allowPrivateDomains: true }) ?? host;

function parse(s: string): URL | null {
  try {
    return new URL(s);
  } catch {
    return null;
  }
}

/**
 * A matcher for one frame URL: parses it once, then tests saved URIs against it (cheap enough
 * to run over every login of a 10,000-item vault on each focus). A saved URI may carry its
 * registrable domain, computed once when the vault was indexed.
 */
export function frameMatcher(
  frameUrl: string,
  equivalents: readonly (readonly string[])[] = BUILT_IN_EQUIVALENT_DOMAINS,
): (saved: SavedLoginUri) => boolean {
  const frame = parse(frameUrl);
  if (!frame || !/^https?:$/.test(frame.protocol)) return () => false;
  const frameDomain = registrableDomain(frameUrl);
  const sameSite = new Set(
    frameDomain ? [frameDomain, ...equivalents.filter((g) => g.includes(frameDomain)).flat()] : [],
  );
  return (saved) => {
    switch (saved.match) {
      case 'never':
        return false;
      case 'exact':
        return saved.uri === frameUrl;
      case 'startsWith':
        return startsAtBoundary(frameUrl, withScheme(saved.uri));
      case 'regex':
        try {
          return new RegExp(saved.uri).test(frameUrl);
        } catch {
          return false;
        }
      case 'host':
        return parse(withScheme(saved.uri))?.host === frame.host;
      default: {
        if (saved.domain === undefined && saved.host !== undefined) {
          // A host's registrable domain is the host or ends in "." and it: a host that ends in
          // none of the page's domains cannot match, and is not looked up. Once looked up, the
          // domain is kept (the Public Suffix List is the build's, so it cannot go stale).
          const host = saved.host;
          if (!host || !endsInOneOf(host, sameSite)) return false;
          saved.domain = domainOfHost(host);
        }
        const domain = saved.domain === undefined ? registrableDomain(saved.uri) : saved.domain;
        return !!domain && sameSite.has(domain);
      }
    }
  };
}

/** `host` is one of these domains or a subdomain of one. */
function endsInOneOf(host: string, domains: Set<string>): boolean {
  for (const d of domains) if (host === d || host.endsWith(`.${d}`)) return true;
  return false;
}

/** `url` begins with `prefix`, and the prefix ends where a URL part ends. */
function startsAtBoundary(url: string, prefix: string): boolean {
  if (!prefix || !url.startsWith(prefix)) return false;
  if (url.length === prefix.length || /[/?#]$/.test(prefix)) return true;
  return '/?#'.includes(url[prefix.length]!);
}

/** Does one saved URI match the frame URL under its match mode? */
export const uriMatchesFrame = (
  saved: SavedLoginUri,
  frameUrl: string,
  equivalents: readonly (readonly string[])[] = BUILT_IN_EQUIVALENT_DOMAINS,
) => frameMatcher(frameUrl, equivalents)(saved);

export function matchLogins(
  logins: Iterable<LoginCandidate>,
  frame: { url: string; topUrl: string },
  equivalents: readonly (readonly string[])[] = BUILT_IN_EQUIVALENT_DOMAINS,
): LoginMatch[] {
  const frameUrl = parse(frame.url);
  if (!frameUrl || !/^https?:$/.test(frameUrl.protocol)) return [];
  const matches = frameMatcher(frame.url, equivalents);
  const crossOrigin = parse(frame.topUrl)?.origin !== frameUrl.origin;
  const insecurePage = frameUrl.protocol === 'http:';
  const out: LoginMatch[] = [];
  for (const login of logins) {
    const hits = login.uris.filter(matches);
    if (hits.length === 0) continue;
    const ask: LoginMatch['ask'] = [];
    // A login saved for https (or saved with no scheme, read as https), offered on an http
    // page, must be confirmed first; one saved for http itself is not.
    if (insecurePage && hits.some((u) => !/^http:/i.test(u.uri))) ask.push('insecure');
    if (crossOrigin) ask.push('crossOrigin');
    out.push({
      id: login.id,
      name: login.name,
      username: login.username,
      hasTotp: login.hasTotp,
      ...(login.vaultName !== undefined ? { vaultName: login.vaultName } : {}),
      ask,
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name) || a.username.localeCompare(b.username));
}

/** The equivalence groups in force: the built-in ones and the user's own. */
export const equivalentDomains = (user: readonly (readonly string[])[]) => [
  ...BUILT_IN_EQUIVALENT_DOMAINS,
  ...user,
];
