// Which saved logins may be filled into a frame, and what must be asked first (DESIGN §5).
//
//   saved URI match mode   | fills when the frame URL…
//   domain (default)       | has the same registrable domain (Public Suffix List, private part
//                          | included), or a domain declared equivalent to it
//   host                   | has the same host and port
//   startsWith / exact     | starts with / equals the saved URI
//   regex                  | matches the saved pattern
//   never                  | never
//
// A match still needs the user's confirmation when the frame is http and the login was saved
// for https (`insecure`), or when the frame's origin differs from the tab's (`crossOrigin`).
import { getDomain, getHostname } from 'tldts';

export interface SavedLoginUri {
  uri: string;
  match: string;
}

export interface LoginCandidate {
  id: string;
  name: string;
  username: string;
  uris: SavedLoginUri[];
  hasTotp: boolean;
}

export interface LoginMatch {
  id: string;
  name: string;
  username: string;
  hasTotp: boolean;
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

export const registrableDomain = (uri: string): string | null =>
  getDomain(withScheme(uri), { allowPrivateDomains: true }) ?? getHostname(withScheme(uri));

function parse(s: string): URL | null {
  try {
    return new URL(s);
  } catch {
    return null;
  }
}

/** Does one saved URI match the frame URL under its match mode? */
export function uriMatchesFrame(
  saved: SavedLoginUri,
  frameUrl: string,
  equivalents: readonly (readonly string[])[] = BUILT_IN_EQUIVALENT_DOMAINS,
): boolean {
  const frame = parse(frameUrl);
  if (!frame || !/^https?:$/.test(frame.protocol)) return false;
  switch (saved.match) {
    case 'never':
      return false;
    case 'exact':
      return saved.uri === frameUrl;
    case 'startsWith':
      return frameUrl.startsWith(saved.uri);
    case 'regex':
      try {
        return new RegExp(saved.uri).test(frameUrl);
      } catch {
        return false;
      }
    case 'host':
      return parse(withScheme(saved.uri))?.host === frame.host;
    default: {
      const want = registrableDomain(saved.uri);
      const have = registrableDomain(frameUrl);
      if (!want || !have) return false;
      if (want === have) return true;
      return equivalents.some((group) => group.includes(want) && group.includes(have));
    }
  }
}

/** A saved https login offered on an http page must be confirmed first. */
function savedForHttps(
  uris: SavedLoginUri[],
  frameUrl: string,
  eq: readonly (readonly string[])[],
) {
  return uris.some((u) => uriMatchesFrame(u, frameUrl, eq) && /^https:/i.test(u.uri));
}

export function matchLogins(
  logins: Iterable<LoginCandidate>,
  frame: { url: string; topUrl: string },
  equivalents: readonly (readonly string[])[] = BUILT_IN_EQUIVALENT_DOMAINS,
): LoginMatch[] {
  const frameUrl = parse(frame.url);
  if (!frameUrl || !/^https?:$/.test(frameUrl.protocol)) return [];
  const crossOrigin = parse(frame.topUrl)?.origin !== frameUrl.origin;
  const insecurePage = frameUrl.protocol === 'http:';
  const out: LoginMatch[] = [];
  for (const login of logins) {
    if (!login.uris.some((u) => uriMatchesFrame(u, frame.url, equivalents))) continue;
    const ask: LoginMatch['ask'] = [];
    if (insecurePage && savedForHttps(login.uris, frame.url, equivalents)) ask.push('insecure');
    if (crossOrigin) ask.push('crossOrigin');
    out.push({
      id: login.id,
      name: login.name,
      username: login.username,
      hasTotp: login.hasTotp,
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
