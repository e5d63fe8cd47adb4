// Prometheus metrics, one registry per server instance (so tests can build several).
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { PoolStats } from './db/client.ts';

export function createMetrics(poolStats: () => PoolStats, logLinesDropped: () => number = () => 0) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'cofre_' });
  const requests = new Counter({
    name: 'cofre_requests_total',
    help: 'HTTP requests by procedure and status',
    labelNames: ['procedure', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'cofre_request_duration_seconds',
    help: 'HTTP request latency by procedure',
    labelNames: ['procedure'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const pushes = new Counter({
    name: 'cofre_sync_pushes_total',
    help: 'Pushes committed',
    registers: [registry],
  });
  const pushedItems = new Counter({
    name: 'cofre_sync_applied_items_total',
    help: 'Pushed items applied',
    registers: [registry],
  });
  const conflicts = new Counter({
    name: 'cofre_sync_conflicts_total',
    help: 'Pushed items answered with a conflict',
    registers: [registry],
  });
  const subscriptions = new Gauge({
    name: 'cofre_subscriptions_active',
    help: 'Open sync.changes streams',
    registers: [registry],
  });
  new Gauge({
    name: 'cofre_log_lines_dropped',
    help: 'Log lines dropped because the log reader (stdout) did not keep up',
    registers: [registry],
    collect() {
      this.set(logLinesDropped());
    },
  });
  new Gauge({
    name: 'cofre_db_pool_connections',
    help: 'Database pool connections by state',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const s = poolStats();
      this.set({ state: 'total' }, s.total);
      this.set({ state: 'idle' }, s.idle);
      this.set({ state: 'waiting' }, s.waiting);
    },
  });
  const backups = new Counter({
    name: 'cofre_backups_total',
    help: 'Scheduled backups by outcome',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const lastBackup = new Gauge({
    name: 'cofre_backup_last_success_timestamp_seconds',
    help: 'When the last scheduled backup was written (alert when it gets old)',
    registers: [registry],
  });
  const lastBackupBytes = new Gauge({
    name: 'cofre_backup_last_size_bytes',
    help: 'Size of the last scheduled backup file',
    registers: [registry],
  });
  const pullReads = new Counter({
    name: 'cofre_pull_reads_total',
    help: 'Pulls served by the read replica or, while it is behind or down, by the primary',
    labelNames: ['from'] as const,
    registers: [registry],
  });
  const mails = new Counter({
    name: 'cofre_mails_total',
    help: 'Mails handed to the SMTP server, by kind and result',
    labelNames: ['kind', 'result'] as const,
    registers: [registry],
  });
  /** Records a scheduled backup's outcome. */
  const backupDone = (r: { ok: boolean; bytes: number }) => {
    backups.inc({ outcome: r.ok ? 'ok' : 'failed' });
    if (!r.ok) return;
    lastBackup.set(Date.now() / 1000);
    lastBackupBytes.set(r.bytes);
  };
  return {
    registry,
    requests,
    latency,
    pushes,
    pushedItems,
    conflicts,
    subscriptions,
    mails,
    pullReads,
    backupDone,
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
