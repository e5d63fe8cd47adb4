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
// |   field: both changed, differently    |   server's value; the local one goes to password   |
// |                                       |   history (password) or the conflicts list         |
// | live, other type  | live              | server; the whole local item goes to conflicts     |
//
// passwordHistory and conflicts are unions of all three sides; updatedAt is the latest.
import type { ConflictEntry, RecordBody } from '../model/item.ts';

type Fields = Record<string, unknown>;
const ACCUMULATED = new Set(['passwordHistory', 'conflicts', 'updatedAt', 'createdAt', 'type']);
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
    if (server.type === 'folder') return { merged: server, preserved: 0 };
    const lost: ConflictEntry = { field: '*', value: local as never, at: now };
    return { merged: { ...server, conflicts: union(server.conflicts, [lost]) }, preserved: 1 };
  }
  const b = (base?.type === server.type ? base : {}) as Fields;
  const l = local as Fields;
  const s = server as Fields;
  const out: Fields = { ...s };
  const history: unknown[] = [];
  const conflicts: ConflictEntry[] = [];
  for (const key of new Set([...Object.keys(l), ...Object.keys(s)])) {
    if (ACCUMULATED.has(key) || same(l[key], s[key])) continue;
    if (same(s[key], b[key])) out[key] = l[key];
    else if (same(l[key], b[key])) out[key] = s[key];
    else if (key === 'password' && typeof l[key] === 'string' && l[key] !== '') {
      history.push({ password: l[key], changedAt: now });
    } else if (l[key] !== undefined) {
      conflicts.push({ field: key, value: l[key] as never, at: now });
    }
  }
  out.updatedAt = [l.updatedAt, s.updatedAt].sort().at(-1);
  out.createdAt = [l.createdAt, s.createdAt].sort()[0];
  if (server.type === 'folder') return { merged: out as RecordBody, preserved: 0 };
  const ls = local as Extract<RecordBody, { conflicts: unknown }>;
  const ss = server as Extract<RecordBody, { conflicts: unknown }>;
  out.conflicts = union(ss.conflicts, ls.conflicts, conflicts);
  if (server.type === 'login' && local.type === 'login') {
    out.passwordHistory = union(server.passwordHistory, local.passwordHistory, history as never[])
      .sort((x, y) => (x.changedAt < y.changedAt ? 1 : -1))
      .slice(0, HISTORY_MAX);
  }
  return { merged: out as RecordBody, preserved: history.length + conflicts.length };
}
