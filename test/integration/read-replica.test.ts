import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/client.ts';
import { pullReads } from '../helpers/metrics.ts';
import {
  type Cluster,
  replayed,
  startPrimary,
  startReplica,
  withDatabase,
} from '../helpers/pg-cluster.ts';
import { backend } from '../helpers/test-db.ts';
import {
  newItems,
  registerUser,
  startTestServer,
  type TestServer,
} from '../helpers/test-server.ts';

let primary: Cluster;
let replica: Cluster;
let ts: TestServer;

const reads = () => pullReads(ts.url);
const caughtUp = () => replayed(primary, replica);

describe.runIf(backend === 'postgres')('a read replica', () => {
  beforeAll(async () => {
    primary = await startPrimary();
    await primary.query('create database cofre');
    replica = await startReplica(primary);
    const url = withDatabase(primary.url, 'cofre');
    const database = await openDatabase({
      databaseUrl: url,
      readUrl: withDatabase(replica.url, 'cofre'),
      dataDir: '',
      poolMax: 8,
      statementTimeoutMs: 10_000,
      logger: pino({ level: 'silent' }),
    });
    await database.migrate();
    await caughtUp();
    ts = await startTestServer({ DATABASE_URL: url }, { database, drop: () => database.close() });
  }, 180_000);

  afterAll(async () => {
    await ts?.close();
    await replica?.destroy();
    await primary?.destroy();
  }, 60_000);

  it('should serve pulls from the replica once it has caught up, and from the primary while it lags', async () => {
    const user = await registerUser(ts);
    await user.api.sync.push.mutate({ deviceId: user.device.id, items: newItems(5) });
    await caughtUp();
    let before = await reads();
    expect((await user.api.sync.pull.query({ cursor: 0, limit: 100 })).items).toHaveLength(5);
    let after = await reads();
    expect(after.replica - before.replica).toBe(1);

    // The replica stops replaying: a push is acknowledged by the primary only.
    await replica.query('select pg_wal_replay_pause()');
    try {
      await user.api.sync.push.mutate({ deviceId: user.device.id, items: newItems(3) });
      before = await reads();
      const page = await user.api.sync.pull.query({ cursor: 0, limit: 100 });
      expect(page.items).toHaveLength(8);
      after = await reads();
      expect(after.primary - before.primary).toBe(1);
      expect(after.replica).toBe(before.replica);
      // Another account, untouched since the pause, still reads from the replica.
      const other = await registerUser(ts);
      before = await reads();
      await other.api.sync.pull.query({ cursor: 0, limit: 10 });
      // (Its account row may not be on the replica yet: then the primary, never a wrong answer.)
      after = await reads();
      expect(after.primary + after.replica - before.primary - before.replica).toBe(1);
    } finally {
      await replica.query('select pg_wal_replay_resume()');
    }
    await caughtUp();
    before = await reads();
    expect((await user.api.sync.pull.query({ cursor: 0, limit: 100 })).items).toHaveLength(8);
    after = await reads();
    expect(after.replica - before.replica).toBe(1);
  });

  it('should keep row-level security on the replica', async () => {
    const [a, b] = [await registerUser(ts), await registerUser(ts)];
    await a.api.sync.push.mutate({ deviceId: a.device.id, items: newItems(2) });
    await b.api.sync.push.mutate({ deviceId: b.device.id, items: newItems(2) });
    await caughtUp();
    const { database } = ts.testDb;
    const rows = await database.asUser(a.userId, async () => {
      const result = (await database.readDb!.execute(
        'select user_id from records' as never,
      )) as unknown as { rows: Array<{ user_id: string }> };
      return result.rows;
    });
    expect(new Set(rows.map((r) => r.user_id))).toEqual(new Set([a.userId]));
  });

  it('should fall back to the primary when the replica is down', async () => {
    const user = await registerUser(ts);
    await user.api.sync.push.mutate({ deviceId: user.device.id, items: newItems(2) });
    await replica.stop('immediate');
    const before = await reads();
    expect((await user.api.sync.pull.query({ cursor: 0, limit: 100 })).items).toHaveLength(2);
    const after = await reads();
    expect(after.primary - before.primary).toBe(1);
  });
});
