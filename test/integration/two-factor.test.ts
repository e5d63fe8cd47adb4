// Two-step sign-in through the real server on both databases: an authenticator app (codes made
// here as a phone would, with otpauth), security keys (a software authenticator), one-time
// recovery codes, remembered browsers, REQUIRE_2FA, and the account lockout that still lets
// its owner in with a second factor or from a remembered browser.
import { randomUUID } from 'node:crypto';
import { Secret, TOTP, URI } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_ORIGIN } from '../../shared/extension-id.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import {
  fakeRegistration,
  registerUser,
  sessionOf,
  startTestServer,
  type TestServer,
} from '../helpers/test-server.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(() => ts.close());

type User = Awaited<ReturnType<typeof registerUser>>;
const device = (name = 'New laptop') => ({ id: randomUUID(), name });
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: { data?: { code?: string; reason?: string; httpStatus?: number } }) => e.data ?? {},
  );

/** A phone's authenticator app for `secret`: the code of the step `offset` steps from now. */
const phone = (secret: string) => {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 });
  return (offset = 0) => totp.generate({ timestamp: Date.now() + offset * 30_000 });
};

async function withTotp(user: User) {
  const begun = await user.api.twoFactor.totpBegin.mutate({ authKey: user.authKey });
  const code = phone(begun.secret);
  const { recoveryCodes } = await user.api.twoFactor.totpConfirm.mutate({ code: code(-1) });
  return { code, recoveryCodes: recoveryCodes!, begun };
}

const login = (user: User, extra: Record<string, unknown> = {}, dev = device()) =>
  ts
    .client()
    .account.login.mutate({ email: user.email, authKey: user.authKey, device: dev, ...extra });

async function ticketOf(user: User, dev = device()) {
  const answer = await login(user, {}, dev);
  if (!('secondFactor' in answer)) throw new Error('expected a second step');
  return answer.secondFactor;
}

describe('two-step sign-in', () => {
  it('should set an authenticator app up only with the password and a code from it, and answer ten recovery codes', async () => {
    const user = await registerUser(ts);
    expect(
      await failure(user.api.twoFactor.totpBegin.mutate({ authKey: fakeRegistration().authKey })),
    ).toMatchObject({ code: 'UNAUTHORIZED' });
    const begun = await user.api.twoFactor.totpBegin.mutate({ authKey: user.authKey });
    const uri = URI.parse(begun.uri) as TOTP;
    expect(uri).toBeInstanceOf(TOTP);
    expect(uri.issuer).toBe('Cofre');
    expect(uri.label).toBe(user.email);
    expect(uri.secret.base32).toBe(begun.secret);
    expect(uri.digits).toBe(6);
    expect(uri.period).toBe(30);
    // Not on until confirmed: a sign-in still needs no second step.
    expect('token' in (await login(user))).toBe(true);
    expect(
      await failure(user.api.twoFactor.totpConfirm.mutate({ code: phone(begun.secret)(20) })),
    ).toMatchObject({ code: 'BAD_REQUEST', reason: 'totp-wrong' });
    const { recoveryCodes } = await user.api.twoFactor.totpConfirm.mutate({
      code: phone(begun.secret)(),
    });
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const c of recoveryCodes!) expect(c).toMatch(/^([A-Z0-9]{4}-){3}[A-Z0-9]{4}$/);
    expect(await user.api.twoFactor.status.query({})).toMatchObject({
      enabled: true,
      required: false,
      totp: true,
      keys: [],
      recoveryCodesLeft: 10,
    });
    const kinds = (await user.api.account.auditLog.query({})).map((e) => e.kind);
    expect(kinds).toContain('second-factor.added');
  });

  it('should ask a new device for the second step before any key or session, and take each code once', async () => {
    const user = await registerUser(ts);
    const { code, recoveryCodes } = await withTotp(user);
    const dev = device('Phone browser');
    const answer = await login(user, {}, dev);
    expect(answer).toEqual({
      secondFactor: {
        ticket: expect.stringMatching(/^[\w-]{43}$/),
        expiresAt: expect.any(String),
        methods: ['totp', 'recovery'],
      },
    });
    const ticket = (answer as { secondFactor: { ticket: string } }).secondFactor.ticket;
    expect(
      await failure(
        ts
          .client()
          .account.completeLogin.mutate({ ticket, factor: { totp: code(30) }, remember: false }),
      ),
    ).toMatchObject({ code: 'UNAUTHORIZED', reason: 'second-factor-wrong' });
    // One code, read once: a second `code()` read after the 30-s step rolls over is a new,
    // unused code, which the server rightly takes.
    const current = code();
    const done = await ts
      .client()
      .account.completeLogin.mutate({ ticket, factor: { totp: current }, remember: false });
    expect(done).toMatchObject({
      userId: user.userId,
      wrappedAccountKey: user.wrappedAccountKey,
      salt: user.salt,
    });
    expect(done).not.toHaveProperty('rememberToken');
    const me = await ts.client(done.token).account.me.query({});
    expect(me.email).toBe(user.email);
    const sessions = await user.api.sessions.list.query({});
    expect(sessions.map((s) => s.deviceName)).toContain('Phone browser');
    // The ticket is spent; the same code on a new ticket is refused (it was seen once).
    expect(
      await failure(
        ts
          .client()
          .account.completeLogin.mutate({ ticket, factor: { totp: current }, remember: false }),
      ),
    ).toMatchObject({ reason: 'second-factor-expired' });
    const again = await ticketOf(user);
    expect(
      await failure(
        ts.client().account.completeLogin.mutate({
          ticket: again.ticket,
          factor: { totp: current },
          remember: false,
        }),
      ),
    ).toMatchObject({ reason: 'second-factor-wrong' });
    // A recovery code works once, typed any way.
    const typed = recoveryCodes[0]!.toLowerCase().replaceAll('-', ' ');
    await ts.client().account.completeLogin.mutate({
      ticket: again.ticket,
      factor: { recoveryCode: typed },
      remember: false,
    });
    const third = await ticketOf(user);
    expect(
      await failure(
        ts.client().account.completeLogin.mutate({
          ticket: third.ticket,
          factor: { recoveryCode: recoveryCodes[0]! },
          remember: false,
        }),
      ),
    ).toMatchObject({ reason: 'second-factor-wrong' });
    expect((await user.api.twoFactor.status.query({})).recoveryCodesLeft).toBe(9);
  });

  it('should end a ticket after five tries and five minutes’ worth of guesses count against the account', async () => {
    const user = await registerUser(ts);
    const { code } = await withTotp(user);
    const { ticket } = await ticketOf(user);
    for (let i = 0; i < 5; i++)
      expect(
        await failure(
          ts
            .client()
            .account.completeLogin.mutate({ ticket, factor: { totp: '000000' }, remember: false }),
        ),
      ).toMatchObject({ reason: 'second-factor-wrong' });
    expect(
      await failure(
        ts
          .client()
          .account.completeLogin.mutate({ ticket, factor: { totp: code() }, remember: false }),
      ),
    ).toMatchObject({ reason: 'second-factor-expired' });
    // Five more wrong codes on a second ticket: ten failures lock the account like passwords do.
    const second = await ticketOf(user);
    for (let i = 0; i < 5; i++)
      await failure(
        ts.client().account.completeLogin.mutate({
          ticket: second.ticket,
          factor: { totp: '000000' },
          remember: false,
        }),
      );
    expect(await failure(login(user))).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      reason: 'account-locked',
    });
  });

  it('should remember a browser for the second step when asked, until it is forgotten', async () => {
    const user = await registerUser(ts);
    const { code } = await withTotp(user);
    const dev = device('Work laptop');
    const { ticket } = await ticketOf(user, dev);
    const done = await ts
      .client()
      .account.completeLogin.mutate({ ticket, factor: { totp: code() }, remember: true });
    expect(done.rememberToken).toMatch(/^[\w-]{43}$/);
    const again = sessionOf(await login(user, { rememberToken: done.rememberToken }, dev));
    expect(again).not.toHaveProperty('rememberToken');
    const status = await ts.client(again.token).twoFactor.status.query({});
    expect(status.rememberedDevices).toEqual([
      expect.objectContaining({ deviceName: 'Work laptop', current: true }),
    ]);
    // Another account's email with this token: no help.
    const other = await registerUser(ts);
    await withTotp(other);
    expect('secondFactor' in (await login(other, { rememberToken: done.rememberToken }))).toBe(
      true,
    );

    await user.api.twoFactor.forgetDevice.mutate({ id: status.rememberedDevices[0]!.id });
    expect('secondFactor' in (await login(user, { rememberToken: done.rememberToken }, dev))).toBe(
      true,
    );
  });

  it('should let a locked account’s owner in with a code or from a remembered browser, and no one with the password alone', async () => {
    const user = await registerUser(ts);
    const { code } = await withTotp(user);
    const remembered = (
      await ts.client().account.completeLogin.mutate({
        ticket: (await ticketOf(user)).ticket,
        factor: { totp: code(0) },
        remember: true,
      })
    ).rememberToken!;
    const wrongKey = fakeRegistration().authKey;
    for (let i = 0; i < 10; i++) await failure(login({ ...user, authKey: wrongKey }));
    expect(await failure(login(user))).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      reason: 'account-locked',
    });
    // The password with a wrong code: the answer a wrong password gets.
    expect(await failure(login(user, { secondFactor: { totp: '000000' } }))).toMatchObject({
      code: 'UNAUTHORIZED',
    });
    expect(
      await failure(login({ ...user, authKey: wrongKey }, { secondFactor: { totp: code() } })),
    ).toMatchObject({ code: 'UNAUTHORIZED' });
    // The owner: the password and a fresh code (the next step's: the current one was used).
    const owner = sessionOf(await login(user, { secondFactor: { totp: code(1) } }));
    expect((await ts.client(owner.token).account.me.query({})).email).toBe(user.email);
    // Locked again by a guesser; the remembered browser gets through with the password.
    for (let i = 0; i < 10; i++) await failure(login({ ...user, authKey: wrongKey }));
    expect(await failure(login(user))).toMatchObject({ reason: 'account-locked' });
    sessionOf(await login(user, { rememberToken: remembered }));
  });

  it('should forget a remembered token after five wrong passwords come with it', async () => {
    const user = await registerUser(ts);
    const first = sessionOf(await login(user, { remember: true }));
    expect(first.rememberToken).toBeTruthy();
    const wrongKey = fakeRegistration().authKey;
    for (let i = 0; i < 5; i++)
      expect(
        await failure(
          login({ ...user, authKey: wrongKey }, { rememberToken: first.rememberToken }),
        ),
      ).toMatchObject({ code: 'UNAUTHORIZED' });
    // Now locked for the email, and the token no longer lets the owner through.
    for (let i = 0; i < 10; i++) await failure(login({ ...user, authKey: wrongKey }));
    expect(await failure(login(user, { rememberToken: first.rememberToken }))).toMatchObject({
      reason: 'account-locked',
    });
  });

  it('should take a security key as the second step, and turn two-step sign-in off only with the password', async () => {
    const user = await registerUser(ts);
    const key = new SoftAuthenticator(EXTENSION_ORIGIN);
    const options = await user.api.passkeys.registrationOptions.mutate({ secondFactor: true });
    expect(options.authenticatorSelection).toMatchObject({
      residentKey: 'discouraged',
      userVerification: 'preferred',
    });
    const added = await user.api.passkeys.register.mutate({
      response: key.create(options),
      name: 'YubiKey',
      secondFactor: true,
    });
    expect(added.recoveryCodes).toHaveLength(10);
    expect(await user.api.twoFactor.status.query({})).toMatchObject({
      enabled: true,
      totp: false,
      keys: [expect.objectContaining({ id: key.id, name: 'YubiKey' })],
    });
    const { ticket, methods } = await ticketOf(user);
    expect(methods).toEqual(['webauthn', 'recovery']);
    const challenge = await ts.client().account.secondFactorOptions.mutate({ ticket });
    expect(challenge.allowCredentials?.map((c) => c.id)).toEqual([key.id]);
    // An assertion for another account's challenge does not pass here.
    const other = await registerUser(ts);
    const otherKey = new SoftAuthenticator(EXTENSION_ORIGIN);
    await other.api.passkeys.register.mutate({
      response: otherKey.create(
        await other.api.passkeys.registrationOptions.mutate({ secondFactor: true }),
      ),
      name: 'Other key',
      secondFactor: true,
    });
    const otherTicket = await ticketOf(other);
    const otherChallenge = await ts
      .client()
      .account.secondFactorOptions.mutate({ ticket: otherTicket.ticket });
    expect(
      await failure(
        ts.client().account.completeLogin.mutate({
          ticket,
          factor: { webauthn: key.get(otherChallenge) },
          remember: false,
        }),
      ),
    ).toMatchObject({ reason: 'second-factor-wrong' });
    const retry = await ts.client().account.secondFactorOptions.mutate({ ticket });
    const done = await ts.client().account.completeLogin.mutate({
      ticket,
      factor: { webauthn: key.get(retry) },
      remember: true,
    });
    expect(done.token).toBeTruthy();
    // The key is a second factor: passkeys.remove leaves it; removing it needs the password.
    expect(await failure(user.api.passkeys.remove.mutate({ id: key.id }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(
      await failure(
        user.api.twoFactor.removeKey.mutate({ id: key.id, authKey: fakeRegistration().authKey }),
      ),
    ).toMatchObject({ code: 'UNAUTHORIZED' });
    await user.api.twoFactor.removeKey.mutate({ id: key.id, authKey: user.authKey });
    // Off: no second step, no recovery codes, and the browser remembered with it is forgotten.
    expect(await user.api.twoFactor.status.query({})).toMatchObject({
      enabled: false,
      keys: [],
      recoveryCodesLeft: 0,
      rememberedDevices: [],
    });
    expect('token' in (await login(user))).toBe(true);
  });

  it('should hold every account to a second factor under REQUIRE_2FA: sign-ups set one up first, others cannot sign a new device in', async () => {
    const before = await registerUser(ts);
    const strict = await startTestServer({ REQUIRE_2FA: 'true' }, ts.testDb);
    try {
      const reg = fakeRegistration();
      const out = await strict.client().account.register.mutate(reg);
      expect(out.secondFactorSetupRequired).toBe(true);
      const api = strict.client(out.token);
      const push = () =>
        api.sync.push.mutate({
          deviceId: reg.device.id,
          items: [
            {
              id: randomUUID(),
              baseVersion: 0,
              deleted: false,
              ct: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
            },
          ],
        });
      expect(await failure(push())).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'second-factor-setup-required',
      });
      expect((await api.account.me.query({})).email).toBe(reg.email);
      expect((await api.twoFactor.status.query({})).required).toBe(true);
      const begun = await api.twoFactor.totpBegin.mutate({ authKey: reg.authKey });
      await api.twoFactor.totpConfirm.mutate({ code: phone(begun.secret)() });
      expect((await push()).applied).toHaveLength(1);
      // Removing the only factor is refused while the server requires one.
      expect(
        await failure(api.twoFactor.totpRemove.mutate({ authKey: reg.authKey })),
      ).toMatchObject({ reason: 'second-factor-setup-required' });

      // An account made before the policy, with no factor: no new device signs in.
      expect(
        await failure(
          strict.client().account.login.mutate({
            email: before.email,
            authKey: before.authKey,
            device: device(),
          }),
        ),
      ).toMatchObject({ code: 'FORBIDDEN', reason: 'second-factor-setup-required' });
      // Its signed-in device goes on, and sets a factor up.
      const b = strict.client(before.token);
      const bt = await b.twoFactor.totpBegin.mutate({ authKey: before.authKey });
      await b.twoFactor.totpConfirm.mutate({ code: phone(bt.secret)() });
      expect(
        'secondFactor' in
          (await strict.client().account.login.mutate({
            email: before.email,
            authKey: before.authKey,
            device: device(),
          })),
      ).toBe(true);
    } finally {
      await strict.close();
    }
  });
});
