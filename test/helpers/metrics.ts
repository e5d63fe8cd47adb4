// Reads a counter off a running server's /metrics (Prometheus text), as a scraper would.
export async function counter(
  url: string,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const want = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${want}} `));
  return Number(line?.split(' ')[1] ?? 0);
}

/** Pulls served so far by the read replica and by the primary. */
export async function pullReads(url: string) {
  const [replica, primary] = await Promise.all(
    ['replica', 'primary'].map((from) => counter(url, 'cofre_pull_reads_total', { from })),
  );
  return { replica: replica!, primary: primary! };
}
