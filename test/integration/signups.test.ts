// Who may join, through the real server on both databases: a fresh install claimed by its first
// account, invitation codes (the administrator's and a shared vault's), closed servers, the
// domain allow-list; a refused sign-up gets a sentence, writes nothing and says nothing about
// whether the email has an account.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createSignupInvitation } from '../../server/services/signups.ts';
import { addMember, createPerson } from '../helpers/people.ts';
import { queryRows } from '../helpers/test-db.ts';
import {
  fakeRegistration,
  registerUser,
  startTestServer,
  type TestServer,
} from '../helpers/test-server.ts';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A server with the sign-up settings given (SIGNUPS unset unless named). */
async function serverWith(env: Record<string, string>) {
  const ts = await startTestServer({ SIGNUPS: '', ...env });
  servers.push(ts);
  return ts;
}

const accounts = async (ts: TestServer) =>
  Number(
    (await queryRows<{ n: string }>(ts.testDb.database.db, sql`select count(*) n from users`))[0]!
      .n,
  );

/** The refusal of a sign-up, as its person reads it. */
async function refusal(ts: TestServer, overrides: Record<string, unknown>) {
  const err = await ts
    .client()
    .account.register.mutate(fakeRegistration(overrides))
    .then(
      () => null,
      (e: { message: string; data?: { code?: string; httpStatus?: number } }) => e,
    );
  expect(err, 'the sign-up should have been refused').not.toBeNull();
  expect(err!.data?.code).toBe('FORBIDDEN');
  return err!.message;
}

const adminCode = (ts: TestServer, email: string, days = 7) =>
  createSignupInvitation(ts.testDb.database.db, { email, kind: 'admin', createdBy: null, days });

describe('who may join', () => {
  it('should let the first account claim a fresh install, then take sign-ups by invitation only', async () => {
    const ts = await serverWith({});
    expect(await ts.client().account.signupPolicy.query({})).toEqual({
      mode: 'open',
      domains: null,
    });
    await registerUser(ts, { email: 'owner@example.com' });
    expect(await ts.client().account.signupPolicy.query({})).toEqual({
      mode: 'invite',
      domains: null,
    });
    expect(await refusal(ts, {})).toMatch(/by invitation only/);
    expect(await accounts(ts)).toBe(1);
  });

  it('should let exactly one of several simultaneous first sign-ups claim the server', async () => {
    const ts = await serverWith({});
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => ts.client().account.register.mutate(fakeRegistration())),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await accounts(ts)).toBe(1);
  });

  it('should take an administrator invitation once, for its email only, before it expires', async () => {
    const ts = await serverWith({ SIGNUPS: 'invite' });
    const inv = await adminCode(ts, 'ana@example.com');
    expect(inv.code).toMatch(/^([A-Z0-9]{4}-){7}[A-Z0-9]{4}$/);
    // Another email with Ana's code: refused, nothing written, the code still good.
    expect(await refusal(ts, { email: 'eve@example.com', invitation: inv.code })).toMatch(
      /does not work/,
    );
    // As typed by a person: lower case, spaces instead of dashes, O for 0.
    const typed = inv.code.toLowerCase().replaceAll('-', ' ').replaceAll('0', 'o');
    await registerUser(ts, { email: 'ana@example.com', invitation: typed });
    expect(await refusal(ts, { email: 'ana2@example.com', invitation: inv.code })).toMatch(
      /does not work/,
    );
    const expired = await adminCode(ts, 'old@example.com', -1);
    expect(await refusal(ts, { email: 'old@example.com', invitation: expired.code })).toMatch(
      /expired/,
    );
    expect(await refusal(ts, { invitation: 'AAAA-BBBB' })).toMatch(/does not work/);
    expect(await accounts(ts)).toBe(1);
    const used = await queryRows<{ used_by: string }>(
      ts.testDb.database.db,
      sql`select used_by from signup_invitations where used_at is not null`,
    );
    expect(used).toHaveLength(1);
  });

  it('should let one of two sign-ups racing with the same code through', async () => {
    const ts = await serverWith({ SIGNUPS: 'invite' });
    const inv = await adminCode(ts, 'race@example.com');
    const results = await Promise.allSettled(
      [0, 1, 2].map(() =>
        ts
          .client()
          .account.register.mutate(
            fakeRegistration({ email: 'race@example.com', invitation: inv.code }),
          ),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await accounts(ts)).toBe(1);
  });

  it('should refuse every sign-up without an administrator invitation when closed, even the first', async () => {
    const ts = await serverWith({ SIGNUPS: 'closed' });
    expect(await ts.client().account.signupPolicy.query({})).toMatchObject({ mode: 'closed' });
    expect(await refusal(ts, {})).toMatch(/does not accept new accounts/);
    const inv = await adminCode(ts, 'boss@example.com');
    await registerUser(ts, { email: 'boss@example.com', invitation: inv.code });
    expect(await accounts(ts)).toBe(1);
  });

  it('should hold open sign-ups and vault invitations to the domain list, but not the administrator', async () => {
    const ts = await serverWith({ SIGNUPS: 'open', SIGNUP_DOMAINS: 'family.org, @Casa.es' });
    expect(await ts.client().account.signupPolicy.query({})).toEqual({
      mode: 'open',
      domains: ['family.org', 'casa.es'],
    });
    expect(await refusal(ts, { email: 'x@gmail.com' })).toBe(
      'This server accepts new accounts only for email addresses at family.org, casa.es.',
    );
    expect(await refusal(ts, { email: 'x@evil-family.org' })).toMatch(/only for email/);
    await registerUser(ts, { email: 'mum@family.org' });
    await registerUser(ts, { email: 'tio@casa.es' });
    const inv = await adminCode(ts, 'friend@gmail.com');
    await registerUser(ts, { email: 'friend@gmail.com', invitation: inv.code });
    expect(await accounts(ts)).toBe(3);
  });

  it('should give a vault invitation a sign-up code on an invite-only server, and let the invitee join the vault with it', async () => {
    const ts = await serverWith({});
    const ana = await createPerson(ts, 'Ana');
    const vault = await ana.sharing.createVault('Familia');
    const benEmail = `ben-${randomUUID().slice(0, 8)}@example.com`;
    // Before Ben has an account, his sign-up is refused...
    expect(await refusal(ts, { email: benEmail })).toMatch(/by invitation only/);
    const sent = await ana.sharing.invite(vault.vaultId, benEmail, 'editor');
    expect(sent.signupCode).toMatch(/^([A-Z0-9]{4}-){7}[A-Z0-9]{4}$/);
    expect(Date.parse(sent.signupCodeExpiresAt!)).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    // ...the code is for Ben's email only...
    expect(await refusal(ts, { email: 'eve@example.com', invitation: sent.signupCode })).toMatch(
      /does not work/,
    );
    // ...and with it he signs up, accepts and is confirmed into the vault.
    const ben = await createPerson(ts, 'Ben', undefined, {
      email: benEmail,
      invitation: sent.signupCode!,
    });
    await ana.sharing.cancelInvitation(sent.id);
    await addMember(ana, vault.vaultId, ben, 'editor');
    expect((await ben.sharing.describe(vault.vaultId)).role).toBe('editor');
  });

  it('should answer an invitation to an existing account exactly like one to a new email', async () => {
    const ts = await serverWith({});
    const ana = await createPerson(ts, 'Ana');
    const ben = await createPerson(ts, 'Ben', undefined, {
      invitation: (await adminCode(ts, 'ben@example.com')).code,
      email: 'ben@example.com',
    });
    const vault = await ana.sharing.createVault('Trabajo');
    const toBen = await ana.sharing.invite(vault.vaultId, ben.email, 'viewer');
    const toNobody = await ana.sharing.invite(vault.vaultId, 'nobody@example.com', 'viewer');
    expect(Object.keys(toBen).sort()).toEqual(Object.keys(toNobody).sort());
    expect(toBen.signupCode).toBeTruthy();
    // An open server needs no code, and gives none.
    const open = await serverWith({ SIGNUPS: 'open' });
    const cleo = await createPerson(open, 'Cleo');
    const v2 = await cleo.sharing.createVault('Casa');
    expect(await cleo.sharing.invite(v2.vaultId, 'x@example.com', 'viewer')).not.toHaveProperty(
      'signupCode',
    );
  });

  it('should refuse a sign-up for a taken email and for a new one with the same sentence when invite-only', async () => {
    const ts = await serverWith({});
    await registerUser(ts, { email: 'owner@example.com' });
    const taken = await refusal(ts, { email: 'owner@example.com' });
    const fresh = await refusal(ts, { email: 'new@example.com' });
    expect(taken).toBe(fresh);
  });
});
