import { Counter } from 'prom-client';
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
