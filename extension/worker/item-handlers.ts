// Handlers for the items side of the message API: list and search over the in-memory index,
// read, save, trash, conflicts, TOTP and the password report.
import {
  type Editor,
  GENERATED_KEEP,
  isItem,
  type Passkey,
  parseRecordBody,
  type RecordBody,
} from '../../shared/model/item.ts';
import { totpCode } from '../../shared/model/totp.ts';
import { MAY_WRITE } from '../../shared/sharing/sharing-client.ts';
import { onePerPassword } from '../../shared/sync/merge-record.ts';
import { equivalentDomains } from '../autofill/match-logins.ts';
import type { Filter, ItemSummary, ItemVault, RequestOf, Responses } from '../messages.ts';
import { parseItemKey, sharedKey } from '../vault/item-key.ts';
import type { SharedIndex } from '../vault/shared-indexes.ts';
import {
  compareNames,
  compareSummaries,
  type IndexedSummary,
  pageMatcher,
  webAddress,
} from '../vault/summarize.ts';
import { loadAccount, loadSettings } from './storage.ts';
import { tabUrl } from './tab-frames.ts';
import type { VaultSession } from './vault-session.ts';
import { getState, requireVault } from './worker-state.ts';

type Handler<T extends keyof Responses> = (req: RequestOf<T>) => Promise<Responses[T]>;

/**
 * What a page gets of a summary: no search text (nor what it is made of); the site for its icon,
 * worked out now.
 */
const strip = ({
  hay: _h,
  order: _o,
  username: _n,
  passkeyRps: _p,
  noteLine: _l,
  tags: _t,
  uris,
  ...s
}: IndexedSummary & { vault?: ItemVault }): ItemSummary => {
  const site = webAddress(uris);
  return site ? { ...s, site } : s;
};

function passes(s: IndexedSummary, f: Filter): boolean {
  if (f.kind === 'trash') return s.trashed;
  if (s.trashed) return false;
  switch (f.kind) {
    case 'favorites':
      return s.favorite;
    case 'conflicts':
      return s.conflicts > 0;
    case 'type':
      return s.type === f.value;
    case 'folder':
      return s.folderId === f.value;
    default:
      return true;
  }
}

/** The index's summaries (every vault's) sorted once per change, not once per keystroke. */
let sorted: {
  session: unknown;
  version: string;
  list: IndexedSummary[];
  folders: Array<{ id: string; name: string }>;
} | null = null;
function sortedView(v: VaultSession) {
  const version = v.version;
  if (sorted?.session !== v || sorted.version !== version) {
    const list: IndexedSummary[] = [];
    const folders: Array<{ id: string; name: string }> = [];
    const vaults = new Map<string, ItemVault>();
    for (const [key, e, shared] of v.allEntries()) {
      if (!shared) {
        if (e.type === 'folder') {
          const folder = e.body;
          if (folder.type === 'folder') folders.push({ id: key, name: folder.name });
        } else if (e.summary) list.push(e.summary);
        continue;
      }
      if (!e.summary) continue;
      let vault = vaults.get(shared.vaultId);
      if (!vault) {
        vault = vaultOf(v, shared);
        vaults.set(shared.vaultId, vault);
      }
      // A shared item's folder is someone else's: it shows in no folder here.
      list.push({ ...e.summary, id: key, folderId: null, vault });
    }
    sorted = {
      session: v,
      version,
      // The packs are written in this order, so after an unlock this sort is one pass.
      list: list.sort(compareSummaries),
      folders: folders.sort((a, b) => compareNames(a.name, b.name)),
    };
  }
  return sorted;
}

/**
 * The last search's hits, kept for the next request: a list scrolled page by page asks again
 * with another offset, and a keystroke that extends the query narrows the last hits instead of
 * scanning the whole vault (every item matching "site 1234" matched "site 123").
 */
let lastSearch: {
  view: ReturnType<typeof sortedView>;
  scope: string;
  query: string;
  terms: string[];
  list: IndexedSummary[];
} | null = null;
function searchHits(
  view: ReturnType<typeof sortedView>,
  query: string,
  filter: Filter,
  vault: string | null,
) {
  const q = query.toLowerCase();
  const scope = JSON.stringify([filter, vault]);
  const last = lastSearch;
  if (last && last.view === view && last.scope === scope && last.query === q) return last;
  const terms = q.split(/\s+/).filter(Boolean);
  const inVault = (s: IndexedSummary & { vault?: ItemVault }) =>
    vault === null || (vault === 'personal' ? !s.vault : s.vault?.id === vault);
  const narrowing = last && last.view === view && last.scope === scope && q.startsWith(last.query);
  const from = narrowing ? last.list : view.list;
  const list = narrowing
    ? from.filter((s) => terms.every((t) => s.hay.includes(t)))
    : from.filter((s) => passes(s, filter) && inVault(s) && terms.every((t) => s.hay.includes(t)));
  lastSearch = { view, scope, query: q, terms, list };
  return lastSearch;
}

/** How a page shows a shared vault an item is in. */
export function vaultOf(v: VaultSession, shared: SharedIndex): ItemVault {
  return {
    id: shared.vaultId,
    name: v.sharedIndexes.nameOf(shared.vaultId),
    role: shared.role,
    readOnly: !MAY_WRITE.includes(shared.role),
  };
}

/** A shared vault's members, and how many of them this account has not verified. */
export async function membersOf(
  v: VaultSession,
  vaultId: string,
  known?: Map<string, { verifiedAt?: string | null }>,
) {
  const open = v.sharing.entry(vaultId);
  const members = open ? [...open.verified.members.values()] : [];
  const contacts = known ?? new Map((await v.sharing.contacts()).map((c) => [c.userId, c]));
  return {
    members: members.length,
    unverified: members.filter(
      (m) => m.userId !== v.sharing.userId && !contacts.get(m.userId)?.verifiedAt,
    ).length,
  };
}

async function entryOf(id: string) {
  const v = await requireVault();
  await v.current();
  const entry = v.itemEntry(id);
  if (!entry) throw Object.assign(new Error('That item no longer exists.'), { code: 'NOT_FOUND' });
  return entry;
}

async function bodyOf(id: string): Promise<RecordBody> {
  return (await entryOf(id)).body;
}

const now = () => new Date().toISOString();

/** Keeps a generated password in the history; only the newest 100 stay (on every device). */
export async function rememberGenerated(
  v: VaultSession,
  value: string,
  site: string | null,
  itemName: string | null,
) {
  await v.current();
  const at = now();
  const body = { type: 'generated', value, site, itemName, createdAt: at, updatedAt: at };
  await v.save(crypto.randomUUID(), parseRecordBody(body));
  for (const { id } of generated(v).slice(GENERATED_KEEP)) await v.save(id, null);
}

/** The generator history, newest first. */
function generated(v: VaultSession) {
  const out: Responses['generatorHistory'] = [];
  for (const [id, e] of v.index.entries) {
    if (e.type !== 'generated') continue;
    const body = e.body;
    if (body.type !== 'generated') continue;
    const { value, site, itemName, createdAt } = body;
    out.push({ id, value, site, itemName, createdAt });
  }
  return out.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

/** This device, as an item's `editedBy` names it. */
async function editor(): Promise<Editor> {
  const a = await loadAccount();
  return { device: a?.deviceId ?? 'unknown', name: a?.deviceName ?? '' };
}

/** History with `password` added now (once), leaving out the ones that are current. */
function withHistory(
  history: Array<{ password: string; changedAt: string }>,
  password: string,
  current: string[],
) {
  if (!password) return history;
  return onePerPassword([{ password, changedAt: now() }, ...history])
    .filter((h) => !current.includes(h.password))
    .slice(0, GENERATED_KEEP);
}
/**
 * Changes a login's passkeys (the only way they change: saveItem keeps them as they are), with
 * what `change` makes of the login as it is now.
 */
export async function updatePasskeys(
  v: VaultSession,
  id: string,
  change: (login: Extract<RecordBody, { type: 'login' }>) => {
    passkeys: Passkey[];
    username?: string;
  },
) {
  await v.current();
  const body = v.itemEntry(id)?.body;
  if (body?.type !== 'login' || body.trashedAt)
    throw Object.assign(new Error('That login no longer exists.'), { code: 'NOT_FOUND' });
  const patch = change(body);
  await v.save(
    id,
    parseRecordBody({ ...body, ...patch, updatedAt: now(), editedBy: await editor() }),
  );
}

const notAFolder = () =>
  Object.assign(new Error('That folder no longer exists.'), { code: 'NOT_FOUND' });

export const itemHandlers: { [K in keyof Responses]?: Handler<K> } = {
  async listItems({
    query = '',
    filter = { kind: 'all' },
    pageUrl = null,
    tabId = null,
    limit = 200,
    offset = 0,
    vault = null,
  }) {
    const v = await requireVault();
    if (filter.kind === 'trash') await v.purgeTrash();
    const view = sortedView(v);
    const hits = searchHits(view, query, filter, vault);
    // The site's own items head the list only when nothing is typed (a search shows hits alone).
    const site: IndexedSummary[] = [];
    const page =
      offset > 0 || hits.terms.length > 0
        ? null
        : (pageUrl ?? (tabId !== null ? await tabUrl(tabId) : null));
    if (page) {
      const matches = pageMatcher(
        page,
        equivalentDomains((await loadSettings()).equivalentDomains),
      );
      for (const s of view.list) if (!s.trashed && s.uris.some(matches)) site.push(s);
    }
    return {
      items: hits.list.slice(offset, offset + limit).map(strip),
      total: hits.list.length,
      siteMatches: site.slice(0, 20).map(strip),
      folders: view.folders,
    };
  },

  async getItem({ id }) {
    const v = await requireVault();
    const entry = await entryOf(id);
    if (!entry.vault) return { id, body: entry.body };
    const { unverified } = await membersOf(v, entry.vault.vaultId);
    return { id, body: entry.body, vault: { ...vaultOf(v, entry.vault), unverified } };
  },

  async saveItem({ id, body, vaultId = null }) {
    const v = await requireVault();
    const itemId = id ?? (vaultId ? sharedKey(vaultId, crypto.randomUUID()) : crypto.randomUUID());
    await v.current();
    const previous = id ? v.itemEntry(id)?.body : undefined;
    const stamped: Record<string, unknown> = {
      ...body,
      createdAt: previous?.createdAt ?? now(),
      updatedAt: now(),
    };
    if (body.type !== 'folder' && body.type !== 'generated') stamped.editedBy = await editor();
    // A changed password keeps the old one in the item's history.
    if (
      previous?.type === 'login' &&
      stamped.type === 'login' &&
      previous.password &&
      previous.password !== stamped.password
    ) {
      stamped.passwordHistory = withHistory(previous.passwordHistory, previous.password, [
        stamped.password as string,
      ]);
    }
    // Passkeys change only through their own requests (made on a site, deleted on the vault
    // page): a body saved from an editor opened before one was added keeps it.
    if (previous?.type === 'login' && stamped.type === 'login')
      stamped.passkeys = previous.passkeys;
    await v.save(itemId, parseRecordBody(stamped));
    return { id: itemId };
  },

  async trashItem({ id, restore = false }) {
    const v = await requireVault();
    const body = await bodyOf(id);
    if (!isItem(body)) {
      await v.save(id, null);
      return {};
    }
    await v.save(id, { ...body, trashedAt: restore ? null : now(), updatedAt: now() });
    return {};
  },

  async deleteSitePasskey({ id, credentialId }) {
    await updatePasskeys(await requireVault(), id, (login) => {
      if (!login.passkeys.some((p) => p.credentialId === credentialId))
        throw Object.assign(new Error('That passkey no longer exists.'), { code: 'NOT_FOUND' });
      return { passkeys: login.passkeys.filter((p) => p.credentialId !== credentialId) };
    });
    return {};
  },

  async deleteForever({ id }) {
    const v = await requireVault();
    await v.save(id, null);
    return {};
  },

  async rememberGenerated({ value, site, itemName }) {
    const v = await requireVault();
    await v.current();
    const at = now();
    await v.save(
      crypto.randomUUID(),
      parseRecordBody({ type: 'generated', value, site, itemName, createdAt: at, updatedAt: at }),
    );
    // Only the newest 100 are kept: older ones are deleted (on every device).
    for (const { id } of generated(v).slice(GENERATED_KEEP)) await v.save(id, null);
    return {};
  },

  async generatorHistory() {
    const v = await requireVault();
    await v.current();
    return generated(v).slice(0, GENERATED_KEEP);
  },

  async clearGeneratorHistory() {
    const v = await requireVault();
    await v.current();
    const all = generated(v);
    for (const { id } of all) await v.save(id, null);
    return { deleted: all.length };
  },

  async renameFolder({ id, name }) {
    const v = await requireVault();
    await v.current();
    const folder = await bodyOf(id);
    if (folder.type !== 'folder') throw notAFolder();
    const old = `${folder.name}/`;
    const next = name.replace(/\s*\/\s*/g, '/').replace(/^\/+|\/+$/g, '');
    const changed = [{ id, body: { ...folder, name: next, updatedAt: now() } }];
    for (const [fid, e] of v.index.entries) {
      if (e.type !== 'folder') continue;
      const sub = e.body;
      if (sub.type === 'folder' && sub.name.startsWith(old))
        changed.push({
          id: fid,
          body: { ...sub, name: `${next}/${sub.name.slice(old.length)}`, updatedAt: now() },
        });
    }
    await v.saveMany(changed);
    return { renamed: changed.length };
  },

  async deleteFolder({ id }) {
    const v = await requireVault();
    await v.current();
    const folder = await bodyOf(id);
    if (folder.type !== 'folder') throw notAFolder();
    const moved: Array<{ id: string; body: RecordBody }> = [];
    for (const [iid, e] of v.index.entries)
      if (e.summary?.folderId === id)
        moved.push({
          id: iid,
          body: { ...e.body, folderId: null, updatedAt: now() } as RecordBody,
        });
    if (moved.length) await v.saveMany(moved);
    await v.save(id, null);
    return { moved: moved.length };
  },

  async emptyTrash() {
    const v = await requireVault();
    await v.current();
    // Every vault's trash this account may change (a viewer's trash is the writers' to empty).
    const trashed = [...v.allEntries()]
      .filter(([, e, shared]) => e.summary?.trashed && (!shared || MAY_WRITE.includes(shared.role)))
      .map(([id]) => id);
    for (const id of trashed) await v.save(id, null);
    return { deleted: trashed.length };
  },

  /** use: the other value replaces the current one; keepBoth: it goes into a copy of the item. */
  async resolveConflict({ id, index, action }) {
    const v = await requireVault();
    const body = await bodyOf(id);
    if (!isItem(body)) throw new Error('Folders have no conflicts.');
    const entry = body.conflicts[index];
    if (!entry)
      throw Object.assign(new Error('That conflict was already resolved.'), { code: 'NOT_FOUND' });
    const rest = {
      ...body,
      conflicts: body.conflicts.filter((_, i) => i !== index),
      updatedAt: now(),
      editedBy: await editor(),
    };
    // A password is never dropped by a choice: the one not kept goes to history (it may be
    // the one set on the site).
    if (rest.type === 'login' && entry.field === 'password' && typeof entry.value === 'string') {
      const other = entry.value;
      const current = rest.password;
      if (action === 'use')
        rest.passwordHistory = withHistory(rest.passwordHistory, current, [other]);
      else if (action === 'dismiss')
        rest.passwordHistory = withHistory(rest.passwordHistory, other, [current]);
    }
    let copyId = id;
    if (action === 'use') {
      const replaced =
        entry.field === '*'
          ? { ...(entry.value as object), conflicts: rest.conflicts }
          : { ...rest, [entry.field]: entry.value };
      await v.save(id, parseRecordBody(replaced));
    } else {
      await v.save(id, rest);
      if (action === 'keepBoth') {
        // The copy stays in the item's vault.
        const { vaultId } = parseItemKey(id);
        copyId = vaultId ? sharedKey(vaultId, crypto.randomUUID()) : crypto.randomUUID();
        const copy =
          entry.field === '*' ? (entry.value as object) : { ...rest, [entry.field]: entry.value };
        await v.save(
          copyId,
          parseRecordBody({
            ...copy,
            name: `${body.name} (conflict copy)`,
            conflicts: [],
            createdAt: now(),
            updatedAt: now(),
          }),
        );
      }
    }
    return { id: copyId };
  },

  async totp({ id }) {
    const body = await bodyOf(id);
    if (body.type !== 'login' || !body.totp)
      throw Object.assign(new Error('This item has no TOTP.'), { code: 'NOT_FOUND' });
    return totpCode(body.totp);
  },

  async syncNow() {
    const v = await requireVault();
    await v.sync();
    return getState();
  },

  async passwordReport() {
    const v = await requireVault();
    await v.current();
    const out: Responses['passwordReport'] = [];
    for (const [id, e] of v.allEntries()) {
      if (e.type !== 'login' || e.summary?.trashed) continue;
      const body = e.body;
      if (body.type === 'login' && body.password)
        out.push({ id, name: body.name, username: body.username, password: body.password });
    }
    return out;
  },
};
