// How the worker names an item across vaults. Personal items keep their record id; an item of a
// shared vault is `shared:<vaultId>:<recordId>` everywhere a page or autofill names it (lists,
// the vault page's address, fills), so one set of handlers serves every vault.

const PREFIX = 'shared:';

export const sharedKey = (vaultId: string, id: string) => `${PREFIX}${vaultId}:${id}`;

/** The vault (null: personal) and record id an item key names. */
export function parseItemKey(key: string): { vaultId: string | null; id: string } {
  if (!key.startsWith(PREFIX)) return { vaultId: null, id: key };
  const rest = key.slice(PREFIX.length);
  const at = rest.indexOf(':');
  if (at <= 0 || at === rest.length - 1) return { vaultId: null, id: key };
  return { vaultId: rest.slice(0, at), id: rest.slice(at + 1) };
}
