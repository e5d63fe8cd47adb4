// When an imported item is "the same" as one already in the vault: same type, and the same
// fields a person would compare (name, username, password, sites and passkeys for a login; number for a
// card; …). Case and surrounding spaces of names and usernames do not count.
import type { RecordBody } from '../model/item.ts';

const norm = (s: string | null | undefined) => (s ?? '').trim().toLowerCase();

export function duplicateKey(body: RecordBody): string {
  switch (body.type) {
    case 'login':
      return JSON.stringify([
        'login',
        norm(body.name),
        norm(body.username),
        body.password,
        body.uris.map((u) => u.uri.trim()).sort(),
        // A login whose passkeys differ is not the same: skipping it would lose a passkey.
        body.passkeys.map((p) => p.credentialId).sort(),
      ]);
    case 'card':
      return JSON.stringify(['card', norm(body.name), (body.number ?? '').replace(/\s/g, '')]);
    case 'identity':
      return JSON.stringify(['identity', norm(body.name), norm(body.email), norm(body.lastName)]);
    case 'note':
      return JSON.stringify(['note', norm(body.name), body.notes.trim()]);
    case 'folder':
      return JSON.stringify(['folder', norm(body.name)]);
    case 'generated':
      return JSON.stringify(['generated', body.value, body.createdAt]);
    case 'contact':
      return JSON.stringify(['contact', body.userId]);
    case 'vault-pin':
      return JSON.stringify(['vault-pin', body.vaultId]);
    case 'vault-settings':
      return JSON.stringify(['vault-settings']);
  }
}
