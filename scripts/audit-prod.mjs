#!/usr/bin/env node
// `npm audit` of the production dependencies for CI: fails on any high or critical advisory.
// When the registry offers no audit endpoint (a mirror, or this CI machine's proxy, which
// answers the bulk-advisory POST with 405), it says so plainly and does not fail: there is
// nothing to judge, and a failure there would only teach people to ignore this step.
import { spawnSync } from 'node:child_process';

const say = (line) => process.stdout.write(`${line}\n`);
const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8' });
let report;
try {
  report = JSON.parse(run.stdout || '{}');
} catch {
  say(`audit: npm audit printed no JSON:\n${run.stderr || run.stdout}`);
  process.exit(1);
}
if (report.statusCode || report.error || !report.metadata) {
  const why = report.statusCode
    ? `${report.statusCode} from ${report.uri}`
    : (report.error?.summary ?? report.message ?? 'no report');
  say(`audit: skipped — the registry has no audit endpoint here (${why})`);
  process.exit(0);
}
const v = report.metadata.vulnerabilities ?? {};
const bad = (v.high ?? 0) + (v.critical ?? 0);
say(
  `audit: production dependencies — critical ${v.critical ?? 0}, high ${v.high ?? 0}, moderate ${v.moderate ?? 0}, low ${v.low ?? 0}`,
);
if (bad > 0) {
  for (const [name, info] of Object.entries(report.vulnerabilities ?? {}))
    if (info.severity === 'high' || info.severity === 'critical')
      say(`  ${info.severity}: ${name} ${info.range ?? ''}`);
  process.exit(1);
}
