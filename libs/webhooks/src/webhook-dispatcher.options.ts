import type { BackoffOptions } from '@segur/kernel';
import type { ResolveAll } from './webhook-target';
import type { WebhookSecretBox } from './webhook-secret-box';

export interface WebhookDispatcherOptions {
  /** Subscriptions this process delivers at the same time (each one strictly in order). */
  concurrency?: number;
  /** How often the head is checked when no delivery ends and nothing wakes the loop. */
  pollIntervalMs?: number;
  /** Events read per page of a subscription. */
  batchSize?: number;
  requestTimeoutMs?: number;
  /**
   * How long a claim protects a subscription from other dispatchers; renewed after every delivered
   * event. A crashed dispatcher's subscriptions resume elsewhere once it runs out.
   */
  leaseMs?: number;
  /** A busy subscription is released after this long, so others get their turn. */
  maxClaimMs?: number;
  backoff?: BackoffOptions;
  userAgent?: string;
  /**
   * Delivery log rows older than this are deleted (`WEBHOOK_DELIVERY_RETENTION`): the log answers
   * "what did my receiver get lately", it is not the audit trail (the events are).
   */
  deliveryRetentionMs?: number;
  /** How often the retention purge runs. */
  purgeIntervalMs?: number;
  /**
   * A subscription whose deliveries fail without a break for this long is paused
   * (`WEBHOOK_PAUSE_AFTER`): retrying a receiver that has been gone for days only fills the log.
   */
  pauseAfterMs?: number;
  /**
   * Deliveries to the machine itself (127.0.0.0/8, ::1, `localhost`) are allowed
   * (`WEBHOOK_ALLOW_LOOPBACK`): tests and local development only. Private, link-local and other
   * non-public addresses are never reached.
   */
  allowLoopback?: boolean;
  /** Name resolution at connect time; tests hand in their own to play a DNS answer. */
  resolveAll?: ResolveAll;
  /** Opens the signing secrets, stored encrypted (`WEBHOOK_SECRET_KEY`). */
  secretBox: WebhookSecretBox;
  /**
   * Also send the `Segur-*` headers of the first scheme (`WEBHOOK_LEGACY_HEADERS`, default true for
   * this migration release): receivers switch to the Standard Webhooks headers, then it goes.
   */
  legacyHeaders?: boolean;
  /** The API's public URL: CloudEvents' `dataschema` points under it (`PUBLIC_URL`). */
  publicUrl?: string;
}
