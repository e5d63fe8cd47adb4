// The administrator's CLI as a self-hoster runs it — `users …` and `status`, each its own
// process beside a running server (on PGlite through the server's admin socket, on Postgres
// straight to the database) — with mail to a real SMTP server in this process: invitations,
// new-device alerts, disabling (sessions end at once), deleting with a typed confirmation, and
// every command in the audit log.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { watchChanges } from '../helpers/events.ts';
import { addMember, createPerson } from '../helpers/people.ts';
import { startSmtpSink } from '../helpers/smtp-sink.ts';
import { runCli, type ServerProcess, spawnServer } from '../helpers/spawn-server.ts';
import { backend, createPostgresDatabase, seededDataDir } from '../helpers/test-db.ts';
import {
  fakeCt,
  fakeRegistration,
  makeClient,
  sessionOf,
  type TestServer,
} from '../helpers/test-server.ts';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let server: ServerProcess;
let dbEnv: Record<string, string>;
let dataDir: string;
let dropDb: (() => Promise<void>) | undefined;
/** What people-helpers need of a test server: clients of the spawned one. */
let ts: TestServer;

beforeAll(async () => {
  sink = await startSmtpSink();
  dataDir = await mkdtemp(join(tmpdir(), 'cofre-admin-'));
  if (backend === 'postgres') {
    const db = await createPostgresDatabase();
    dropDb = db.drop;
    dbEnv = { DATABASE_URL: db.url };
  } else {
    dbEnv = { DATA_DIR: await seededDataDir(join(dataDir, 'data')) };
  }
  server = await spawnServer({
    ...dbEnv,
    SIGNUPS: '', // unset: the first account claims the server
    SMTP_URL: sink.url,
    SMTP_FROM: 'Cofre <cofre@family.test>',
    PUBLIC_URL: 'https://cofre.family.test',
    BACKUP_INTERVAL: '6s',
    BACKUP_DIR: join(dataDir, 'backups'),
    BACKUP_KEEP: '2',
  });
  ts = { url: server.url, client: (t?: string) => makeClient(server.url, t) } as TestServer;
});
afterAll(async () => {
  await server?.stop();
  await sink?.close();
  await dropDb?.();
  await rm(dataDir, { recursive: true, force: true });
});

/** The CLI with the server's own settings, as the administrator runs it on that machine. */
const admin = (...args: string[]) =>
  runCli(args, { ...dbEnv, SMTP_URL: sink.url, PUBLIC_URL: 'https://cofre.family.test' });
const code = (err: unknown) => (err as { data?: { code?: string } }).data?.code;
const reason = (err: unknown) => (err as { data?: { reason?: string } }).data?.reason;

async function invited(email: string) {
  const out = await admin('users', 'invite', email, '--json');
  expect(out.err).toBe('');
  expect(out.code).toBe(0);
  return JSON.parse(out.out) as { code: string; expiresAt: string; mailed: boolean };
}

async function signUp(email: string, invitation?: string) {
  const reg = fakeRegistration({ email, ...(invitation ? { invitation } : {}) });
  const out = await makeClient(server.url).account.register.mutate(reg);
  return { ...reg, token: out.token, api: makeClient(server.url, out.token) };
}

describe('the administrator’s CLI', () => {
  it('should let the owner claim the server, then invite by mail, alert a new device, and list and show accounts', async () => {
    const owner = await signUp('owner@family.test');
    await expect(signUp('stranger@family.test')).rejects.toMatchObject({
      data: { code: 'FORBIDDEN', reason: 'signup-invite-only' },
    });

    const inv = await invited('ben@family.test');
    expect(inv.mailed).toBe(true);
    const mail = await sink.next((m) => m.to.includes('ben@family.test'));
    expect(mail.subject).toBe('Your invitation to Cofre');
    expect(mail.text).toContain(inv.code);
    expect(mail.text).toContain('https://cofre.family.test');
    const ben = await signUp('ben@family.test', inv.code);
    await ben.api.sync.push.mutate({
      deviceId: ben.device.id,
      items: Array.from({ length: 5 }, () => ({
        id: randomUUID(),
        baseVersion: 0,
        deleted: false,
        ct: fakeCt(100),
      })),
    });

    // A second device: Ben hears of it by mail. Signing in again on a known device: no mail.
    const laptop = { id: randomUUID(), name: 'Laptop\nof someone' };
    await makeClient(server.url).account.login.mutate({
      email: ben.email,
      authKey: ben.authKey,
      device: laptop,
    });
    const alert = await sink.next(
      (m) => m.to.includes('ben@family.test') && m.subject.startsWith('New sign-in'),
    );
    expect(alert.text).toContain('Laptop of someone');
    expect(alert.text).not.toContain(ben.authKey);
    await makeClient(server.url).account.login.mutate({
      email: ben.email,
      authKey: ben.authKey,
      device: laptop,
    });
    await makeClient(server.url).account.login.mutate({
      email: owner.email,
      authKey: owner.authKey,
      device: owner.device,
    });
    // (A mail sent after those would have arrived before this invitation's: delivery is in order.)
    await invited('marker@family.test');
    await sink.next((m) => m.to.includes('marker@family.test'));
    expect(sink.mails.filter((m) => m.subject.startsWith('New sign-in'))).toHaveLength(1);

    const list = await admin('users', 'list');
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^EMAIL\s+CREATED\s+LAST SEEN\s+DEVICES\s+ITEMS\s+STORAGE\s+STATE/);
    expect(list.out).toMatch(/ben@family\.test .* 2 +5 +0\.0 MiB +active/);
    const json = JSON.parse((await admin('users', 'list', '--json')).out) as Array<
      Record<string, unknown>
    >;
    expect(json.map((u) => u.email)).toEqual(['owner@family.test', 'ben@family.test']);
    expect(json[1]).toMatchObject({ devices: 2, items: 5, disabled: false });
    expect(json[1]!.storageBytes).toBeGreaterThanOrEqual(5 * 100);

    const show = await admin('users', 'show', 'BEN@family.test');
    expect(show.code).toBe(0);
    expect(show.out).toContain('Laptop of someone');
    expect(show.out).toMatch(/items +5/);
    expect((await admin('users', 'show', 'nobody@family.test')).err).toMatch(
      /no account has the email nobody@family\.test/,
    );
    expect((await admin('users', 'invite', 'ben@family.test')).err).toMatch(
      /already has an account/,
    );
    expect((await admin('users', 'frobnicate')).code).toBe(2);
  });

  it('should end a disabled account’s sessions and streams at once and refuse its sign-in until enabled', async () => {
    const inv = await invited('dana@family.test');
    const dana = await signUp('dana@family.test', inv.code);
    const stream = watchChanges(dana.api);
    await stream.waitFor(() => true);

    const off = await admin('users', 'disable', 'dana@family.test');
    expect(off.out).toMatch(/dana@family\.test is disabled: 1 session\(s\) ended/);
    await expect(dana.api.account.me.query({})).rejects.toMatchObject({
      data: { code: 'UNAUTHORIZED' },
    });
    await vi.waitFor(() => expect(stream.errors.length > 0 || stream.stopped).toBe(true), {
      timeout: 30_000,
      interval: 100,
    });
    stream.close();
    const refused = await makeClient(server.url)
      .account.login.mutate({ email: dana.email, authKey: dana.authKey, device: dana.device })
      .catch((e: unknown) => e);
    expect(code(refused)).toBe('FORBIDDEN');
    expect(reason(refused)).toBe('account-disabled');
    // A wrong key still gets the usual answer: only the right key learns the account is disabled.
    const wrong = await makeClient(server.url)
      .account.login.mutate({
        email: dana.email,
        authKey: fakeRegistration().authKey,
        device: dana.device,
      })
      .catch((e: unknown) => e);
    expect(code(wrong)).toBe('UNAUTHORIZED');
    expect(
      (
        JSON.parse((await admin('users', 'list', '--json')).out) as Array<{
          email: string;
          disabled: boolean;
        }>
      ).find((u) => u.email === dana.email)?.disabled,
    ).toBe(true);

    expect((await admin('users', 'enable', 'dana@family.test')).out).toMatch(/is enabled/);
    const back = sessionOf(
      await makeClient(server.url).account.login.mutate({
        email: dana.email,
        authKey: dana.authKey,
        device: dana.device,
      }),
    );
    const api = makeClient(server.url, back.token);
    expect((await api.account.me.query({})).email).toBe(dana.email);

    expect((await admin('users', 'revoke-sessions', 'dana@family.test')).out).toMatch(
      /^1 session\(s\) of dana@family\.test ended/,
    );
    await expect(api.account.me.query({})).rejects.toMatchObject({
      data: { code: 'UNAUTHORIZED' },
    });

    // Dana sees what the administrator did to her account in her own activity log.
    const again = sessionOf(
      await makeClient(server.url).account.login.mutate({
        email: dana.email,
        authKey: dana.authKey,
        device: dana.device,
      }),
    );
    const kinds = (await makeClient(server.url, again.token).account.auditLog.query({})).map(
      (e) => e.kind,
    );
    for (const k of ['admin.user.disabled', 'admin.user.enabled', 'admin.user.sessions.revoked'])
      expect(kinds).toContain(k);
  });

  it('should delete an account only when its email is typed again, and not one sharing vaults unless told', async () => {
    const carlaCode = (await invited('carla@family.test')).code;
    const elenaCode = (await invited('elena@family.test')).code;
    const carla = await createPerson(ts, 'Carla', undefined, {
      email: 'carla@family.test',
      invitation: carlaCode,
    });
    const elena = await createPerson(ts, 'Elena', undefined, {
      email: 'elena@family.test',
      invitation: elenaCode,
    });
    const vault = await carla.sharing.createVault('Casa');
    await addMember(carla, vault.vaultId, elena, 'editor');

    const noTty = await admin('users', 'delete', 'carla@family.test');
    expect(noTty.out).toMatch(/Deleting carla@family\.test removes from the server/);
    expect(noTty.out).toMatch(
      /It owns 1 shared vault\(s\), deleted with every item in them: .*\(1 other member\(s\)\)/,
    );
    expect(noTty.err).toMatch(
      /nothing was deleted: type the email to confirm, or pass --confirm carla@family\.test/,
    );
    expect(noTty.code).not.toBe(0);
    const typo = await admin(
      'users',
      'delete',
      'carla@family.test',
      '--confirm',
      'carla@family.tes',
    );
    expect(typo.err).toMatch(/does not match carla@family\.test: nothing was deleted/);
    const shared = await admin(
      'users',
      'delete',
      'carla@family.test',
      '--confirm',
      'carla@family.test',
    );
    expect(shared.err).toMatch(/shares 1 vault\(s\) with other people.*--including-shared/);
    expect((await carla.client.account.me.query({})).email).toBe('carla@family.test');

    const gone = await admin(
      'users',
      'delete',
      'carla@family.test',
      '--confirm',
      'Carla@Family.test',
      '--including-shared',
    );
    expect(gone.err).toBe('');
    expect(gone.out).toMatch(/carla@family\.test was deleted\./);
    await expect(carla.client.account.me.query({})).rejects.toMatchObject({
      data: { code: 'UNAUTHORIZED' },
    });
    expect((await admin('users', 'show', 'carla@family.test')).err).toMatch(
      /no account has the email/,
    );
    // Her vault went with her; Elena's account stays.
    expect((await elena.sharing.syncAll()).refused).toEqual({});
    expect((await elena.sharing.vaults()).vaults).toEqual([]);
  });

  it('should report the server’s status with the last backup, and audit every command', async () => {
    // The server takes a backup every 6 s (BACKUP_INTERVAL): the CLI names the last one.
    await vi.waitFor(
      async () => {
        const status = JSON.parse((await admin('status', '--json')).out) as { lastBackup: unknown };
        expect(status.lastBackup).not.toBeNull();
      },
      { timeout: 60_000, interval: 500 },
    );
    const out = await admin('status');
    expect(out.code).toBe(0);
    expect(out.out).toMatch(
      new RegExp(
        `^database +${backend === 'postgres' ? 'Postgres' : 'PGlite \\(embedded\\)'}, \\d+\\.\\d MiB`,
      ),
    );
    expect(out.out).toMatch(/accounts +4 \(0 disabled\)/);
    expect(out.out).toMatch(
      /last backup +\d{4}-\d\d-\d\d \d\d:\d\d UTC, cofre-\d{8}T\d+Z\.cofre-backup/,
    );
    const status = JSON.parse((await admin('status', '--json')).out) as Record<string, unknown>;
    expect(status).toMatchObject({ users: 4, disabled: 0, database: backend });

    if (backend === 'postgres') {
      const client = new pg.Client({ connectionString: dbEnv.DATABASE_URL });
      await client.connect();
      const { rows } = await client.query<{ kind: string; n: string }>(
        "select kind, count(*) n from audit_events where kind like 'admin.%' group by kind",
      );
      await client.end();
      const kinds = Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
      for (const k of [
        'admin.users.listed',
        'admin.user.shown',
        'admin.user.invited',
        'admin.user.disabled',
        'admin.user.enabled',
        'admin.user.sessions.revoked',
        'admin.user.deleted',
        'admin.status',
      ])
        expect(kinds[k], k).toBeGreaterThan(0);
    }
  });

  it.runIf(backend === 'pglite')(
    'should open the data directory itself once the server has stopped',
    async () => {
      await server.stop();
      const list = await admin('users', 'list', '--json');
      expect(list.err).toBe('');
      expect((JSON.parse(list.out) as unknown[]).length).toBe(4);
    },
  );
});
