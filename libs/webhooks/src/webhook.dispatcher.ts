import { randomUUID } from 'node:crypto';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Logger } from 'pino';
import { comparePositions, type EventStore, type RecordedEvent, type SqlClient } from '@segur/event-store';
import { DOSSIER_STREAM_PREFIX } from '@segur/domain';
import { Nudge, backoffDelay, sleep, type BackoffOptions } from '@segur/kernel';
import { postWebhook, type WebhookPostOutcome } from './webhook-post';
import type { ResolveAll } from './webhook-target';
import type { WebhookSecretBox } from './webhook-secret-box';
import {
  CLAIM,
  DEFAULT_WEBHOOK_BACKOFF,
  GONE,
  PURGE_CHUNK,
  RECORD_DELIVERY,
  describeDuration,
  type ClaimedWebhook,
} from './webhook-dispatcher.claim';
import type { WebhookDispatcherOptions } from './webhook-dispatcher.options';

export { DEFAULT_WEBHOOK_BACKOFF } from './webhook-dispatcher.claim';
export type { WebhookDispatcherOptions } from './webhook-dispatcher.options';

/**
 * Pushes events to webhook subscriptions: one event per request, in order, from each
 * subscription's own cursor, advanced only after a 2xx (at least once: receivers deduplicate by
 * `webhook-id`, the event id). A failure keeps the cursor where it is and retries the same event later with
 * capped exponential backoff, so a receiver that was down gets everything, in order, once back.
 *
 * N dispatchers (N workers) share the `webhooks` table: a subscription is claimed with
 * `FOR UPDATE SKIP LOCKED` into a lease (owner token + expiry, DB clock) rather than held in an
 * open transaction, because a transaction open across an HTTP request would pin a connection,
 * and in embedded mode (PGlite, one session) would block every other query of the process.
 */
export class WebhookDispatcher {
  private readonly concurrency: number;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly requestTimeoutMs: number;
  private readonly leaseMs: number;
  private readonly maxClaimMs: number;
  private readonly backoff: BackoffOptions;
  private readonly userAgent: string;
  private readonly deliveryRetentionMs: number;
  private readonly purgeIntervalMs: number;
  private readonly pauseAfterMs: number;
  private readonly allowLoopback: boolean;
  private readonly box: WebhookSecretBox;
  private readonly resolveAll: ResolveAll | undefined;
  private readonly legacyHeaders: boolean;
  private readonly publicUrl: string | undefined;
  // Kept-alive connections between two events of a subscription; each new one is checked again.
  private readonly agents = {
    http: new HttpAgent({ keepAlive: true }),
    https: new HttpsAgent({ keepAlive: true }),
  };
  private nextPurgeAt = 0;
  private readonly inflight = new Set<Promise<void>>();
  private readonly leases = new Set<string>();
  private readonly nudge = new Nudge();
  private abort = new AbortController();
  private running: Promise<void> | null = null;

  constructor(
    private readonly sql: SqlClient,
    private readonly store: EventStore,
    private readonly logger: Logger,
    options: WebhookDispatcherOptions,
  ) {
    this.box = options.secretBox;
    this.concurrency = options.concurrency ?? 4;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.batchSize = options.batchSize ?? 100;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 5_000;
    // Room for a request plus its bookkeeping between two renewals.
    this.leaseMs = Math.max(options.leaseMs ?? 60_000, 3 * this.requestTimeoutMs);
    this.maxClaimMs = options.maxClaimMs ?? 10_000;
    this.backoff = options.backoff ?? DEFAULT_WEBHOOK_BACKOFF;
    this.userAgent = options.userAgent ?? 'segur-dossiers-webhooks/1';
    this.deliveryRetentionMs = options.deliveryRetentionMs ?? 30 * 24 * 3600_000;
    this.purgeIntervalMs = options.purgeIntervalMs ?? 3600_000;
    this.pauseAfterMs = options.pauseAfterMs ?? 3 * 24 * 3600_000;
    this.allowLoopback = options.allowLoopback ?? false;
    this.resolveAll = options.resolveAll;
    this.legacyHeaders = options.legacyHeaders ?? true;
    this.publicUrl = options.publicUrl;
  }

  start(): void {
    if (this.running) return;
    this.abort = new AbortController();
    this.running = this.loop();
  }

  /** Lets deliveries in flight finish (bounded by the request timeout), then gives leases back. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.abort.abort();
    await this.running;
    await Promise.allSettled([...this.inflight]);
    this.running = null;
    this.agents.http.destroy();
    this.agents.https.destroy();
    if (this.leases.size > 0) {
      await this.sql
        .query(
          `UPDATE webhooks SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ANY($1::text[])`,
          [[...this.leases]],
        )
        .catch((e: unknown) => this.logger.warn({ err: e }, 'webhooks : libération des baux impossible'));
      this.leases.clear();
    }
  }

  /** Wakes the loop now (e.g. on an append notification) instead of at the next poll. */
  poke(): void {
    this.nudge.notify();
  }

  private async loop(): Promise<void> {
    const signal = this.abort.signal;
    let errors = 0;
    while (!signal.aborted) {
      try {
        if (Date.now() >= this.nextPurgeAt) {
          this.nextPurgeAt = Date.now() + this.purgeIntervalMs;
          await this.purgeDeliveryLog();
        }
        await this.claimWhatIsDue();
        errors = 0;
        await this.nudge.wait(this.pollIntervalMs, signal);
      } catch (e) {
        errors++;
        this.logger.error({ err: e }, 'webhooks : lecture des abonnements impossible');
        await sleep(
          backoffDelay(errors, { baseMs: this.pollIntervalMs, maxMs: 30_000, jitter: 0.4 }),
          signal,
        );
      }
    }
  }

  /**
   * Deletes the delivery log rows past retention, a chunk per statement. N dispatchers may purge at
   * the same time: deleting an already deleted row is a no-op. Returns how many rows went.
   */
  async purgeDeliveryLog(): Promise<number> {
    let total = 0;
    for (;;) {
      const r = await this.sql.query(
        `DELETE FROM webhook_deliveries WHERE id IN (
           SELECT id FROM webhook_deliveries WHERE at < now() - $1::bigint * interval '1 millisecond' LIMIT $2)`,
        [this.deliveryRetentionMs, PURGE_CHUNK],
      );
      total += r.rowCount;
      if (r.rowCount < PURGE_CHUNK || this.abort.signal.aborted) break;
    }
    if (total > 0) this.logger.info({ deleted: total }, 'webhooks : journal de livraison purgé');
    return total;
  }

  private async claimWhatIsDue(): Promise<void> {
    if (this.inflight.size >= this.concurrency) return;
    // Only subscriptions behind the head have work: idle ones cost nothing but this query.
    const head = await this.store.headPosition();
    if (head === null) return;
    while (this.inflight.size < this.concurrency && !this.abort.signal.aborted) {
      const lease = randomUUID();
      const r = await this.sql.query<Omit<ClaimedWebhook, 'lease'>>(CLAIM, [lease, this.leaseMs, head]);
      const claimed = r.rows[0];
      if (!claimed) return;
      const row = {
        ...claimed,
        secret: this.box.open(claimed.secret),
        previousSecret: claimed.previousSecret === null ? null : this.box.open(claimed.previousSecret),
      };
      this.leases.add(lease);
      const run: Promise<void> = this.deliver({ ...row, lease })
        .catch((e: unknown) =>
          this.logger.error({ err: e, webhookId: row.id }, 'webhooks : livraison interrompue'),
        )
        .finally(() => {
          this.inflight.delete(run);
          this.leases.delete(lease);
          this.nudge.notify();
        });
      this.inflight.add(run);
    }
  }

  private async deliver(sub: ClaimedWebhook): Promise<void> {
    const claimedAt = Date.now();
    let renewedAt = claimedAt;
    let cursor = sub.cursor;
    let failures = sub.failures;
    // Dossier events only: a fournisseur's enrolment history (bank details) is for auditors.
    const filter = {
      filter: { streamPrefix: DOSSIER_STREAM_PREFIX, ...(sub.types.length > 0 ? { types: sub.types } : {}) },
    };
    const yieldTurn = (): boolean => this.abort.signal.aborted || Date.now() - claimedAt > this.maxClaimMs;
    while (!yieldTurn()) {
      const head = await this.store.headPosition();
      const page = await this.store.readAll({ after: cursor, limit: this.batchSize, ...filter });
      for (const event of page.events) {
        if (yieldTurn()) return this.release(sub);
        if (Date.now() - renewedAt > this.leaseMs - 2 * this.requestTimeoutMs) {
          if (!(await this.renew(sub))) return;
          renewedAt = Date.now();
        }
        const outcome = await postWebhook(sub, event, failures + 1, {
          timeoutMs: this.requestTimeoutMs,
          userAgent: this.userAgent,
          policy: { allowLoopback: this.allowLoopback },
          agents: this.agents,
          legacyHeaders: this.legacyHeaders,
          ...(this.publicUrl !== undefined ? { publicUrl: this.publicUrl } : {}),
          ...(this.resolveAll ? { resolveAll: this.resolveAll } : {}),
        });
        if (!outcome.ok) {
          await this.recordFailure(sub, event, failures + 1, outcome);
          return;
        }
        const ok = await this.recordSuccess(sub, event, failures + 1, outcome);
        failures = 0;
        cursor = event.position;
        if (!ok) return;
        renewedAt = Date.now();
      }
      if (page.events.length < this.batchSize) {
        // A short page scanned everything up to the head read before it, matching or not: skip
        // past the events of other types so this subscription is not claimed again for them.
        const end = comparePositions(page.cursor, head) >= 0 ? page.cursor : head;
        if (end !== null && end !== cursor) await this.advance(sub, end);
        break;
      }
      cursor = page.cursor;
    }
    await this.release(sub);
  }

  /** False when the lease is lost (expired and taken) or the subscription was deleted: stop. */
  private async recordSuccess(
    sub: ClaimedWebhook,
    event: RecordedEvent,
    attempt: number,
    outcome: WebhookPostOutcome,
  ): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      await tx.query(RECORD_DELIVERY, this.deliveryParams(sub, event, attempt, outcome));
      const r = await tx.query(
        `UPDATE webhooks SET cursor = $3, failures = 0, last_error = NULL, failing_since = NULL,
           lease_until = now() + $4::int * interval '1 millisecond'
         WHERE id = $1 AND lease_owner = $2 AND status = 'active'`,
        [sub.id, sub.lease, event.position, this.leaseMs],
      );
      return r.rowCount > 0;
    });
  }

  /**
   * The same event is tried again after the backoff, unless the receiver answered 410 Gone or has
   * been failing without a break for `pauseAfterMs`: then the subscription is paused, its cursor
   * kept, until its owner resumes it (`POST /webhooks/{id}/resume`). Nothing is skipped either way.
   */
  private async recordFailure(
    sub: ClaimedWebhook,
    event: RecordedEvent,
    attempt: number,
    outcome: WebhookPostOutcome,
  ): Promise<void> {
    const delay = backoffDelay(attempt, this.backoff);
    const gone = outcome.statusCode === GONE;
    const paused = await this.sql.transaction(async (tx) => {
      await tx.query(RECORD_DELIVERY, this.deliveryParams(sub, event, attempt, outcome));
      // failing_since on the right-hand side is the value before this failure (NULL: the first).
      const r = await tx.query<{ paused_reason: string | null; status: string }>(
        `WITH decision AS (
           SELECT CASE WHEN $6::boolean THEN $7::text
                       WHEN failing_since <= now() - $8::bigint * interval '1 millisecond' THEN $9::text
                  END AS pause
             FROM webhooks WHERE id = $1
         )
         UPDATE webhooks w SET failures = $3, last_error = $4,
           failing_since = COALESCE(w.failing_since, now()),
           next_attempt_at = now() + $5::int * interval '1 millisecond', lease_owner = NULL, lease_until = NULL,
           status = CASE WHEN d.pause IS NULL THEN w.status ELSE 'paused' END,
           paused_at = CASE WHEN d.pause IS NULL THEN w.paused_at ELSE now() END,
           paused_reason = COALESCE(d.pause, w.paused_reason)
         FROM decision d
         WHERE w.id = $1 AND w.lease_owner = $2
         RETURNING w.status, w.paused_reason`,
        [
          sub.id,
          sub.lease,
          attempt,
          outcome.error,
          delay,
          gone,
          'le destinataire a répondu 410 Gone : abonnement suspendu jusqu’à sa reprise',
          this.pauseAfterMs,
          `livraisons en échec sans interruption depuis plus de ${describeDuration(this.pauseAfterMs)} : abonnement suspendu jusqu’à sa reprise`,
        ],
      );
      const row = r.rows[0];
      return row?.status === 'paused' ? row.paused_reason : null;
    });
    const details = {
      webhookId: sub.id,
      eventId: event.id,
      attempt,
      statusCode: outcome.statusCode,
      error: outcome.error,
      cause: outcome.cause,
    };
    if (paused !== null) this.logger.error({ ...details, reason: paused }, 'webhooks : abonnement suspendu');
    else
      this.logger.warn(
        { ...details, retryInMs: delay },
        'webhooks : échec de livraison, nouvel essai programmé',
      );
  }

  private deliveryParams(
    sub: ClaimedWebhook,
    event: RecordedEvent,
    attempt: number,
    o: WebhookPostOutcome,
  ): unknown[] {
    return [
      sub.id,
      attempt,
      event.id,
      event.type,
      event.position,
      o.statusCode,
      o.error,
      // A connection that failed reports no duration either: how long a refusal or a silence took
      // would tell an open port from a filtered one.
      o.statusCode === null ? 0 : Math.round(o.durationMs),
    ];
  }

  private async advance(sub: ClaimedWebhook, cursor: string): Promise<void> {
    await this.sql.query(`UPDATE webhooks SET cursor = $3 WHERE id = $1 AND lease_owner = $2`, [
      sub.id,
      sub.lease,
      cursor,
    ]);
  }

  private async renew(sub: ClaimedWebhook): Promise<boolean> {
    const r = await this.sql.query(
      `UPDATE webhooks SET lease_until = now() + $3::int * interval '1 millisecond'
       WHERE id = $1 AND lease_owner = $2 AND status = 'active'`,
      [sub.id, sub.lease, this.leaseMs],
    );
    return r.rowCount > 0;
  }

  private async release(sub: ClaimedWebhook): Promise<void> {
    await this.sql.query(
      `UPDATE webhooks SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2`,
      [sub.id, sub.lease],
    );
  }
}
