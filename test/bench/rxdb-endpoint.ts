// The minimal endpoint RxDB's generic replication needs, mounted by the bench on the same
// Fastify server and database as Cofre's own sync: a keyset pull by seq, and a push that
// compares the assumed master state's version and returns the master document on conflict.
// It also serves the bundled RxDB page, so the browser talks to it from the same origin.
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { build } from 'esbuild';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../server/db/client.ts';

interface Doc {
  id: string;
  ct: string;
  version: number;
  _deleted: boolean;
}
interface Stored {
  id: string;
  ct: string;
  version: number;
  deleted: boolean;
  seq: number | string;
}

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

const toDoc = (r: Stored): Doc => ({
  id: r.id,
  ct: r.ct,
  version: Number(r.version),
  _deleted: r.deleted,
});

async function bundle() {
  const out = await build({
    entryPoints: [fileURLToPath(new URL('./rxdb-client.ts', import.meta.url))],
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'browser',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

export async function mountRxdbEndpoint(app: FastifyInstance, database: Database) {
  const { db } = database;
  await db.execute(sql`create sequence if not exists bench_rxdb_seq`);
  await db.execute(sql`create table if not exists bench_rxdb_docs (
    id text primary key, ct text not null, version integer not null,
    deleted boolean not null default false, seq bigint not null)`);
  await db.execute(sql`create index if not exists bench_rxdb_seq_idx on bench_rxdb_docs (seq)`);
  const script = await bundle();

  // The server's own answers forbid everything (default-src 'none'): this page is the bench's,
  // and runs its script from this origin.
  app.get('/bench/rxdb.html', (_req, reply) =>
    reply
      .header('content-security-policy', "default-src 'self'")
      .type('text/html')
      .send(
        '<!doctype html><title>RxDB bench</title><script type="module" src="/bench/rxdb.js"></script>',
      ),
  );
  app.get('/bench/rxdb.js', (_req, reply) => reply.type('text/javascript').send(script));

  app.post<{ Body: { seq: number; limit: number } }>('/bench/rxdb/pull', async (req) => {
    const rows = rowsOf<Stored>(
      await db.execute(
        sql`select id, ct, version, deleted, seq from bench_rxdb_docs where seq > ${req.body.seq}
            order by seq limit ${req.body.limit}`,
      ),
    );
    return {
      documents: rows.map(toDoc),
      checkpoint: { seq: rows.length ? Number(rows.at(-1)!.seq) : req.body.seq },
    };
  });

  app.post<{ Body: { rows: { assumedMasterState?: Doc; newDocumentState: Doc }[] } }>(
    '/bench/rxdb/push',
    async (req) =>
      db.transaction(async (tx) => {
        const conflicts: Doc[] = [];
        for (const row of req.body.rows) {
          const doc = row.newDocumentState;
          const [current] = rowsOf<Stored>(
            await tx.execute(
              sql`select id, ct, version, deleted, seq from bench_rxdb_docs where id = ${doc.id} for update`,
            ),
          );
          if (current && current.version !== row.assumedMasterState?.version) {
            conflicts.push(toDoc(current));
            continue;
          }
          await tx.execute(sql`insert into bench_rxdb_docs (id, ct, version, deleted, seq)
            values (${doc.id}, ${doc.ct}, ${doc.version}, ${doc._deleted}, nextval('bench_rxdb_seq'))
            on conflict (id) do update set ct = excluded.ct, version = excluded.version,
              deleted = excluded.deleted, seq = excluded.seq`);
        }
        return conflicts;
      }),
  );
}

/** Fills the peer's table with `n` documents of `bytes` random bytes each, base64 as on the wire. */
export async function seedRxdbDocs(database: Database, n: number, bytes: number) {
  const { db } = database;
  await db.execute(sql`truncate bench_rxdb_docs`);
  for (let i = 0; i < n; i += 500) {
    const batch = Array.from({ length: Math.min(500, n - i) }, () => ({
      id: crypto.randomUUID(),
      ct: Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString('base64url'),
    }));
    await db.execute(sql`insert into bench_rxdb_docs (id, ct, version, deleted, seq)
      select id, ct, 1, false, nextval('bench_rxdb_seq')
      from json_to_recordset(${JSON.stringify(batch)}::json) as t(id text, ct text)`);
  }
}
