// CPU profiles of the bench's phases (`npm run bench -- --only browser --profile DIR`): the
// extension's worker and the page under test, through the Chrome DevTools protocol's Profiler,
// written as .cpuprofile files (open them in DevTools' Performance panel) and summarised as the
// functions with the most self time, so a missed target is explained before it is fixed.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Anything that can send a CDP command (a Playwright CDPSession, or the worker's relay). */
export interface CdpTarget {
  send(method: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export async function startProfile(target: CdpTarget) {
  await target.send('Profiler.enable');
  // 100 µs: a 10-ms keystroke gets ~100 samples.
  await target.send('Profiler.setSamplingInterval', { interval: 100 });
  await target.send('Profiler.start');
  return async () => (await target.send('Profiler.stop')).profile as unknown as CpuProfile;
}

/** Self time per function (name, file and line), largest first; ms. */
export function topSelfTime(profile: CpuProfile, top = 12) {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  // A sample lasts until the next one: `timeDeltas[i]` is the gap *before* sample i, so a
  // thread that went unsampled for a while (idle, or waiting on the browser) must not have that
  // gap charged to the function that happened to run when sampling resumed.
  let at = profile.startTime;
  const times = profile.timeDeltas.map((d) => {
    at += d;
    return at;
  });
  for (const [i, id] of profile.samples.entries()) {
    const f = byNode.get(id)?.callFrame;
    if (!f) continue;
    const file = f.url.split('/').at(-1) || '';
    const key = `${f.functionName || '(anonymous)'} ${file}${file ? `:${f.lineNumber + 1}` : ''}`;
    const lasted = (times[i + 1] ?? profile.endTime) - times[i]!;
    self.set(key, (self.get(key) ?? 0) + lasted / 1000);
  }
  const total = (profile.endTime - profile.startTime) / 1000;
  return {
    totalMs: total,
    top: [...self].sort((a, b) => b[1] - a[1]).slice(0, top),
  };
}

/** Starts profiling `target`; the returned stop writes DIR/<label>.cpuprofile and logs its top. */
export async function profileSpan(
  dir: string,
  label: string,
  target: CdpTarget,
  log: (line: string) => void,
) {
  await mkdir(dir, { recursive: true });
  const stop = await startProfile(target);
  return async () => {
    const profile = await stop();
    await writeFile(join(dir, `${label}.cpuprofile`), JSON.stringify(profile));
    const { totalMs, top } = topSelfTime(profile);
    log(`    profile ${label}: ${totalMs.toFixed(0)} ms sampled`);
    for (const [fn, ms] of top) log(`      ${ms.toFixed(1).padStart(7)} ms  ${fn}`);
  };
}

/** Profiles `targets` while `run` runs, each into DIR/<label>-<target>.cpuprofile. */
export async function profiled<T>(
  dir: string | undefined,
  label: string,
  targets: Record<string, CdpTarget>,
  run: () => Promise<T>,
  log: (line: string) => void,
): Promise<T> {
  if (!dir) return run();
  const stops = await Promise.all(
    Object.entries(targets).map(([name, t]) => profileSpan(dir, `${label}-${name}`, t, log)),
  );
  const result = await run();
  for (const stop of stops) await stop();
  return result;
}

// `npx tsx test/bench/cpu-profile.ts FILE.cpuprofile…`: the top of saved profiles (the server's).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const file of process.argv.slice(2)) {
    const { totalMs, top } = topSelfTime(JSON.parse(await readFile(file, 'utf8')), 25);
    process.stdout.write(`${file}: ${totalMs.toFixed(0)} ms sampled\n`);
    for (const [fn, ms] of top) process.stdout.write(`  ${ms.toFixed(1).padStart(8)} ms  ${fn}\n`);
  }
}
