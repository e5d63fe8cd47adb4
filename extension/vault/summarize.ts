// The compact, searchable summary of an item kept in worker memory (DESIGN §5): what a list
// row shows and what search and site matching look at, without the secrets.
import { isItem, type RecordBody } from '../../shared/model/item.ts';
import { frameMatcher, hostAndDomain } from '../autofill/match-logins.ts';
import type { ItemSummary } from '../messages.ts';

export interface IndexedSummary extends ItemSummary {
  /** Lower-cased text search looks through. */
  hay: string;
  /** The name as a key whose plain order is the list's (see sortKey). */
  order: string;
  /** A login's username (autofill's menu shows it). */
  username?: string;
  /** The RP ids of a login's passkeys (a WebAuthn request reads only those logins). */
  passkeyRps?: string[];
  /** Login URIs with their match modes (and registrable domain), for "items for this site". */
  uris: SavedUri[];
}

export function summarize(id: string, body: RecordBody): IndexedSummary | null {
  if (!isItem(body)) return null;
  const subtitle =
    body.type === 'login'
      ? body.username || (body.uris[0]?.uri ?? '')
      : body.type === 'card'
        ? [body.brand, body.number ? `•••• ${body.number.replace(/\s/g, '').slice(-4)}` : '']
            .filter(Boolean)
            .join(' ')
        : body.type === 'identity'
          ? [body.firstName, body.lastName].filter(Boolean).join(' ') || (body.email ?? '')
          : // A secure note's text stays out of every list (it is searched, never shown).
            '';
  const hosts: string[] = [];
  const uris =
    body.type === 'login'
      ? body.uris.map((u) => {
          const { host, domain } = hostAndDomain(u.uri);
          hosts.push(host ?? u.uri);
          return { uri: u.uri, match: u.match, domain };
        })
      : [];
  return {
    id,
    type: body.type,
    name: body.name,
    subtitle,
    favorite: body.favorite,
    folderId: body.folderId,
    trashed: body.trashedAt !== null,
    trashedAt: body.trashedAt,
    conflicts: body.conflicts.length,
    hasTotp: body.type === 'login' && body.totp !== null,
    updatedAt: body.updatedAt,
    order: sortKey(body.name),
    ...(body.type === 'login'
      ? {
          username: body.username,
          ...(body.passkeys.length ? { passkeyRps: body.passkeys.map((p) => p.rpId) } : {}),
        }
      : {}),
    hay: [
      body.name,
      subtitle,
      ...(body.type === 'note' ? [body.notes.split('\n')[0]!.slice(0, 80)] : []),
      ...hosts,
      ...body.tags,
    ]
      .join('\n')
      .toLowerCase(),
    uris,
  };
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
/** Names as people read them: case and accents aside, "Site 2" before "Site 10". */
export const compareNames = (a: string, b: string) => collator.compare(a, b);

/**
 * A key whose plain string order (<) is the order people read names in, as `compareNames` has
 * it for the names people give items: case and accents set aside, numbers by their value. Made
 * once per item, so sorting 100,000 items is string comparisons (a collator compares ~10× slower
 * in Chromium: a whole sort of 10,000 took 110 ms there).
 */
export function sortKey(name: string): string {
  // Plain ASCII (most names) has nothing to decompose and no marks to drop: those two passes
  // were half of summarising 10,000 items at unlock.
  const folded = ASCII.test(name) ? name : name.normalize('NFKD').replace(/\p{M}+/gu, '');
  return (
    folded
      .toLowerCase()
      // Runs of digits by value: the run's length (one digit, 1–9) before its digits.
      .replace(/\d+/g, (d) => {
        const n = d.replace(/^0+(?=\d)/, '');
        return `${String.fromCharCode(0x30 + Math.min(n.length, 9))}${n}`;
      })
  );
}
const ASCII = /^[\x20-\x7e]*$/;

const byOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Items in a list: favourites first, then by name (see sortKey). */
export const compareSummaries = (a: IndexedSummary, b: IndexedSummary) =>
  Number(b.favorite) - Number(a.favorite) ||
  byOrder(a.order, b.order) ||
  compareNames(a.name, b.name);

/** The first saved address a browser could have visited (the one a site icon is looked up for). */
export function webAddress(uris: SavedUri[]): string | undefined {
  for (const u of uris) {
    if (u.match === 'regex' || u.match === 'never') continue;
    for (const text of [u.uri, `https://${u.uri}`]) {
      const url = URL.canParse(text) ? new URL(text) : null;
      if (url && (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname)
        return url.href;
    }
  }
  return undefined;
}

export interface SavedUri {
  uri: string;
  match: string;
  /** Its registrable domain, computed once when indexed. */
  domain?: string | null;
}

/** A matcher for one page ("items for this site"): the same rules autofill uses. */
export const pageMatcher = frameMatcher;

/** Does a saved URI match the page? Registrable domain by default (Public Suffix List). */
export const uriMatches = (saved: SavedUri, pageUrl: string) => pageMatcher(pageUrl)(saved);
