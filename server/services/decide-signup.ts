// Who may create an account: the server's sign-up policy applied to one sign-up. Pure; the
// caller has looked up the invitation code (if one was given) and counted the accounts.
//
//   mode (effective)  no code                       valid admin code   valid vault code
//   open              allowed (domain list applies)  allowed            allowed (domains apply)
//   invite            refused: invite-only           allowed            allowed (domains apply)
//   closed            refused: closed                allowed            refused: closed
//
// - A code that is unknown, used, expired or for another email is refused in every mode: a
//   person who typed one should hear that it did not work, not be signed up without it.
// - The unset mode is `open` while the server has no account (its owner claims it) and
//   `invite` after.
// - The administrator's own invitations are not held to SIGNUP_DOMAINS: they were made for that
//   email on purpose. A member's vault invitation is.
// - Nothing here looks at whether the email has an account: a refusal tells nothing about it.

export type SignupMode = 'open' | 'invite' | 'closed';

export interface SignupInvitation {
  email: string;
  kind: 'admin' | 'vault';
  expiresAt: Date;
  usedAt: Date | null;
}

export interface SignupRequest {
  /** SIGNUPS as configured (undefined: unset). */
  configured: SignupMode | undefined;
  /** Accounts on the server now. */
  accounts: number;
  /** SIGNUP_DOMAINS (undefined: any domain). */
  domains: string[] | undefined;
  /** Normalised email of the new account. */
  email: string;
  /** Whether the sign-up carried a code, and the invitation it names (null: no such code). */
  code: { invitation: SignupInvitation | null } | null;
  now: Date;
}

export type SignupDecision =
  | { allow: true; consumesInvitation: boolean }
  | { allow: false; reason: 'closed' | 'invite-only' | 'domain' | 'bad-code' };

export const effectiveMode = (configured: SignupMode | undefined, accounts: number): SignupMode =>
  configured ?? (accounts === 0 ? 'open' : 'invite');

export const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1);

export function decideSignup(req: SignupRequest): SignupDecision {
  const mode = effectiveMode(req.configured, req.accounts);
  const inDomains = !req.domains || req.domains.includes(domainOf(req.email));
  if (req.code) {
    const inv = req.code.invitation;
    if (!inv || inv.usedAt || inv.expiresAt <= req.now || inv.email !== req.email)
      return { allow: false, reason: 'bad-code' };
    if (inv.kind === 'admin') return { allow: true, consumesInvitation: true };
    if (mode === 'closed') return { allow: false, reason: 'closed' };
    if (!inDomains) return { allow: false, reason: 'domain' };
    return { allow: true, consumesInvitation: true };
  }
  if (mode === 'closed') return { allow: false, reason: 'closed' };
  if (mode === 'invite') return { allow: false, reason: 'invite-only' };
  if (!inDomains) return { allow: false, reason: 'domain' };
  return { allow: true, consumesInvitation: false };
}

/** The sentence a refused person reads. */
export function refusalMessage(
  reason: Exclude<SignupDecision, { allow: true }>['reason'],
  domains: string[] | undefined,
): string {
  switch (reason) {
    case 'closed':
      return 'This server does not accept new accounts. Ask its administrator for an invitation.';
    case 'invite-only':
      return 'This server accepts new accounts by invitation only: enter the invitation code you were given.';
    case 'domain':
      return `This server accepts new accounts only for email addresses at ${(domains ?? []).join(', ')}.`;
    case 'bad-code':
      return 'This invitation code does not work: it was used already, it expired, or it was made for another email address.';
  }
}
