import { Gauge } from 'prom-client';
import { metricOnce } from '@segur/platform';
import type { EventStore, SqlClient } from '@segur/event-store';
import { comparePositions } from '@segur/event-store';
import { quarantineCounts, readCheckpoints } from '@segur/projections';
import { deadlineStats } from '@segur/scheduling';
import { outboxStats } from '@segur/notifications';

export interface StoreMetricsSources {
  sql: SqlClient;
  store: EventStore;
  projections: readonly string[];
  /** METRICS_CACHE_TTL: how long a scrape reuses the figures the previous one read. */
  cacheTtlMs: number;
}

let sources: StoreMetricsSources | null = null;

/**
 * One database read per `ttlMs` whatever the scrape rate (several Prometheus replicas, a curl
 * loop): the deadline percentiles scan the whole table. Concurrent scrapes share the read.
 */
const cached = <T>(ttl: number, read: () => Promise<T>): (() => Promise<T>) => {
  let last: { at: number; value: Promise<T> } | null = null;
  return () => {
    if (last && Date.now() - last.at < ttl) return last.value;
    const value = read();
    last = { at: Date.now(), value };
    value.catch(() => (last = null));
    return value;
  };
};

const readers = (s: StoreMetricsSources) => ({
  deadlines: cached(s.cacheTtlMs, () => deadlineStats(s.sql)),
  quarantine: cached(s.cacheTtlMs, () => quarantineCounts(s.sql)),
  outbox: cached(s.cacheTtlMs, () => outboxStats(s.sql)),
  webhooks: cached(s.cacheTtlMs, () =>
    s.sql.query<{ active: string; failing: string; paused: string }>(
      `SELECT count(*) FILTER (WHERE status = 'active' AND failures = 0) AS active,
              count(*) FILTER (WHERE status = 'active' AND failures > 0) AS failing,
              count(*) FILTER (WHERE status = 'paused') AS paused
         FROM webhooks WHERE status <> 'deleted'`,
    ),
  ),
});

let stats: ReturnType<typeof readers> | null = null;

/**
 * Gauges read at scrape time from the database (projection checkpoints, deadlines, outbox): true
 * whichever process does the work, so any API instance can be scraped.
 */
export const registerStoreMetrics = (s: StoreMetricsSources): void => {
  sources = s;
  stats = readers(s);
  metricOnce(
    'segur_projection_caught_up',
    () =>
      new Gauge({
        name: 'segur_projection_caught_up',
        help: '1 quand la projection a intégré la tête du store',
        labelNames: ['projection'] as const,
        async collect() {
          if (!sources) return;
          const [head, cps] = await Promise.all([
            sources.store.headPosition(),
            readCheckpoints(sources.sql, sources.projections),
          ]);
          for (const p of sources.projections)
            this.set({ projection: p }, comparePositions(cps.get(p) ?? null, head) >= 0 ? 1 : 0);
        },
      }),
  );
  metricOnce(
    'segur_projection_quarantine',
    () =>
      new Gauge({
        name: 'segur_projection_quarantine',
        help: 'Événements en échec (failing), en quarantaine (quarantined) ou retenus derrière eux (held), par projection',
        labelNames: ['projection', 'status'] as const,
        async collect() {
          if (!sources) return;
          const counts = await stats?.quarantine().catch(() => null);
          if (!counts) return;
          for (const p of sources.projections) {
            const c = counts.get(p) ?? { failing: 0, quarantined: 0, held: 0 };
            this.set({ projection: p, status: 'failing' }, c.failing);
            this.set({ projection: p, status: 'quarantined' }, c.quarantined);
            this.set({ projection: p, status: 'held' }, c.held);
          }
        },
      }),
  );
  metricOnce(
    'segur_deadlines',
    () =>
      new Gauge({
        name: 'segur_deadlines',
        help: 'Échéances (relances J+10, expirations J+20) par état ; overdue = en attente et échues',
        labelNames: ['status'] as const,
        async collect() {
          if (!sources) return;
          const st = await stats?.deadlines().catch(() => null);
          if (!st) return;
          this.set({ status: 'pending' }, st.pending);
          this.set({ status: 'overdue' }, st.overdue);
          this.set({ status: 'fired' }, st.fired);
          this.set({ status: 'cancelled' }, st.cancelled);
        },
      }),
  );
  metricOnce(
    'segur_deadline_lateness_seconds',
    () =>
      new Gauge({
        name: 'segur_deadline_lateness_seconds',
        help: 'Retard de déclenchement des échéances (fired_at − due_at), quantiles',
        labelNames: ['quantile'] as const,
        async collect() {
          if (!sources) return;
          const st = await stats?.deadlines().catch(() => null);
          if (!st) return;
          if (st.latenessMs.p50 !== null) this.set({ quantile: '0.5' }, st.latenessMs.p50 / 1000);
          if (st.latenessMs.p99 !== null) this.set({ quantile: '0.99' }, st.latenessMs.p99 / 1000);
        },
      }),
  );
  metricOnce(
    'segur_email_outbox_pending',
    () =>
      new Gauge({
        name: 'segur_email_outbox_pending',
        help: 'Courriels en attente d’envoi ou d’enregistrement',
        async collect() {
          if (!sources) return;
          const st = await stats?.outbox().catch(() => null);
          if (st) this.set(st.pending);
        },
      }),
  );
  metricOnce(
    'segur_webhooks',
    () =>
      new Gauge({
        name: 'segur_webhooks',
        help: 'Abonnements webhooks par état : active (livraisons à jour), failing (en échec, réessayés), paused (suspendus)',
        labelNames: ['status'] as const,
        async collect() {
          if (!sources) return;
          const r = await stats?.webhooks().catch(() => null);
          const row = r?.rows[0];
          if (!row) return;
          this.set({ status: 'active' }, Number(row.active));
          this.set({ status: 'failing' }, Number(row.failing));
          this.set({ status: 'paused' }, Number(row.paused));
        },
      }),
  );
};
