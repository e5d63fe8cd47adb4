// Import into and export out of the vault (message API). Files are read and parsed in the page;
// the worker receives items in chunks, checks each one, finds duplicates of what the vault
// already holds, files items into folders by name (creating missing folders), and saves a chunk
// in one transaction. Export hands the page the decrypted items; the page seals or formats them.
import { isItem, parseRecordBody, type RecordBody } from '../../shared/model/item.ts';
import { duplicateKey } from '../../shared/transfer/duplicate-key.ts';
import type { RequestOf, Responses } from '../messages.ts';
import { checkPassword } from './keys.ts';
import { loadAccount } from './storage.ts';
import { requireVault, touch } from './worker-state.ts';

type Handler<T extends keyof Responses> = (req: RequestOf<T>) => Promise<Responses[T]>;

const now = () => new Date().toISOString();

/** Each vault body's duplicate key, computed once: an import checks every chunk against all. */
const keys = new WeakMap<RecordBody, string>();
const keyOf = (body: RecordBody) => {
  let key = keys.get(body);
  if (key === undefined) {
    key = duplicateKey(body);
    keys.set(body, key);
  }
  return key;
};

export const transferHandlers: { [K in keyof Responses]?: Handler<K> } = {
  async importItems({ items, skipDuplicates, dryRun }) {
    const v = await requireVault();
    await v.current();
    const seen = new Set<string>();
    const folders = new Map<string, string>();
    for (const [id, e] of v.index.entries) {
      if (e.type !== 'folder' && (!e.summary || e.summary.trashed)) continue;
      const body = e.body;
      if (body.type === 'folder') folders.set(body.name.trim().toLowerCase(), id);
      else if (isItem(body)) seen.add(keyOf(body));
    }
    const at = now();
    const save: Array<{ id: string; body: RecordBody }> = [];
    const duplicates: number[] = [];
    const invalid: Array<{ index: number; reason: string }> = [];
    let newFolders = 0;
    for (const [index, item] of items.entries()) {
      let folderId: string | null = null;
      const folderName = item.folder?.trim();
      if (folderName) {
        folderId = folders.get(folderName.toLowerCase()) ?? null;
        if (!folderId) {
          folderId = crypto.randomUUID();
          folders.set(folderName.toLowerCase(), folderId);
          newFolders++;
          save.push({
            id: folderId,
            body: { type: 'folder', name: folderName.slice(0, 500), createdAt: at, updatedAt: at },
          });
        }
      }
      let body: RecordBody;
      try {
        body = parseRecordBody({
          createdAt: at,
          updatedAt: at,
          ...item.body,
          folderId,
        });
      } catch (err) {
        invalid.push({ index, reason: (err as Error).message.slice(0, 300) });
        continue;
      }
      const key = duplicateKey(body);
      if (seen.has(key)) {
        duplicates.push(index);
        if (skipDuplicates) continue;
      }
      seen.add(key);
      save.push({ id: crypto.randomUUID(), body });
    }
    const imported = save.length - newFolders;
    if (!dryRun && save.length > 0) {
      await v.saveMany(save);
      await touch();
    }
    return {
      imported: dryRun ? 0 : imported,
      duplicates,
      invalid,
      newFolders,
    };
  },

  /** Every item in plain text, after the master password is entered again. */
  async exportItems({ password }) {
    const account = await loadAccount();
    if (!account) throw Object.assign(new Error('Set up Cofre first.'), { code: 'NO_ACCOUNT' });
    await checkPassword(account, password);
    const v = await requireVault();
    await v.current();
    const folders = new Map<string, string>();
    for (const [id, e] of v.index.entries) {
      const body = e.type === 'folder' ? e.body : null;
      if (body?.type === 'folder') folders.set(id, body.name);
    }
    const items = [...v.index.entries.values()]
      .filter((e) => e.summary && !e.summary.trashed)
      .map((e) => e.body)
      .filter((b) => isItem(b) && !b.trashedAt)
      .map((body) => ({
        body: body as Record<string, unknown>,
        folder: isItem(body) && body.folderId ? (folders.get(body.folderId) ?? null) : null,
      }));
    await touch();
    return { items };
  },
};
