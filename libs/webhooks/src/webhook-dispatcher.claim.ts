import type { BackoffOptions } from '@segur/kernel';
import type { WebhookFormat } from './webhook-subscriptions';

// The dispatcher's statements, what it claims, and its fixed settings: kept apart from its loop.

/** `410 Gone`: the receiver says the endpoint is gone for good, the one answer that pauses at once. */
export const GONE = 410;

/** Rows deleted per statement by the purge: short transactions, no long lock on the log. */
export const PURGE_CHUNK = 5_000;

export interface ClaimedWebhook {
  id: string;
  url: string;
  types: string[];
  format: WebhookFormat;
  secret: string;
  /** The replaced secret while its rotation overlap lasts: deliveries carry both signatures. */
  previousSecret: string | null;
  cursor: string | null;
  failures: number;
  /** Per-claim token: even this dispatcher cannot act on a claim it lost when the lease ran out. */
  lease: string;
}

export const CLAIM = `
UPDATE webhooks SET lease_owner = $1, lease_until = now() + $2::int * interval '1 millisecond'
WHERE id = (
  SELECT id FROM webhooks
  WHERE status = 'active' AND next_attempt_at <= now()
    AND (lease_until IS NULL OR lease_until < now())
    AND (cursor IS NULL OR cursor COLLATE "C" < $3::text COLLATE "C")
  ORDER BY next_attempt_at, id
  LIMIT 1
  FOR UPDATE SKIP LOCKED
)
RETURNING id, url, types, format, secret,
  CASE WHEN previous_secret_until > now() THEN previous_secret END AS "previousSecret", cursor, failures`;

export const RECORD_DELIVERY = `
INSERT INTO webhook_deliveries (webhook_id, attempt, event_id, event_type, position, status_code, error, duration_ms)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;

export const describeDuration = (ms: number): string =>
  ms >= 48 * 3600_000
    ? `${Math.round(ms / (24 * 3600_000))} jours`
    : ms >= 3600_000
      ? `${Math.round(ms / 3600_000)} h`
      : `${Math.max(1, Math.round(ms / 1000))} s`;

/** A receiver that comes back is retried from 1 s to 10 min, up to 40 % off so its subscriptions spread out. */
export const DEFAULT_WEBHOOK_BACKOFF: BackoffOptions = { baseMs: 1_000, maxMs: 10 * 60_000, jitter: 0.4 };
