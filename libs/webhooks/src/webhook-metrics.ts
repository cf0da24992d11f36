import { Counter, Histogram } from 'prom-client';
import { metricOnce } from '@segur/platform';

/** Each POST to a subscriber, by outcome: `delivered` (2xx in time) or `failed` (retried later). */
export const webhookDeliveries = metricOnce(
  'segur_webhook_deliveries_total',
  () =>
    new Counter({
      name: 'segur_webhook_deliveries_total',
      help: 'Tentatives de livraison webhook par issue (delivered, failed)',
      labelNames: ['outcome'] as const,
    }),
);

export const webhookDeliveryDuration = metricOnce(
  'segur_webhook_delivery_duration_seconds',
  () =>
    new Histogram({
      name: 'segur_webhook_delivery_duration_seconds',
      help: 'Durée d’une tentative de livraison webhook (réponse du récepteur comprise)',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    }),
);
