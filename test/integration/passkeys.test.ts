// Passkey ceremonies against the server: registration with a PRF-wrapped account key, login on a
// new device, one-use challenges, counter checks, origin checks, removal.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_ID, EXTENSION_ORIGIN } from '../../shared/extension-id.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { registerUser, startTestServer, type TestServer } from '../helpers/test-server.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(() => ts.close());

const newDevice = () => ({ id: randomUUID(), name: 'New laptop' });

async function enrol(user: Awaited<ReturnType<typeof registerUser>>) {
  const authenticator = new SoftAuthenticator(EXTENSION_ORIGIN);
  const options = await user.api.passkeys.registrationOptions.mutate({});
  const prfSalt = randomBytes(32).toString('base64url');
  const prfWrappedAccountKey = randomBytes(60).toString('base64url');
  const { id } = await user.api.passkeys.register.mutate({
    response: authenticator.create(options),
    name: 'Laptop passkey',
    prfSalt,
    prfWrappedAccountKey,
  });
  return { authenticator, id, prfSalt, prfWrappedAccountKey, options };
}

describe('passkeys', () => {
  it('should register a passkey bound to the extension and sign in a new device with it', async () => {
    const user = await registerUser(ts);
    const { authenticator, id, prfSalt, prfWrappedAccountKey, options } = await enrol(user);
    expect(options.rp.id).toBe(EXTENSION_ID);
    expect(options.authenticatorSelection).toMatchObject({
      residentKey: 'required',
      userVerification: 'required',
    });
    expect(id).toBe(authenticator.id);
    expect(await user.api.passkeys.list.query({})).toEqual([
      expect.objectContaining({ id, name: 'Laptop passkey', hasPrf: true, lastUsedAt: null }),
    ]);

    // A new device: options for the email carry this credential and its PRF salt.
    const login = await ts.client().passkeys.loginOptions.mutate({ email: user.email });
    expect(login.allowCredentials?.map((c) => c.id)).toEqual([id]);
    expect((login as { extensions?: { prf?: unknown } }).extensions?.prf).toEqual({
      evalByCredential: { [id]: { first: prfSalt } },
    });
    const out = await ts
      .client()
      .passkeys.login.mutate({ response: authenticator.get(login), device: newDevice() });
    expect(out).toMatchObject({ userId: user.userId, prfSalt, prfWrappedAccountKey });
    expect(await ts.client(out.token).account.me.query({})).toMatchObject({ email: user.email });
    expect((await user.api.passkeys.list.query({}))[0]!.lastUsedAt).not.toBeNull();

    const events = (await user.api.account.auditLog.query({})).map((e) => e.kind);
    expect(events).toEqual(expect.arrayContaining(['passkey.added', 'passkey.login.succeeded']));
  });

  it('should refuse a replayed challenge, a repeated counter and a foreign origin', async () => {
    const user = await registerUser(ts);
    const { authenticator } = await enrol(user);
    const options = await ts.client().passkeys.loginOptions.mutate({});
    const response = authenticator.get(options);
    await ts.client().passkeys.login.mutate({ response, device: newDevice() });
    // The same signed response again: its challenge was consumed.
    await expect(
      ts.client().passkeys.login.mutate({ response, device: newDevice() }),
    ).rejects.toMatchObject({
      data: { code: 'UNAUTHORIZED' },
    });
    // A clone that does not advance the counter.
    const again = await ts.client().passkeys.loginOptions.mutate({});
    await expect(
      ts.client().passkeys.login.mutate({
        response: authenticator.get(again, { keepCounter: true }),
        device: newDevice(),
      }),
    ).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    // A page on another origin.
    const third = await ts.client().passkeys.loginOptions.mutate({});
    await expect(
      ts.client().passkeys.login.mutate({
        response: authenticator.get(third, { origin: 'https://evil.example' }),
        device: newDevice(),
      }),
    ).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    // A registration answered with another user's challenge.
    const other = await registerUser(ts);
    const otherOptions = await other.api.passkeys.registrationOptions.mutate({});
    await expect(
      user.api.passkeys.register.mutate({
        response: new SoftAuthenticator(EXTENSION_ORIGIN).create(otherOptions),
        name: 'stolen challenge',
      }),
    ).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    expect(await user.api.passkeys.list.query({})).toHaveLength(1);
  });

  it('should stop a removed passkey from signing in', async () => {
    const user = await registerUser(ts);
    const { authenticator, id } = await enrol(user);
    await user.api.passkeys.remove.mutate({ id });
    expect(await user.api.passkeys.list.query({})).toEqual([]);
    const options = await ts.client().passkeys.loginOptions.mutate({ email: user.email });
    expect(options.allowCredentials).toEqual([]);
    await expect(
      ts
        .client()
        .passkeys.login.mutate({ response: authenticator.get(options), device: newDevice() }),
    ).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    expect((await user.api.account.auditLog.query({})).map((e) => e.kind)).toContain(
      'passkey.removed',
    );
  });

  it('should refuse the same credential twice and a passkey without the user', async () => {
    const user = await registerUser(ts);
    const { authenticator } = await enrol(user);
    const options = await user.api.passkeys.registrationOptions.mutate({});
    expect(options.excludeCredentials?.map((c) => c.id)).toEqual([authenticator.id]);
    await expect(
      user.api.passkeys.register.mutate({ response: authenticator.create(options), name: 'again' }),
    ).rejects.toMatchObject({ data: { code: 'CONFLICT' } });
    await expect(ts.client().passkeys.registrationOptions.mutate({})).rejects.toMatchObject({
      data: { code: 'UNAUTHORIZED' },
    });
  });
});
