import { describe, expect, it } from 'vitest';
import { decideSignup, type SignupInvitation, type SignupRequest } from './decide-signup.ts';

const now = new Date('2026-12-06T12:00:00Z');
const invitation = (overrides: Partial<SignupInvitation> = {}): SignupInvitation => ({
  email: 'ana@example.com',
  kind: 'admin',
  expiresAt: new Date(now.getTime() + 3600_000),
  usedAt: null,
  ...overrides,
});
const request = (overrides: Partial<SignupRequest> = {}): SignupRequest => ({
  configured: undefined,
  accounts: 3,
  domains: undefined,
  email: 'ana@example.com',
  code: null,
  now,
  ...overrides,
});

describe('decideSignup', () => {
  it('should let the first account in when the mode is unset and the server is empty', () => {
    expect(decideSignup(request({ accounts: 0 }))).toEqual({
      allow: true,
      consumesInvitation: false,
    });
  });

  it('should ask for an invitation when the mode is unset and an account exists', () => {
    expect(decideSignup(request({ accounts: 1 }))).toEqual({ allow: false, reason: 'invite-only' });
  });

  it('should refuse everyone without a code when closed, even on an empty server', () => {
    expect(decideSignup(request({ configured: 'closed', accounts: 0 }))).toEqual({
      allow: false,
      reason: 'closed',
    });
  });

  it('should let anyone in when open', () => {
    expect(decideSignup(request({ configured: 'open' })).allow).toBe(true);
  });

  it('should hold open sign-ups to the domain list', () => {
    const domains = ['family.org'];
    expect(decideSignup(request({ configured: 'open', domains }))).toEqual({
      allow: false,
      reason: 'domain',
    });
    expect(
      decideSignup(request({ configured: 'open', domains, email: 'bo@family.org' })).allow,
    ).toBe(true);
  });

  it('should not take a subdomain or a look-alike for a listed domain', () => {
    const domains = ['family.org'];
    for (const email of ['x@evil.family.org', 'x@family.org.evil', 'x@notfamily.org'])
      expect(decideSignup(request({ configured: 'open', domains, email })).allow).toBe(false);
  });

  it('should let an administrator invitation through in every mode and outside the domains', () => {
    for (const configured of ['open', 'invite', 'closed'] as const) {
      expect(
        decideSignup(
          request({ configured, domains: ['family.org'], code: { invitation: invitation() } }),
        ),
      ).toEqual({ allow: true, consumesInvitation: true });
    }
  });

  it('should let a vault invitation through when invite-only but not when closed', () => {
    const code = { invitation: invitation({ kind: 'vault' }) };
    expect(decideSignup(request({ configured: 'invite', code })).allow).toBe(true);
    expect(decideSignup(request({ configured: 'closed', code }))).toEqual({
      allow: false,
      reason: 'closed',
    });
  });

  it('should hold a vault invitation to the domain list', () => {
    const code = { invitation: invitation({ kind: 'vault' }) };
    expect(decideSignup(request({ configured: 'invite', code, domains: ['x.org'] }))).toEqual({
      allow: false,
      reason: 'domain',
    });
  });

  it('should refuse a code that is unknown, used, expired or for another email in every mode', () => {
    const bad = [
      null,
      invitation({ usedAt: now }),
      invitation({ expiresAt: now }),
      invitation({ email: 'eve@example.com' }),
    ];
    for (const configured of ['open', 'invite', 'closed', undefined] as const)
      for (const inv of bad)
        expect(decideSignup(request({ configured, code: { invitation: inv } }))).toEqual({
          allow: false,
          reason: 'bad-code',
        });
  });
});
