// Sharing (issue 16's closing figures): a shared vault of N items with 5 members on the real
// server process, beside the same N items in a personal vault — the owner's first push, each
// member's first pull (a device with nothing), and the key rotation after a removal (a new
// generation, every record re-encrypted and pushed). Engines run on memory stores, so the rows
// measure sync, crypto and the server, not IndexedDB.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addMember, createPerson, login, type Person } from '../helpers/people.ts';
import { spawnServer } from '../helpers/spawn-server.ts';
import { createPostgresDatabase } from '../helpers/test-db.ts';
import { makeClient, type TestServer } from '../helpers/test-server.ts';
import { median, type Row } from './report.ts';

const MEMBERS = 5;

const timed = async (fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

export async function benchSharing(
  dbs: Array<'postgres' | 'pglite'>,
  opts: { size: number; log: (line: string) => void },
): Promise<Row[]> {
  const rows: Row[] = [];
  const n = opts.size;
  const note = `${n.toLocaleString('en')} logins, ${MEMBERS} members`;
  for (const db of dbs) {
    const pgDb = db === 'postgres' ? await createPostgresDatabase() : undefined;
    const dataDir =
      db === 'pglite' ? await mkdtemp(join(tmpdir(), 'cofre-bench-share-')) : undefined;
    const server = await spawnServer({
      ...(pgDb ? { DATABASE_URL: pgDb.url } : { DATA_DIR: dataDir! }),
      LOG_LEVEL: 'warn',
    });
    try {
      const ts = { client: (token?: string) => makeClient(server.url, token) } as TestServer;
      const people: Person[] = [];
      for (let i = 0; i < MEMBERS; i++) people.push(await createPerson(ts, `Member${i}`));
      const owner = people[0]!;
      const { vaultId } = await owner.sharing.createVault('Bench');
      for (const p of people.slice(1)) await addMember(owner, vaultId, p, 'editor');
      opts.log(`  sharing on ${db}: ${MEMBERS} members, writing ${note}`);
      const entries = () =>
        Array.from({ length: n }, (_, i) => ({ id: randomUUID(), body: login(`Site ${i}`) }));

      // Personal baseline: the same items in another account's own vault, pushed, then pulled by
      // a new device of it. (Not the owner's: this core reads pins from the personal vault, which
      // the worker keeps decrypted in its index; a helper without one would decrypt it again.)
      const solo = await createPerson(ts, 'Solo');
      await solo.personal.saveMany(entries());
      const personalPush = await timed(() => solo.personal.sync());
      const personalPull = await timed(() => solo.newDevice().personal.sync());

      const { engine } = await owner.sharing.openVault(vaultId);
      await engine.saveMany(entries());
      const sharedPush = await timed(() => engine.sync());
      const pulls: number[] = [];
      for (const p of people.slice(1)) pulls.push(await timed(() => p.sharing.syncAll()));
      const sharedPull = median(pulls);

      let reencrypted = 0;
      const rotateMs = await timed(async () => {
        reencrypted = (await owner.sharing.removeMember(vaultId, people.at(-1)!.userId))
          .reencrypted;
      });
      const row = (key: string, name: string, value: number, baseline?: Row['baseline']): Row => ({
        key: `sharing/${key}/${db}/${n}`,
        section: 'sharing',
        name: `${name} (${db})`,
        unit: 'ms',
        value,
        better: 'lower',
        note,
        ...(baseline ? { baseline } : {}),
      });
      rows.push(
        row('push', `Shared vault: first push of ${n.toLocaleString('en')} items`, sharedPush, {
          name: 'personal vault, same items',
          value: personalPush,
        }),
        row('pull', `Shared vault: a member’s first pull (median of ${pulls.length})`, sharedPull, {
          name: 'personal vault, new device',
          value: personalPull,
        }),
        row(
          'rotate',
          `Remove a member: rotate the key, re-encrypt ${reencrypted.toLocaleString('en')} records, push`,
          rotateMs,
        ),
      );
      opts.log(
        `  sharing on ${db}: push ${Math.round(sharedPush)} ms (personal ${Math.round(personalPush)}), pull ${Math.round(sharedPull)} ms (personal ${Math.round(personalPull)}), rotate ${Math.round(rotateMs)} ms`,
      );
    } finally {
      await server.stop();
      await pgDb?.drop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    }
  }
  return rows;
}
