// Defence in depth, on both databases: the role requests run as (cofre_app) is held by
// row-level security to the account it acts for. Unfiltered queries — the kind a bug would
// write — return, change and add only that account's rows; acting for nobody shows nothing.
// On Postgres the server also runs with a login that may only act as cofre_app while the owner
// of the tables migrates, and that login can neither lift the policies nor change the schema.
import { randomBytes, randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/client.ts';
import { EXTENSION_ORIGIN } from '../../shared/extension-id.ts';
import { TEST_DATABASE_URL } from '../helpers/global-setup.ts';
import { addMember, createPerson, login } from '../helpers/people.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { backend, createPostgresDatabase, queryRows } from '../helpers/test-db.ts';
import {
  makeClient,
  newItems,
  registerUser,
  startTestServer,
  type TestServer,
} from '../helpers/test-server.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(() => ts.close());

/** Rows of `query` run on the request role, acting for `userId` ('' : for nobody). */
const asApp = <T = Record<string, unknown>>(userId: string, query: SQL) =>
  ts.testDb.database.asUser(userId, () => queryRows<T>(ts.testDb.database.appDb, query));
const asOwner = <T = Record<string, unknown>>(query: SQL) =>
  queryRows<T>(ts.testDb.database.db, query);

/** The per-user tables and a query each that forgets to filter by user. */
const UNFILTERED: Record<string, SQL> = {
  users: sql`select id as owner from users`,
  records: sql`select user_id as owner from records`,
  sessions: sql`select user_id as owner from sessions`,
  devices: sql`select user_id as owner from devices`,
  passkeys: sql`select user_id as owner from passkeys`,
  audit_events: sql`select user_id as owner from audit_events where user_id is not null`,
  totp_factors: sql`select user_id as owner from totp_factors`,
  remembered_devices: sql`select user_id as owner from remembered_devices`,
};

describe('row-level security', () => {
  it('should give an unfiltered query on the request role only the current account’s rows, and none acting for nobody', async () => {
    const [a, b] = [await registerUser(ts), await registerUser(ts)];
    for (const u of [a, b]) {
      await u.api.sync.push.mutate({ deviceId: u.device.id, items: newItems(3) });
      await u.api.twoFactor.totpBegin.mutate({ authKey: u.authKey });
      const key = new SoftAuthenticator(EXTENSION_ORIGIN);
      await u.api.passkeys.register.mutate({
        response: key.create(await u.api.passkeys.registrationOptions.mutate({})),
        name: 'Key',
      });
      await makeClient(ts.url).account.login.mutate({
        email: u.email,
        authKey: u.authKey,
        device: { id: randomUUID(), name: 'Second' },
        remember: true,
      });
    }
    for (const [table, query] of Object.entries(UNFILTERED)) {
      const all = await asOwner<{ owner: string }>(query);
      const owners = new Set(all.map((r) => r.owner));
      expect(owners.has(a.userId) && owners.has(b.userId), `${table} holds both`).toBe(true);
      const seen = await asApp<{ owner: string }>(a.userId, query);
      expect(seen.length, `${table} as A`).toBeGreaterThan(0);
      expect(new Set(seen.map((r) => r.owner)), table).toEqual(new Set([a.userId]));
      expect(await asApp(b.userId, query), `${table} as B`).not.toContainEqual({ owner: a.userId });
      expect(await asApp('', query), `${table} as nobody`).toEqual([]);
    }
  });

  it('should change and add only the current account’s rows', async () => {
    const [a, b] = [await registerUser(ts), await registerUser(ts)];
    for (const u of [a, b])
      await u.api.sync.push.mutate({ deviceId: u.device.id, items: newItems(2) });
    const changed = await asApp(a.userId, sql`update records set deleted = true returning id`);
    expect(changed).toHaveLength(2);
    const bLive = await asOwner<{ n: string | number }>(
      sql`select count(*) as n from records where user_id = ${b.userId} and not deleted`,
    );
    expect(Number(bLive[0]!.n)).toBe(2);
    await expect(
      asApp(
        a.userId,
        sql`insert into records (user_id, id, version, seq, ct, device_id)
            values (${b.userId}, ${randomUUID()}, 1, 99, ${randomBytes(8)}, ${randomUUID()})`,
      ),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/row-level security/) } });
    await expect(
      asApp(
        a.userId,
        sql`update users set email = 'taken@example.com' where id = ${b.userId} returning id`,
      ),
    ).resolves.toEqual([]);
    expect(await asApp(a.userId, sql`delete from sessions returning user_id`)).toEqual([
      { user_id: a.userId },
    ]);
    expect((await asOwner(sql`select 1 from sessions where user_id = ${b.userId}`)).length).toBe(1);
  });

  it('should show a shared vault’s records to its members only', async () => {
    const [ana, ben, eve] = await Promise.all(
      ['Ana', 'Ben', 'Eve'].map((n) => createPerson(ts, n)),
    );
    const vault = await ana!.sharing.createVault('Casa');
    await addMember(ana!, vault.vaultId, ben!, 'viewer');
    const { engine } = await ana!.sharing.openVault(vault.vaultId);
    await engine.save(randomUUID(), login('Router', { password: 'r' }));
    await ana!.sharing.syncAll();
    const q = sql`select vault_id from vault_records`;
    expect((await asApp(ben!.userId, q)).length).toBeGreaterThan(0);
    expect(await asApp(eve!.userId, q)).toEqual([]);
    expect(await asApp('', q)).toEqual([]);
  });

  it.runIf(backend === 'postgres')(
    'should run with a login that may only act as cofre_app while the owner migrates',
    async () => {
      const db = await createPostgresDatabase();
      const role = `cofre_rt_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      try {
        // The owner migrates first (the role cofre_app exists from then on).
        const owner = await openDatabase({
          databaseUrl: db.url,
          dataDir: '',
          poolMax: 2,
          statementTimeoutMs: 10_000,
          logger: pino({ level: 'silent' }),
        });
        await owner.migrate();
        await owner.close();
        await admin.query(`create role ${role} login in role cofre_app`);
        const runtimeUrl = new URL(db.url);
        runtimeUrl.username = role;
        const server = await startTestServer(
          { DATABASE_URL: runtimeUrl.toString(), DATABASE_MIGRATION_URL: db.url },
          await (async () => {
            const database = await openDatabase({
              databaseUrl: runtimeUrl.toString(),
              migrationUrl: db.url,
              dataDir: '',
              poolMax: 4,
              statementTimeoutMs: 10_000,
              logger: pino({ level: 'silent' }),
            });
            await database.migrate();
            return { database, drop: () => database.close() };
          })(),
        );
        try {
          const u = await registerUser(server);
          await u.api.sync.push.mutate({ deviceId: u.device.id, items: newItems(4) });
          expect((await u.api.sync.pull.query({ cursor: 0, limit: 100 })).items).toHaveLength(4);
        } finally {
          await server.close();
          await server.testDb.drop();
        }
        // The login itself: sees no row without acting for someone, and cannot lift the policy
        // or touch the schema.
        const rt = new pg.Client({ connectionString: runtimeUrl.toString() });
        await rt.connect();
        try {
          expect((await rt.query('select count(*)::int as n from records')).rows[0].n).toBe(0);
          await expect(rt.query('alter table records disable row level security')).rejects.toThrow(
            /must be owner/,
          );
          await expect(rt.query('create table sneaky (x int)')).rejects.toThrow(
            /permission denied/,
          );
          await expect(rt.query('select * from drizzle.__drizzle_migrations')).rejects.toThrow(
            /permission denied/,
          );
        } finally {
          await rt.end();
        }
      } finally {
        await db.drop();
        await admin.query(`drop role if exists ${role}`).catch(() => {});
        await admin.end();
      }
    },
    120_000,
  );
});
