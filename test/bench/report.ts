// The bench's rows: each figure beside the raw baseline measured in the same run, its ratio, and
// the issue's target (met or missed). Several runs fold into a median with the min–max spread.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export type Better = 'higher' | 'lower';

export interface Target {
  op: '>=' | '<=';
  value: number;
  /** What the target is on when it is not the row's own value, e.g. "ratio to raw". */
  on?: 'ratio';
}

export interface Row {
  /** Stable key: section/name[/db][/size]. */
  key: string;
  section: string;
  name: string;
  unit: string;
  value: number;
  better: Better;
  baseline?: { name: string; value: number };
  target?: Target;
  /** Free text shown after the figure (row counts, sizes, pool sizes). */
  note?: string;
  /** Each try's figure, for rows that are a median of several (kept in the results file). */
  tries?: number[];
}

export interface FoldedRow extends Row {
  runs: number[];
  spread: [number, number];
  baselineRuns?: number[];
  ratio?: number;
  met?: boolean;
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};

/** Ratio of a figure to its baseline, oriented so that 1.0 = as good as the raw limit. */
export function ratioOf(row: Pick<Row, 'value' | 'better' | 'baseline'>): number | undefined {
  if (!row.baseline || row.baseline.value === 0 || row.value === 0) return undefined;
  return row.better === 'higher' ? row.value / row.baseline.value : row.baseline.value / row.value;
}

export function fold(runs: Row[][]): FoldedRow[] {
  const byKey = new Map<string, Row[]>();
  for (const run of runs) {
    for (const row of run) byKey.set(row.key, [...(byKey.get(row.key) ?? []), row]);
  }
  return [...byKey.values()].map((rows) => {
    const first = rows[0]!;
    const values = rows.map((r) => r.value);
    const baselines = rows.flatMap((r) => (r.baseline ? [r.baseline.value] : []));
    const value = median(values);
    const baseline = first.baseline
      ? { name: first.baseline.name, value: median(baselines) }
      : undefined;
    const out: FoldedRow = {
      ...first,
      value,
      runs: values,
      spread: [Math.min(...values), Math.max(...values)],
      ...(baseline ? { baseline, baselineRuns: baselines } : {}),
    };
    // The ratio is the median of each run's own ratio: both sides of a run share its noise.
    const ratios = rows.flatMap((r) => ratioOf(r) ?? []);
    if (ratios.length > 0) out.ratio = median(ratios);
    if (first.target) {
      const t = first.target;
      const subject = t.on === 'ratio' ? out.ratio : value;
      if (subject !== undefined) out.met = t.op === '>=' ? subject >= t.value : subject <= t.value;
    }
    return out;
  });
}

const fmt = (n: number) =>
  Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en') : Number(n.toPrecision(3)).toString();

export function formatTable(rows: FoldedRow[]): string {
  const lines = [
    '| section | figure | value (spread) | raw baseline | ratio | target | met |',
    '| --- | --- | ---: | ---: | ---: | --- | --- |',
  ];
  for (const r of rows) {
    const spread = r.runs.length > 1 ? ` (${fmt(r.spread[0])}–${fmt(r.spread[1])})` : '';
    const base = r.baseline ? `${fmt(r.baseline.value)} ${r.unit} (${r.baseline.name})` : '';
    const target = r.target
      ? `${r.target.op} ${r.target.on === 'ratio' ? `${r.target.value * 100}% of the baseline` : `${fmt(r.target.value)} ${r.unit}`}`
      : '';
    const met = r.met === undefined ? '' : r.met ? 'met' : '**missed**';
    lines.push(
      `| ${r.section} | ${r.name}${r.note ? ` — ${r.note}` : ''} | ${fmt(r.value)} ${r.unit}${spread} | ${base} | ${r.ratio === undefined ? '' : r.ratio.toFixed(2)} | ${target} | ${met} |`,
    );
  }
  return lines.join('\n');
}

export async function writeResults(path: string, meta: Record<string, unknown>, rows: FoldedRow[]) {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify({ ...meta, rows }, null, 2)}\n`);
}

/** Least squares: y = intercept + slope·x, and how much of y's variance the line explains. */
export function linearFit(points: Array<[number, number]>) {
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) };
}
