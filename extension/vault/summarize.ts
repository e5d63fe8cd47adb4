// The compact, searchable summary of an item kept in worker memory (DESIGN §5): what a list
// row shows and what search and site matching look at, without the secrets.
import { isItem, type RecordBody } from '../../shared/model/item.ts';
import { frameMatcher, hostOf } from '../autofill/match-logins.ts';
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
  /** Login URIs with their match modes (and host), for "items for this site". */
  uris: SavedUri[];
  /** A secure note's first line (searched), and the tags: kept to derive `hay` again. */
  noteLine: string | null;
  tags: string[];
}

/**
 * What a summary is made from, and all the index's first pack tier keeps of an item (see
 * `packSummary`): the search text and the sort key are derived again at unlock.
 */
interface SummaryParts {
  type: RecordBody['type'];
  name: string;
  subtitle: string;
  favorite: boolean;
  folderId: string | null;
  trashedAt: string | null;
  conflicts: number;
  hasTotp: boolean;
  updatedAt: string;
  /** A login's username (absent for other types). */
  username?: string;
  passkeyRps?: string[];
  uris: SavedUri[];
  /** A secure note's first line, searched but never shown (null for other types). */
  noteLine: string | null;
  tags: string[];
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
  return summaryOf(id, {
    type: body.type,
    name: body.name,
    subtitle,
    favorite: body.favorite,
    folderId: body.folderId,
    trashedAt: body.trashedAt,
    conflicts: body.conflicts.length,
    hasTotp: body.type === 'login' && body.totp !== null,
    updatedAt: body.updatedAt,
    ...(body.type === 'login'
      ? {
          username: body.username,
          ...(body.passkeys.length ? { passkeyRps: body.passkeys.map((p) => p.rpId) } : {}),
        }
      : {}),
    uris:
      body.type === 'login'
        ? body.uris.map((u) => ({ uri: u.uri, match: u.match, host: hostOf(u.uri) }))
        : [],
    noteLine: body.type === 'note' ? body.notes.split('\n')[0]!.slice(0, 80) : null,
    tags: body.tags,
  });
}

function summaryOf(id: string, p: SummaryParts): IndexedSummary {
  return {
    id,
    type: p.type,
    name: p.name,
    subtitle: p.subtitle,
    favorite: p.favorite,
    folderId: p.folderId,
    trashed: p.trashedAt !== null,
    trashedAt: p.trashedAt,
    conflicts: p.conflicts,
    hasTotp: p.hasTotp,
    updatedAt: p.updatedAt,
    order: sortKey(p.name),
    ...(p.username !== undefined ? { username: p.username } : {}),
    ...(p.passkeyRps ? { passkeyRps: p.passkeyRps } : {}),
    hay: [
      p.name,
      p.subtitle,
      ...(p.noteLine !== null ? [p.noteLine] : []),
      ...p.uris.map((u) => u.host ?? u.uri),
      ...p.tags,
    ]
      .join('\n')
      .toLowerCase(),
    uris: p.uris,
    noteLine: p.noteLine,
    tags: p.tags,
  };
}

/**
 * A summary as the index's first pack tier keeps it: positions instead of key names, without
 * what is derived again (search text, sort key, the trashed flag) — under half an item's body,
 * so an unlock reads and parses less than half as much before the vault is searchable.
 */
export type PackedSummary = [
  type: RecordBody['type'],
  name: string,
  /** null: the username. */
  subtitle: string | null,
  favorite: 0 | 1,
  folderId: string | null,
  trashedAt: string | null,
  conflicts: number,
  hasTotp: 0 | 1,
  updatedAt: string,
  username: string | null,
  passkeyRps: string[] | null,
  uris: Array<[uri: string, match: string, host: string | null]>,
  noteLine: string | null,
  tags: string[],
];

export const packSummary = (s: IndexedSummary): PackedSummary => [
  s.type,
  s.name,
  // A login's subtitle is most often its username: kept once.
  s.username !== undefined && s.subtitle === s.username ? null : s.subtitle,
  s.favorite ? 1 : 0,
  s.folderId,
  s.trashedAt,
  s.conflicts,
  s.hasTotp ? 1 : 0,
  s.updatedAt,
  s.username ?? null,
  s.passkeyRps ?? null,
  s.uris.map((u) => [u.uri, u.match, u.host ?? null]),
  s.noteLine,
  s.tags,
];

export const unpackSummary = (id: string, p: PackedSummary): IndexedSummary =>
  summaryOf(id, {
    type: p[0],
    name: p[1],
    subtitle: p[2] ?? p[9] ?? '',
    favorite: p[3] === 1,
    folderId: p[4],
    trashedAt: p[5],
    conflicts: p[6],
    hasTotp: p[7] === 1,
    updatedAt: p[8],
    ...(p[9] !== null ? { username: p[9] } : {}),
    ...(p[10] ? { passkeyRps: p[10] } : {}),
    uris: p[11].map(([uri, match, host]) => ({ uri, match, host })),
    noteLine: p[12],
    tags: p[13],
  });

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
  /** Its host, read once when indexed. */
  host?: string | null;
  /** Its registrable domain, looked up the first time a page could match it (see frameMatcher). */
  domain?: string | null;
}

/** A matcher for one page ("items for this site"): the same rules autofill uses. */
export const pageMatcher = frameMatcher;

/** Does a saved URI match the page? Registrable domain by default (Public Suffix List). */
export const uriMatches = (saved: SavedUri, pageUrl: string) => pageMatcher(pageUrl)(saved);

/**
 * Makes the summary's text the body's own strings, where they are the same text: a summary read
 * from the first pack tier and a body read from the second hold separate copies of the name,
 * username, addresses and dates otherwise (measured at 10,000 items: 15.1 MiB of worker heap
 * without sharing the name, username and addresses, 13.7 with it).
 */
export function shareText(s: IndexedSummary, body: RecordBody) {
  if (!isItem(body)) return;
  if (s.name === body.name) s.name = body.name;
  if (s.updatedAt === body.updatedAt) s.updatedAt = body.updatedAt;
  if (s.trashedAt === body.trashedAt) s.trashedAt = body.trashedAt;
  if (s.folderId === body.folderId) s.folderId = body.folderId;
  if (s.tags.length === body.tags.length && s.tags.every((t, i) => t === body.tags[i]))
    s.tags = body.tags;
  if (body.type !== 'login') return;
  if (s.username === body.username) s.username = body.username;
  if (s.subtitle === body.username) s.subtitle = body.username;
  for (const [i, u] of s.uris.entries()) if (u.uri === body.uris[i]?.uri) u.uri = body.uris[i].uri;
}
