import type { SqlExecutor } from '@segur/event-store';
import { type BackoffOptions, DEFAULT_BACKOFF, backoffDelay } from './backoff';
import type { Deadline, DeadlineKind } from './deadline';
import { DEFAULT_LEASE_MS } from './deadline-firing';
import { type Logger, errorMessage, silentLogger } from './logger';
import type { DeadlineBatchFirer, FireOutcome } from './scheduler.port';

export interface BatchFiringOptions {
  batchFirer: DeadlineBatchFirer;
  /** Most rows claimed by one call. */
  limit?: number;
  leaseMs?: number;
  backoff?: BackoffOptions;
  logger?: Logger;
  /**
   * Also claim this row when it is due and free, whatever its rank among the due rows: a BullMQ
   * job's own deadline, so that the job learns its row's fate from this very call.
   */
  include?: string;
}

export interface BatchFiringReport {
  /** Rows this call claimed (and therefore fired, closed or rescheduled). */
  claimed: number;
  outcomes: Map<string, FireOutcome>;
  /** Reason of each `retry` outcome. */
  errors: Map<string, string>;
}

interface ClaimedRow {
  job_id: string;
  numero_asp: string;
  version: string;
  kind: DeadlineKind;
  due_at: unknown;
  attempts: number;
  claimed_at: unknown;
}

// Exactly `fireDeadline`'s claim, for many rows in one statement: due and free by the DATABASE
// clock, leased with `not_before`. SKIP LOCKED lets concurrent claimers share the due rows without
// waiting on each other; the outer WHERE repeats the conditions so that a row another claimer
// leased between our snapshot and our lock is not claimed twice (READ COMMITTED re-checks it).
const DUE = `status = 'PENDING' AND due_at <= now() AND (not_before IS NULL OR not_before <= now())`;
const CLAIM = `
  WITH mine AS (
    SELECT job_id FROM deadlines WHERE job_id = $3::text AND ${DUE} FOR UPDATE SKIP LOCKED
  ), others AS (
    SELECT job_id FROM deadlines WHERE ${DUE} ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED
  )
  UPDATE deadlines d
     SET attempts = d.attempts + 1, not_before = now() + $2::integer * interval '1 millisecond'
   WHERE d.job_id IN (SELECT job_id FROM mine UNION SELECT job_id FROM others)
     AND d.status = 'PENDING' AND d.due_at <= now() AND (d.not_before IS NULL OR d.not_before <= now())
  RETURNING d.job_id, d.numero_asp, d.version, d.kind, d.due_at, d.attempts, now() AS claimed_at`;

/**
 * Fires up to `limit` due deadlines with four commits in all instead of three per deadline: one
 * claim, one batch firer call (one append when the firer batches), one mark of the fired rows and
 * one of the closed ones (plus one for retries, rare). Exactly once holds as in `fireDeadline`: only
 * the claimer of a row's lease fires it, and the marks are guarded by `status = 'PENDING'`.
 */
export const fireDueBatch = async (sql: SqlExecutor, o: BatchFiringOptions): Promise<BatchFiringReport> => {
  const logger = o.logger ?? silentLogger;
  const claimed = await sql.query<ClaimedRow>(CLAIM, [
    o.limit ?? 500,
    o.leaseMs ?? DEFAULT_LEASE_MS,
    o.include ?? null,
  ]);
  const outcomes = new Map<string, FireOutcome>();
  const errors = new Map<string, string>();
  if (claimed.rows.length === 0) return { claimed: 0, outcomes, errors };

  const deadlines: Deadline[] = claimed.rows.map((r) => ({
    jobId: r.job_id,
    numeroAsp: r.numero_asp,
    version: r.version,
    kind: r.kind,
    dueAt: new Date(r.due_at as string).toISOString(),
  }));
  let given: Map<string, FireOutcome>;
  let failure = 'le déclencheur demande un nouvel essai';
  try {
    const claimedAt = new Date(claimed.rows[0]?.claimed_at as string).toISOString();
    given = await o.batchFirer(deadlines, { claimedAt });
  } catch (e) {
    given = new Map();
    failure = errorMessage(e);
  }
  for (const d of deadlines) outcomes.set(d.jobId, given.get(d.jobId) ?? 'retry');
  const having = (k: FireOutcome): string[] =>
    deadlines.filter((d) => outcomes.get(d.jobId) === k).map((d) => d.jobId);

  const fired = having('fired');
  if (fired.length > 0)
    await sql.query(
      `UPDATE deadlines SET status = 'FIRED', fired_at = COALESCE(fired_at, now()), not_before = NULL, last_error = NULL
        WHERE job_id = ANY($1::text[]) AND status = 'PENDING'`,
      [fired],
    );
  const noop = having('noop');
  if (noop.length > 0)
    await sql.query(
      `UPDATE deadlines SET status = 'CANCELLED', cancelled_at = COALESCE(cancelled_at, now()), not_before = NULL,
              last_error = 'sans effet : le dossier a quitté ce tour de modification'
        WHERE job_id = ANY($1::text[]) AND status = 'PENDING'`,
      [noop],
    );
  const retry = claimed.rows.filter((r) => outcomes.get(r.job_id) === 'retry');
  if (retry.length > 0) {
    // Each row backs off by its own attempt count, in one statement.
    const delays = retry.map((r) => backoffDelay(r.attempts, o.backoff ?? DEFAULT_BACKOFF));
    await sql.query(
      `UPDATE deadlines d SET last_error = $2, not_before = now() + r.ms * interval '1 millisecond'
         FROM unnest($1::text[], $3::integer[]) AS r(job_id, ms)
        WHERE d.job_id = r.job_id AND d.status = 'PENDING'`,
      [retry.map((r) => r.job_id), failure, delays],
    );
    for (const r of retry) errors.set(r.job_id, failure);
    logger.warn(
      { jobIds: retry.map((r) => r.job_id).slice(0, 20), count: retry.length, err: failure },
      'échéances en échec, nouvel essai prévu',
    );
  }
  if (fired.length > 0) logger.info({ count: fired.length }, 'échéances déclenchées par lot');
  return { claimed: claimed.rows.length, outcomes, errors };
};
