// Cards and identities for autofill: which ones a payment or address form is offered, what a
// fill of one sends (values by autofill token), and what must be asked first.
//
//   ask         | when
//   insecure    | the form's frame is http
//   crossOrigin | the form is in a frame of another origin than the tab's page (a payment
//               | provider's iframe): the question names both
//   prove       | a card, the "ask before a card" setting on, and no unlock or master password
//               | in the last CARD_PROOF_MS
//
// Cards and identities are not bound to sites: any page may show a person the list when they
// click its field, and values go only to the frame (and that frame's origin) they chose.

import type { MenuEntry } from '../messages.ts';
import { loadSettings } from './storage.ts';
import { type Frame, framesOf, topUrlOf } from './tab-frames.ts';
import type { VaultSession } from './vault-session.ts';
import { provedWithin } from './worker-state.ts';

export const CARD_PROOF_MS = 5 * 60_000;

export type WalletRole = 'card' | 'identity';
const typeOf = (role: WalletRole) => (role === 'card' ? 'card' : 'identity');

const last4 = (n: string | null) => (n ? n.replace(/\D/g, '').slice(-4) : '');

/** The cards (or identities) of every vault, named the way a person tells them apart. */
export function walletEntries(v: VaultSession, role: WalletRole): MenuEntry[] {
  const out: MenuEntry[] = [];
  for (const [id, e, shared] of v.allEntries()) {
    if (e.type !== typeOf(role) || e.summary?.trashed) continue;
    const body = e.body;
    if (body.type !== 'card' && body.type !== 'identity') continue;
    const sub =
      body.type === 'card'
        ? [body.brand, last4(body.number) && `•••• ${last4(body.number)}`].filter(Boolean).join(' ')
        : body.type === 'identity'
          ? [[body.firstName, body.lastName].filter(Boolean).join(' '), body.city]
              .filter(Boolean)
              .join(' · ') ||
            body.email ||
            ''
          : '';
    out.push({
      id,
      name: body.name,
      username: '',
      hasTotp: false,
      ask: [],
      sub,
      ...(shared ? { vaultName: v.sharedIndexes.nameOf(shared.vaultId) ?? '' } : {}),
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** What must be asked before values go into this frame. */
export async function walletAsk(frame: Frame, role: WalletRole) {
  const ask: Array<'insecure' | 'crossOrigin' | 'prove'> = [];
  const url = new URL(frame.url);
  if (url.protocol === 'http:') ask.push('insecure');
  const top = await topUrlOf(frame);
  let topOrigin = '';
  try {
    topOrigin = new URL(top).origin;
  } catch {
    // unknown top page: counts as another origin
  }
  if (topOrigin !== url.origin) ask.push('crossOrigin');
  if (role === 'card' && (await loadSettings()).cardReask && !(await provedWithin(CARD_PROOF_MS)))
    ask.push('prove');
  return { ask, topOrigin };
}

/** The item's values by autofill token (empty ones left out). */
export function walletValues(
  v: VaultSession,
  id: string,
  role: WalletRole,
): Record<string, string> {
  const body = v.itemEntry(id)?.body;
  if (!body || body.type !== typeOf(role) || body.trashedAt) return {};
  const out: Record<string, string | null | undefined> =
    body.type === 'card'
      ? {
          'cc-name': body.cardholderName,
          'cc-number': body.number?.replace(/\D/g, ''),
          'cc-exp-month': body.expMonth ? String(body.expMonth).padStart(2, '0') : null,
          'cc-exp-year': body.expYear ? String(body.expYear) : null,
          'cc-csc': body.code,
          'cc-type': body.brand,
        }
      : body.type === 'identity'
        ? {
            'honorific-prefix': body.title,
            'given-name': body.firstName,
            'additional-name': body.middleName,
            'family-name': body.lastName,
            organization: body.company,
            email: body.email,
            tel: body.phone,
            'address-line1': body.address1,
            'address-line2': body.address2,
            'address-line3': body.address3,
            'address-level2': body.city,
            'address-level1': body.state,
            'postal-code': body.postalCode,
            country: body.country,
          }
        : {};
  return Object.fromEntries(
    Object.entries(out).filter((e): e is [string, string] => typeof e[1] === 'string' && !!e[1]),
  );
}

/**
 * The other frames of the tab a card fill also goes to: a payment provider that puts number,
 * expiry and code in separate iframes of its own origin. Only frames of the very origin the
 * person chose (and confirmed) in, and only those with card fields.
 */
export function companionFrames(frame: Frame): Frame[] {
  const origin = new URL(frame.url).origin;
  return framesOf(frame.tabId).filter((f) => {
    if (f.frameId === frame.frameId || !f.kinds.includes('card')) return false;
    try {
      return new URL(f.url).origin === origin;
    } catch {
      return false;
    }
  });
}
