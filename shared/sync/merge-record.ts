// The three-way merge of a record's plaintext (DESIGN §3), a pure function.
//
// | base → local      | base → server     | result                                             |
// | ----------------- | ----------------- | -------------------------------------------------- |
// | deleted           | deleted           | deleted                                            |
// | deleted           | unchanged         | deleted                                            |
// | deleted           | edited            | server (edit beats delete)                         |
// |   "edited" is told by the caller when it knows versions (a value changed and changed     |
// |   back is still an edit); otherwise it is a change of content.                           |
// | edited/unchanged  | deleted           | local if edited (edit beats delete), else deleted  |
// | live              | live              | field by field:                                    |
// |   field: only one side changed it     |   that side's value                                |
// |   field: both changed, to one value   |   that value                                       |
// |   field: both changed, differently    |   server's value; the local one goes to the        |
// |                                       |   conflicts list (the password too: both may be    |
// |                                       |   set on a site, so the person chooses)            |
// | live, other type  | live              | server; the whole local item goes to conflicts     |
// | not an item (folder, generated)       | field by field, server wins a clash (no conflicts) |
//
// Each conflict says when and on which device the lost value was written (the local side's
// updatedAt and editedBy) and the same of the value that stayed. passwordHistory and conflicts
// are unions of all three sides (one history entry per password: the newest); updatedAt is the
// latest. Passkeys merge one by one (by credential id): each side's new ones are kept, one removed
// on either side goes (the other did not change it), and a passkey both changed keeps the server's.
import type { ConflictEntry, Editor, RecordBody } from '../model/item.ts';

type Fields = Record<string, unknown>;
const ACCUMULATED = new Set([
  'passwordHistory',
  'conflicts',
  'updatedAt',
  'createdAt',
  'type',
  'passkeys',
]);
const HISTORY_MAX = 100;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function union<T>(...lists: Array<T[] | undefined>): T[] {
  const seen = new Map<string, T>();
  for (const list of lists) for (const x of list ?? []) seen.set(JSON.stringify(x), x);
  return [...seen.values()];
}

export interface MergeResult {
  merged: RecordBody | null;
  /** Values that lost to the server's and were kept in history or conflicts. */
  preserved: number;
}

export function mergeRecord(
  base: RecordBody | null,
  local: RecordBody | null,
  server: RecordBody | null,
  now: string,
  opts: { serverEdited?: boolean; localEdited?: boolean } = {},
): MergeResult {
  if (!local || !server) {
    const survivor = local ?? server;
    const told = survivor === server ? opts.serverEdited : opts.localEdited;
    const edited = survivor !== null && (told ?? !same(survivor, base));
    return { merged: edited ? survivor : null, preserved: 0 };
  }
  if (local.type !== server.type) {
    if (!('conflicts' in server)) return { merged: server, preserved: 0 };
    const lost: ConflictEntry = {
      field: '*',
      value: local as never,
      ...sides(local, server, now),
    };
    return { merged: { ...server, conflicts: union(server.conflicts, [lost]) }, preserved: 1 };
  }
  const b = (base?.type === server.type ? base : {}) as Fields;
  const l = local as Fields;
  const s = server as Fields;
  const out: Fields = { ...s };
  const conflicts: ConflictEntry[] = [];
  for (const key of new Set([...Object.keys(l), ...Object.keys(s)])) {
    if (ACCUMULATED.has(key) || key === 'editedBy' || same(l[key], s[key])) continue;
    if (same(s[key], b[key])) out[key] = l[key];
    else if (same(l[key], b[key])) out[key] = s[key];
    else if (l[key] !== undefined)
      conflicts.push({ field: key, value: l[key] as never, ...sides(local, server, now) });
  }
  out.updatedAt = [l.updatedAt, s.updatedAt].sort().at(-1);
  out.createdAt = [l.createdAt, s.createdAt].sort()[0];
  if (!('conflicts' in server) || !('conflicts' in local))
    return { merged: out as RecordBody, preserved: 0 };
  out.conflicts = union(server.conflicts, local.conflicts, conflicts);
  if (server.type === 'login' && local.type === 'login') {
    out.passkeys = mergeKeyed(
      base?.type === 'login' ? base.passkeys : [],
      local.passkeys,
      server.passkeys,
      (p) => p.credentialId,
    );
    const current = out.password;
    out.passwordHistory = onePerPassword([...server.passwordHistory, ...local.passwordHistory])
      .filter((h) => h.password !== current)
      .slice(0, HISTORY_MAX);
  }
  return { merged: out as RecordBody, preserved: conflicts.length };
}

/** When and where the lost (local) value and the kept (server) value were written. */
function sides(local: RecordBody, server: RecordBody, now: string) {
  const by = (b: RecordBody): Editor | null => ('editedBy' in b ? b.editedBy : null);
  return {
    at: local.updatedAt ?? now,
    by: by(local),
    against: { at: server.updatedAt ?? now, by: by(server) },
  };
}

/**
 * Password history with each password once, at its newest change, newest first: two devices
 * that both replaced the same old password each wrote it to history at their own time.
 */
export function onePerPassword<T extends { password: string; changedAt: string }>(list: T[]) {
  const newest = new Map<string, T>();
  for (const h of list) {
    const seen = newest.get(h.password);
    if (!seen || seen.changedAt < h.changedAt) newest.set(h.password, h);
  }
  return [...newest.values()].sort((x, y) => (x.changedAt < y.changedAt ? 1 : -1));
}

/**
 * A three-way merge of a list whose elements have ids: elements either side added stay, one
 * that either side removed goes, one both changed keeps the server's value; server order first.
 */
export function mergeKeyed<T>(base: T[], local: T[], server: T[], key: (x: T) => string): T[] {
  const b = new Map(base.map((x) => [key(x), x]));
  const l = new Map(local.map((x) => [key(x), x]));
  const s = new Map(server.map((x) => [key(x), x]));
  const out: T[] = [];
  for (const id of new Set([...s.keys(), ...l.keys()])) {
    const [bx, lx, sx] = [b.get(id), l.get(id), s.get(id)];
    if (bx !== undefined && (lx === undefined || sx === undefined)) {
      // Removed on one side: gone, unless the other side changed it since (an edit beats a delete).
      const survivor = lx ?? sx;
      if (survivor !== undefined && !same(survivor, bx)) out.push(survivor);
      continue;
    }
    if (sx !== undefined && lx !== undefined) out.push(same(sx, bx) ? lx : sx);
    else out.push((sx ?? lx) as T);
  }
  return out;
}
