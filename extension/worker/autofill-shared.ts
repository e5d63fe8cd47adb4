// Helpers both sides of autofill (filling, saving) use: the logins that match a frame, and
// the small vocabulary of tokens, origins and readable errors.

import {
  equivalentDomains,
  type LoginCandidate,
  type LoginMatch,
  matchLogins,
} from '../autofill/match-logins.ts';
import type { RequestOf, Responses } from '../messages.ts';
import { loadSettings } from './storage.ts';
import { type Frame, type Sender, topUrlOf } from './tab-frames.ts';
import type { VaultSession } from './vault-session.ts';

export type Handler<T extends keyof Responses> = (
  req: RequestOf<T>,
  sender: Sender,
) => Promise<Responses[T]>;

export const randomToken = () => crypto.randomUUID().replaceAll('-', '');

export const autofillError = (code: string, message: string) =>
  Object.assign(new Error(message), { code });

export const originOf = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
};

function loginsOf(v: VaultSession): LoginCandidate[] {
  const out: LoginCandidate[] = [];
  // From the summaries alone (no body is parsed): their URIs carry their registrable domain,
  // computed once at indexing.
  for (const [id, { type, summary }, shared] of v.allEntries()) {
    if (type !== 'login' || !summary || summary.trashed) continue;
    out.push({
      id,
      name: summary.name,
      username: summary.username ?? '',
      uris: summary.uris,
      hasTotp: summary.hasTotp,
      ...(shared ? { vaultName: v.sharedIndexes.nameOf(shared.vaultId) ?? '' } : {}),
    });
  }
  return out;
}

/** The saved logins that may be filled into this frame (and what must be asked first). */
export async function matchesFor(
  v: VaultSession,
  frame: Frame,
  only?: string,
): Promise<LoginMatch[]> {
  const logins = loginsOf(v).filter((l) => !only || l.id === only);
  const eq = equivalentDomains((await loadSettings()).equivalentDomains);
  return matchLogins(logins, { url: frame.url, topUrl: await topUrlOf(frame) }, eq);
}
