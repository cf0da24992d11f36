import { randomUUID } from 'node:crypto';
import type { EventStore, SqlClient } from '@segur/event-store';
import { Refusal, toIso, toIsoOrNull } from '@segur/kernel';
import { newWebhookSecret } from './webhook-signature';
import { WebhookSecretBox } from './webhook-secret-box';
import {
  systemResolveAll,
  webhookTargetProblem,
  type ResolveAll,
  type WebhookTargetPolicy,
} from './webhook-target';

/** The body of a delivery: the feed's envelope, or a CloudEvents 1.0 structured-mode event. */
export type WebhookFormat = 'envelope' | 'cloudevents';

export interface WebhookView {
  id: string;
  url: string;
  types: string[];
  format: WebhookFormat;
  /** Position of the last event delivered (or skipped as not matching); null: from the beginning. */
  cursor: string | null;
  /** `paused`: no delivery until `POST /webhooks/{id}/resume` (410 Gone, or failing for days). */
  status: 'active' | 'paused';
  /** Failed attempts in a row on the event at the cursor; 0 when deliveries succeed. */
  failures: number;
  /** Since when deliveries fail without a break; null when the last one succeeded. */
  failingSince: string | null;
  nextAttemptAt: string;
  lastError: string | null;
  pausedAt: string | null;
  pausedReason: string | null;
  createdAt: string;
}

/** The answer to a creation: the only time the secret is shown. */
export interface CreatedWebhook {
  id: string;
  secret: string;
  url: string;
  types: string[];
  format: WebhookFormat;
  cursor: string | null;
  createdAt: string;
}

/** The answer to a secret rotation: the only time the new secret is shown. */
export interface RotatedWebhookSecret {
  id: string;
  secret: string;
  /** Until then deliveries also carry a signature with the replaced secret; null: not at all. */
  previousSecretValidUntil: string | null;
}

/** Longest overlap of the old and new secrets: a week is enough to redeploy any receiver. */
export const MAX_SECRET_OVERLAP_SECONDS = 7 * 24 * 3600;

export interface WebhookDeliveryView {
  id: string;
  attempt: number;
  eventId: string;
  eventType: string;
  position: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  at: string;
}

export interface CreateWebhookInput {
  url: string;
  /** Empty: every type. */
  types: string[];
  /** `now` (default): only events appended after the creation; `beginning`: the whole history. */
  from?: 'now' | 'beginning';
  /** Default `envelope`. */
  format?: WebhookFormat;
}

/** A `webhooks` row as read: the view's plain columns, its instants as the driver gives them. */
interface WebhookRow extends Pick<
  WebhookView,
  'id' | 'url' | 'types' | 'format' | 'cursor' | 'status' | 'failures'
> {
  failing_since: Date | string | null;
  next_attempt_at: Date | string;
  last_error: string | null;
  paused_at: Date | string | null;
  paused_reason: string | null;
  created_at: Date | string;
}

const VIEW_COLUMNS = `id, url, types, format, cursor, status, failures, failing_since, next_attempt_at, last_error,
  paused_at, paused_reason, created_at`;

/** Deleted subscriptions are gone for their owner; active and paused ones are theirs to manage. */
const LIVE = `status IN ('active', 'paused')`;

interface DeliveryRow {
  id: string;
  attempt: number;
  event_id: string;
  event_type: string;
  position: string;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  at: Date | string;
}

const toView = (row: WebhookRow): WebhookView => ({
  id: row.id,
  url: row.url,
  types: row.types,
  format: row.format,
  cursor: row.cursor,
  status: row.status,
  failures: row.failures,
  failingSince: toIsoOrNull(row.failing_since),
  nextAttemptAt: toIso(row.next_attempt_at),
  lastError: row.last_error,
  pausedAt: toIsoOrNull(row.paused_at),
  pausedReason: row.paused_reason,
  createdAt: toIso(row.created_at),
});

/** Another owner's subscription answers exactly as one that does not exist. */
export const webhookNotFound = (id: string): Refusal =>
  new Refusal('not-found', 'INTROUVABLE', `Abonnement ${id.slice(0, 64)} introuvable`);

/** Subscriptions as their owner (a `service` principal) sees and manages them. */
export class WebhookSubscriptions {
  constructor(
    private readonly sql: SqlClient,
    private readonly store: EventStore,
    private readonly box: WebhookSecretBox,
    private readonly policy: WebhookTargetPolicy = { allowLoopback: false },
    private readonly resolveAll: ResolveAll = systemResolveAll,
    /** Live subscriptions one owner may hold (`WEBHOOK_SUBSCRIPTIONS_MAX`): each costs a delivery loop. */
    private readonly maxPerOwner = 20,
  ) {}

  async create(ownerSub: string, input: CreateWebhookInput): Promise<CreatedWebhook> {
    const target = await webhookTargetProblem(new URL(input.url), this.policy, this.resolveAll);
    if (target !== null)
      throw new Refusal('invalid', 'CHAMP_INVALIDE', `url : ${target}`, [
        { path: 'url', code: 'CHAMP_INVALIDE', message: `url : ${target}` },
      ]);
    const id = randomUUID();
    const secret = newWebhookSecret();
    const types = [...new Set(input.types)];
    const format = input.format ?? 'envelope';
    // The head read before the insert: an event appended meanwhile is after it, so it is delivered.
    const cursor = input.from === 'beginning' ? null : await this.store.headPosition();
    // Counted and inserted under a lock per owner: two concurrent creations cannot both pass the cap.
    const createdAt = await this.sql.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('segur:webhooks:' || $1))`, [ownerSub]);
      const held = await tx.query<{ n: string | number }>(
        `SELECT count(*) AS n FROM webhooks WHERE owner_sub = $1 AND ${LIVE}`,
        [ownerSub],
      );
      if (Number(held.rows[0]?.n ?? 0) >= this.maxPerOwner)
        throw new Refusal(
          'conflict',
          'TROP_D_ABONNEMENTS',
          `${this.maxPerOwner} abonnements au plus par principal (WEBHOOK_SUBSCRIPTIONS_MAX) : supprimez-en un avant d’en créer un autre`,
        );
      const r = await tx.query<{ created_at: Date | string }>(
        `INSERT INTO webhooks (id, owner_sub, url, types, secret, cursor, format) VALUES ($1, $2, $3, $4, $5, $6, $7)
         RETURNING created_at`,
        [id, ownerSub, input.url, types, this.box.seal(secret), cursor, format],
      );
      return toIso((r.rows[0] as { created_at: Date | string }).created_at);
    });
    return { id, secret, url: input.url, types, format, cursor, createdAt };
  }

  /**
   * Secrets stored before they were encrypted are encrypted in place, each row only if it still
   * holds the value read (N processes may run this at once). Returns how many rows changed.
   */
  async encryptPlaintextSecrets(): Promise<number> {
    const r = await this.sql.query<{ id: string; secret: string; previous_secret: string | null }>(
      `SELECT id, secret, previous_secret FROM webhooks
       WHERE (secret <> '' AND secret NOT LIKE 'enc:v1:%') OR previous_secret NOT LIKE 'enc:v1:%'`,
    );
    let changed = 0;
    for (const row of r.rows) {
      const seal = (v: string | null): string | null =>
        v === null || v === '' || WebhookSecretBox.isSealed(v) ? v : this.box.seal(v);
      const u = await this.sql.query(
        `UPDATE webhooks SET secret = $4, previous_secret = $5
         WHERE id = $1 AND secret = $2 AND previous_secret IS NOT DISTINCT FROM $3`,
        [row.id, row.secret, row.previous_secret, seal(row.secret), seal(row.previous_secret)],
      );
      changed += u.rowCount;
    }
    return changed;
  }

  async list(ownerSub: string): Promise<WebhookView[]> {
    const r = await this.sql.query<WebhookRow>(
      `SELECT ${VIEW_COLUMNS} FROM webhooks WHERE owner_sub = $1 AND ${LIVE} ORDER BY created_at, id`,
      [ownerSub],
    );
    return r.rows.map(toView);
  }

  /**
   * Deliveries start again from the cursor (the event that failed first), right away and with a
   * fresh failure count: a paused subscription loses nothing, it was only held back. Resuming an
   * active subscription retries its pending event now instead of after the backoff.
   */
  async resume(ownerSub: string, id: string): Promise<WebhookView> {
    const r = await this.sql.query<WebhookRow>(
      `UPDATE webhooks SET status = 'active', paused_at = NULL, paused_reason = NULL, failures = 0,
         failing_since = NULL, next_attempt_at = now()
       WHERE id = $1 AND owner_sub = $2 AND ${LIVE}
       RETURNING ${VIEW_COLUMNS}`,
      [id, ownerSub],
    );
    const row = r.rows[0];
    if (!row) throw webhookNotFound(id);
    return toView(row);
  }

  /**
   * Soft delete: the delivery log stays for audit, the secret is wiped. A delivery in flight ends
   * with that request: the dispatcher's next cursor update finds the row no longer active.
   */
  async remove(ownerSub: string, id: string): Promise<void> {
    const r = await this.sql.query(
      `UPDATE webhooks SET status = 'deleted', deleted_at = now(), secret = '', previous_secret = NULL,
         previous_secret_until = NULL, lease_owner = NULL, lease_until = NULL
       WHERE id = $1 AND owner_sub = $2 AND ${LIVE}`,
      [id, ownerSub],
    );
    if (r.rowCount === 0) throw webhookNotFound(id);
  }

  /**
   * A new signing secret, shown once. The replaced one keeps signing for `keepPreviousSeconds`
   * (a second `v1,` value in `webhook-signature`), so a receiver can deploy the new secret without
   * refusing deliveries in between; 0 revokes it at once (a leaked secret). Rotating again within
   * the overlap replaces the previous secret: only the two latest ever sign.
   */
  async rotateSecret(
    ownerSub: string,
    id: string,
    keepPreviousSeconds: number,
  ): Promise<RotatedWebhookSecret> {
    const secret = newWebhookSecret();
    const keep = Math.max(0, Math.min(MAX_SECRET_OVERLAP_SECONDS, Math.floor(keepPreviousSeconds)));
    const r = await this.sql.query<{ previous_secret_until: Date | string | null }>(
      `UPDATE webhooks SET
         previous_secret = CASE WHEN $4::int > 0 THEN secret END,
         previous_secret_until = CASE WHEN $4::int > 0 THEN now() + $4::int * interval '1 second' END,
         secret = $3
       WHERE id = $1 AND owner_sub = $2 AND ${LIVE}
       RETURNING previous_secret_until`,
      [id, ownerSub, this.box.seal(secret), keep],
    );
    const row = r.rows[0];
    if (!row) throw webhookNotFound(id);
    return {
      id,
      secret,
      previousSecretValidUntil: row.previous_secret_until === null ? null : toIso(row.previous_secret_until),
    };
  }

  /** Newest first; `before` (a delivery id) pages back in time. Another owner's id → 404. */
  async deliveries(
    ownerSub: string,
    id: string,
    page: { before?: string | null; limit: number },
  ): Promise<{ deliveries: WebhookDeliveryView[]; next: string | null }> {
    const owned = await this.sql.query(
      `SELECT 1 FROM webhooks WHERE id = $1 AND owner_sub = $2 AND ${LIVE}`,
      [id, ownerSub],
    );
    // rows, not rowCount: PGlite reports no affected rows for a SELECT.
    if (owned.rows.length === 0) throw webhookNotFound(id);
    const r = await this.sql.query<DeliveryRow>(
      `SELECT id::text AS id, attempt, event_id, event_type, position, status_code, error, duration_ms, at
       FROM webhook_deliveries
       WHERE webhook_id = $1 AND ($2::bigint IS NULL OR id < $2::bigint)
       ORDER BY id DESC LIMIT $3`,
      [id, page.before ?? null, page.limit],
    );
    const deliveries = r.rows.map((row) => ({
      id: row.id,
      attempt: row.attempt,
      eventId: row.event_id,
      eventType: row.event_type,
      position: row.position,
      statusCode: row.status_code,
      error: row.error,
      durationMs: row.duration_ms,
      at: toIso(row.at),
    }));
    return { deliveries, next: deliveries.length === page.limit ? (deliveries.at(-1)?.id ?? null) : null };
  }
}
