import type { EmailTemplate } from '@segur/domain';
import type { SqlClient } from '@segur/event-store';
import type { EmailRecorder } from './email-recorder.port';
import {
  Nudge,
  backoffDelay,
  errorMessage,
  silentLogger,
  type BackoffOptions,
  type Logger,
} from '@segur/kernel';
import type { Mailer } from './mailer';
import { DEFAULT_RATE_LIMIT, type RateLimit, TokenBucket } from './token-bucket';

export interface OutboxDispatcherOptions {
  sql: SqlClient;
  mailer: Mailer;
  recorder: EmailRecorder;
  /** Sender, e.g. `Ségur numérique <ne-pas-repondre@segur.local>`. */
  from: string;
  logger?: Logger;
  /** Look at the outbox at least this often (the projection also wakes the dispatcher). */
  pollIntervalMs?: number;
  batchSize?: number;
  /** A claimed row is invisible to other dispatchers for this long: longer than one SMTP send. */
  leaseMs?: number;
  rateLimit?: RateLimit;
  backoff?: BackoffOptions;
  /** The rate limit's clock (milliseconds); tests pass a manual one instead of waiting. */
  now?: () => number;
}

export interface DispatchReport {
  claimed: number;
  sent: number;
  recorded: number;
  failed: number;
  /** Set when the rate limit held mail back: when the next token comes. */
  rateLimitedForMs: number | null;
}

interface OutboxRow {
  causation_event_id: string;
  template: EmailTemplate;
  numero_asp: string;
  to_address: string | null;
  subject: string;
  text_body: string;
  html_body: string;
  message_id: string;
  attempts: number;
  smtp_accepted_at: unknown;
}

/**
 * Drains `email_outbox`: send, then record (`RecordEmailSent` → `EmailSent`), then mark SENT.
 *
 * Crash safety. Right after the SMTP server accepts, `smtp_accepted_at` is written on the row, so a
 * crash before the record makes the next attempt only record, never send again. The residual
 * window is between the server's "250 OK" and that UPDATE (milliseconds): a crash exactly there
 * sends the email a second time, with the same Message-ID (mail clients and archives can spot it),
 * and it is still recorded once, the outbox key being the causing event id.
 *
 * Rate limit: a token bucket (default 200 per 10 minutes); rows beyond it stay PENDING and go out
 * as tokens come back. A burst is queued, never dropped.
 */
export class OutboxDispatcher {
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly nudge = new Nudge();
  private readonly logger: Logger;
  private readonly bucket: TokenBucket;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly backoff: BackoffOptions;

  constructor(private readonly o: OutboxDispatcherOptions) {
    this.logger = o.logger ?? silentLogger;
    this.bucket = new TokenBucket(o.rateLimit ?? DEFAULT_RATE_LIMIT, o.now);
    this.pollIntervalMs = o.pollIntervalMs ?? 5_000;
    this.batchSize = o.batchSize ?? 20;
    this.leaseMs = o.leaseMs ?? 60_000;
    this.backoff = o.backoff ?? { baseMs: 5_000, maxMs: 30 * 60_000 };
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.poke();
    await this.loop;
    this.loop = null;
  }

  /** New mail was queued (called from the outbox projection's afterCommit). */
  poke(): void {
    this.nudge.notify();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      this.nudge.clear();
      let sleepMs = this.pollIntervalMs;
      try {
        const r = await this.runOnce();
        failures = 0;
        if (r.rateLimitedForMs !== null) sleepMs = r.rateLimitedForMs;
        else if (r.claimed > 0) sleepMs = 0;
      } catch (e) {
        failures += 1;
        sleepMs = backoffDelay(failures, { baseMs: 1_000, maxMs: 60_000 });
        this.logger.error(
          { err: errorMessage(e), retryInMs: sleepMs },
          'file des courriels : lecture en échec',
        );
      }
      if (this.running && sleepMs > 0) await this.nudge.wait(sleepMs);
    }
  }

  /** One batch; exposed for tests and for a CLI "flush". */
  async runOnce(): Promise<DispatchReport> {
    const report: DispatchReport = { claimed: 0, sent: 0, recorded: 0, failed: 0, rateLimitedForMs: null };
    // Rows already accepted by SMTP need no token: they come first and are never held back.
    const limit = Math.max(1, Math.min(this.batchSize, this.bucket.available()));
    const claimed = await this.o.sql.query<OutboxRow>(
      `WITH c AS (
         SELECT causation_event_id FROM email_outbox
          WHERE status = 'PENDING' AND next_attempt_at <= now()
          ORDER BY (smtp_accepted_at IS NULL), created_at
          LIMIT $1 FOR UPDATE SKIP LOCKED)
       UPDATE email_outbox o SET next_attempt_at = now() + $2::integer * interval '1 millisecond'
         FROM c WHERE o.causation_event_id = c.causation_event_id
       RETURNING o.causation_event_id, o.template, o.numero_asp, o.to_address, o.subject, o.text_body, o.html_body,
                 o.message_id, o.attempts, o.smtp_accepted_at`,
      [limit, this.leaseMs],
    );
    report.claimed = claimed.rows.length;
    for (const row of claimed.rows) {
      if (!this.running && this.loop) {
        await this.release(row, 0);
        continue;
      }
      try {
        const to = row.to_address ?? (await this.resolveRecipient(row.numero_asp));
        if (!to) throw new Error('adresse électronique du fournisseur inconnue (enrôlement ?)');
        if (row.smtp_accepted_at === null || row.smtp_accepted_at === undefined) {
          const token = this.bucket.tryTake();
          if (!token.ok) {
            report.rateLimitedForMs = token.waitMs;
            await this.release(row, token.waitMs);
            continue;
          }
          const receipt = await this.o.mailer.send({
            from: this.o.from,
            to,
            subject: row.subject,
            text: row.text_body,
            html: row.html_body,
            messageId: row.message_id,
          });
          await this.o.sql.query(
            `UPDATE email_outbox SET smtp_accepted_at = now(), smtp_response = $2, to_address = $3 WHERE causation_event_id = $1`,
            [row.causation_event_id, receipt.response, to],
          );
          report.sent += 1;
        }
        await this.o.recorder({
          numeroAsp: row.numero_asp,
          causationEventId: row.causation_event_id,
          template: row.template,
          to,
          subject: row.subject,
          messageId: row.message_id,
        });
        await this.o.sql.query(
          `UPDATE email_outbox SET status = 'SENT', sent_at = COALESCE(sent_at, now()), last_error = NULL
            WHERE causation_event_id = $1 AND status = 'PENDING'`,
          [row.causation_event_id],
        );
        report.recorded += 1;
        this.logger.info(
          { numeroAsp: row.numero_asp, template: row.template, messageId: row.message_id },
          'courriel envoyé et consigné',
        );
      } catch (e) {
        report.failed += 1;
        const attempts = row.attempts + 1;
        const retryInMs = backoffDelay(attempts, this.backoff);
        await this.o.sql.query(
          `UPDATE email_outbox SET attempts = $2, last_error = $3, next_attempt_at = now() + $4::integer * interval '1 millisecond'
            WHERE causation_event_id = $1 AND status = 'PENDING'`,
          [row.causation_event_id, attempts, errorMessage(e), retryInMs],
        );
        this.logger.warn(
          { numeroAsp: row.numero_asp, template: row.template, attempts, retryInMs, err: errorMessage(e) },
          'courriel en échec, nouvel essai prévu',
        );
      }
    }
    return report;
  }

  private async release(row: OutboxRow, afterMs: number): Promise<void> {
    await this.o.sql.query(
      `UPDATE email_outbox SET next_attempt_at = now() + $2::integer * interval '1 millisecond'
        WHERE causation_event_id = $1 AND status = 'PENDING'`,
      [row.causation_event_id, afterMs],
    );
  }

  private async resolveRecipient(numeroAsp: string): Promise<string | null> {
    const r = await this.o.sql.query<{ email: string | null }>(
      `SELECT f.email FROM email_dossiers d JOIN fournisseurs f ON f.siret = d.siret WHERE d.numero_asp = $1`,
      [numeroAsp],
    );
    return r.rows[0]?.email ?? null;
  }
}

export interface OutboxStats {
  pending: number;
  /** Accepted by SMTP, EmailSent not yet recorded. */
  awaitingRecord: number;
  oldestPendingAgeMs: number | null;
}

/** `/metrics`: email outbox depth. */
export const outboxStats = async (sql: SqlClient): Promise<OutboxStats> => {
  const r = await sql.query<Record<string, unknown>>(
    `SELECT count(*) FILTER (WHERE status = 'PENDING') AS pending,
            count(*) FILTER (WHERE status = 'PENDING' AND smtp_accepted_at IS NOT NULL) AS awaiting,
            EXTRACT(EPOCH FROM (now() - min(created_at) FILTER (WHERE status = 'PENDING'))) * 1000 AS oldest
       FROM email_outbox`,
  );
  const row = r.rows[0] ?? {};
  return {
    pending: Number(row.pending ?? 0),
    awaitingRecord: Number(row.awaiting ?? 0),
    oldestPendingAgeMs: row.oldest === null || row.oldest === undefined ? null : Number(row.oldest),
  };
};
