// `npm run bench:instances`: one server process against three behind HAProxy, on one Postgres,
// in the same run. Real processes (`server/main.ts`), Debian's HAProxy, the shared Postgres.
//  - throughput: USERS accounts, each pushing 1-item pushes back to back for SECONDS, all at
//    once: acknowledged pushes per second;
//  - propagation: a push sent → the change event at a subscriber of the same account on another
//    process (one process: the same one), p50 / p99 of PROBES pushes (the event often arrives
//    before the push's own answer does).
// The machine's core count bounds what three processes can add: see `cores` in the output.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchChanges } from '../helpers/events.ts';
import { startHaproxy } from '../helpers/load-balancer.ts';
import { type ServerProcess, spawnServer } from '../helpers/spawn-server.ts';
import { createPostgresDatabase } from '../helpers/test-db.ts';
import { fakeCt, fakeRegistration, makeClient } from '../helpers/test-server.ts';
import { endBench } from './end-bench.ts';
import { percentile } from './report.ts';

const USERS = Number(process.env.USERS ?? 16);
const SECONDS = Number(process.env.SECONDS ?? 8);
const PROBES = Number(process.env.PROBES ?? 60);
const print = (...parts: unknown[]) => process.stdout.write(`${parts.join(' ')}\n`);

async function signUp(url: string) {
  const reg = fakeRegistration();
  const { token } = await makeClient(url).account.register.mutate(reg);
  return { reg, token };
}

/** Acknowledged 1-item pushes per second with USERS accounts pushing at once through `url`. */
async function throughput(url: string): Promise<number> {
  const users = await Promise.all(Array.from({ length: USERS }, () => signUp(url)));
  let acked = 0;
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(
    users.map(async (u) => {
      const api = makeClient(url, u.token);
      while (performance.now() < until) {
        await api.sync.push.mutate({
          deviceId: u.reg.device.id,
          items: [{ id: randomUUID(), baseVersion: 0, deleted: false, ct: fakeCt(200) }],
        });
        acked++;
      }
    }),
  );
  return acked / SECONDS;
}

/** Push through `pushUrl`, subscriber on `watchUrl`: milliseconds from the ack to the event. */
async function propagation(pushUrl: string, watchUrl: string): Promise<number[]> {
  const u = await signUp(pushUrl);
  const stream = watchChanges(makeClient(watchUrl, u.token));
  // When each event arrived (waitFor may be asked after it came).
  const arrival = new Map<object, number>();
  const push = stream.events.push.bind(stream.events);
  stream.events.push = (...es) => {
    for (const e of es) arrival.set(e, performance.now());
    return push(...es);
  };
  await stream.waitFor((e) => e.seq === 0, 30_000);
  const api = makeClient(pushUrl, u.token);
  const out: number[] = [];
  for (let i = 1; i <= PROBES; i++) {
    const sent = performance.now();
    await api.sync.push.mutate({
      deviceId: u.reg.device.id,
      items: [{ id: randomUUID(), baseVersion: 0, deleted: false, ct: fakeCt(64) }],
    });
    const event = await stream.waitFor((e) => e.seq === i, 10_000);
    out.push((arrival.get(event) ?? performance.now()) - sent);
  }
  stream.close();
  return out;
}

const dir = await mkdtemp(join(tmpdir(), 'cofre-bench-lb-'));
const db = await createPostgresDatabase();
const servers: ServerProcess[] = [];
let lb: ChildProcess | undefined;
try {
  servers.push(await spawnServer({ DATABASE_URL: db.url, LOG_LEVEL: 'warn' }));
  const oneRate = await throughput(servers[0]!.url);
  const oneProp = await propagation(servers[0]!.url, servers[0]!.url);
  servers.push(
    ...(await Promise.all(
      [1, 2].map(() => spawnServer({ DATABASE_URL: db.url, LOG_LEVEL: 'warn' })),
    )),
  );
  const balancer = await startHaproxy(
    dir,
    servers.map((s) => s.url),
  );
  lb = balancer.proc;
  const threeRate = await throughput(balancer.url);
  const threeProp = await propagation(servers[0]!.url, servers[2]!.url);
  print(
    `instances on one Postgres (${cpus().length} cores; ${USERS} accounts pushing 1-item pushes for ${SECONDS} s; propagation: ${PROBES} pushes)`,
  );
  print('| setup | pushes/s | propagation p50 | propagation p99 |');
  print('| --- | ---: | ---: | ---: |');
  print(
    `| 1 process (subscriber on it) | ${oneRate.toFixed(0)} | ${percentile(oneProp, 50).toFixed(1)} ms | ${percentile(oneProp, 99).toFixed(1)} ms |`,
  );
  print(
    `| 3 processes behind HAProxy (subscriber on another process) | ${threeRate.toFixed(0)} | ${percentile(threeProp, 50).toFixed(1)} ms | ${percentile(threeProp, 99).toFixed(1)} ms |`,
  );
} finally {
  lb?.kill('SIGKILL');
  await Promise.all(servers.map((s) => s.stop('SIGTERM')));
  await db.drop();
  await rm(dir, { recursive: true, force: true });
}
endBench();
