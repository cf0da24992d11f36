import { collectDefaultMetrics, Counter, register } from 'prom-client';
import { metricOnce } from './metrics';

/** Connections the database ended under us (restart, failover, terminated backend). */
export const connectionsLost = (): Counter<'where'> =>
  metricOnce(
    'segur_database_connections_lost_total',
    () =>
      new Counter({
        name: 'segur_database_connections_lost_total',
        help: 'Connexions PostgreSQL fermées par le serveur (pool ou LISTEN), rouvertes ensuite',
        labelNames: ['where'],
      }),
  );

/** Errors nobody caught: each one is a bug to fix, even when the process carries on. */
export const unhandledErrors = (): Counter<'kind'> =>
  metricOnce(
    'segur_unhandled_errors_total',
    () =>
      new Counter({
        name: 'segur_unhandled_errors_total',
        help: 'Rejets de promesse et exceptions non interceptés',
        labelNames: ['kind'],
      }),
  );

/**
 * Node's process metrics (CPU, memory, event loop lag, GC) and ours, registered once per process at
 * start: a counter that appears only at its first increment leaves dashboards and alerts blind.
 */
export const collectProcessMetrics = (): void => {
  if (!register.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics();
  unhandledErrors();
  connectionsLost();
};
