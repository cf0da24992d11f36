export interface WebhookBackoff {
  /** Delay after the first failure. */
  baseMs: number;
  /** Ceiling: a receiver down for days is still retried this often, until it is paused
   * (410 Gone, or `WEBHOOK_PAUSE_AFTER` of failures without a break). */
  maxMs: number;
}

export const DEFAULT_WEBHOOK_BACKOFF: WebhookBackoff = { baseMs: 1_000, maxMs: 10 * 60_000 };

/**
 * Exponential (base, 2×base, 4×base…), capped, with ±20 % jitter so that the subscriptions of a
 * receiver that comes back do not all retry in the same instant. `failures` counts from 1.
 */
export const webhookRetryDelay = (failures: number, o: WebhookBackoff = DEFAULT_WEBHOOK_BACKOFF): number => {
  const capped = Math.min(o.maxMs, o.baseMs * 2 ** Math.min(Math.max(0, failures - 1), 30));
  return Math.max(1, Math.round(capped * (0.8 + 0.4 * Math.random())));
};
