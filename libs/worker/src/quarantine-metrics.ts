import { Counter } from 'prom-client';
import { metricOnce } from '@segur/platform';

/**
 * Counted by the worker that quarantined the event. The current number per projection, true
 * whichever process did it, is the API's `segur_projection_quarantine` gauge (read at scrape time).
 */
export const eventsQuarantined = (): Counter<'projection'> =>
  metricOnce(
    'segur_projection_events_quarantined_total',
    () =>
      new Counter({
        name: 'segur_projection_events_quarantined_total',
        help: 'Événements mis en quarantaine par une projection après trop d’essais en échec',
        labelNames: ['projection'] as const,
      }),
  );
