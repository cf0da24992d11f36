import type { SqlExecutor } from '@segur/event-store';
import { backoffDelay, type BackoffOptions } from '@segur/kernel';
import { DEFAULT_BACKOFF } from './backoff';
import { deadlineOf, type DeadlineKeyRow } from './deadline';
import { type Logger, errorMessage, silentLogger } from '@segur/kernel';
import { markOutcomes } from './deadline-marks';
import type { DeadlineFirer, FireOutcome } from './scheduler.port';

export type FiringResult =
  | { kind: 'fired' }
  | { kind: 'noop' }
  /** Missing, FIRED or CANCELLED: nothing to do. */
  | { kind: 'not-pending' }
  /** The database clock says it is not due yet: sleep `remainingMs` more. */
  | { kind: 'early'; remainingMs: number }
  /** Another firer holds the lease, or the row is backing off after a failure. */
  | { kind: 'busy'; remainingMs: number }
  | { kind: 'retry'; error: string; retryInMs: number };

export interface FiringOptions {
  firer: DeadlineFirer;
  /** How long a claimer owns the row: longer than a firer call, short enough to retry a crash soon. */
  leaseMs?: number;
  backoff?: BackoffOptions;
  logger?: Logger;
}

export const DEFAULT_LEASE_MS = 30_000;

/** When to look again at a row that a transaction in flight holds locked. */
const LOCKED_RECHECK_MS = 500;

interface ClaimedRow extends DeadlineKeyRow {
  attempts: number;
}

/**
 * Fires one deadline at most once across every process: the claim is a conditional UPDATE judged
 * by the DATABASE clock (`now()`), so a BullMQ job that runs early (skewed worker clock, a
 * re-enqueue with a stale delay) or twice (stalled job, two workers, the reconciler) cannot fire
 * a deadline before its due time nor fire it concurrently.
 */
export const fireDeadline = async (
  sql: SqlExecutor,
  jobId: string,
  o: FiringOptions,
): Promise<FiringResult> => {
  const leaseMs = o.leaseMs ?? DEFAULT_LEASE_MS;
  const logger = o.logger ?? silentLogger;
  const claimed = await sql.query<ClaimedRow>(
    `UPDATE deadlines
        SET attempts = attempts + 1, not_before = now() + $2::integer * interval '1 millisecond'
      WHERE job_id = $1 AND status = 'PENDING' AND due_at <= now()
        AND (not_before IS NULL OR not_before <= now())
      RETURNING job_id, numero_asp, version, kind, due_at, attempts`,
    [jobId, leaseMs],
  );
  const row = claimed.rows[0];
  if (!row) return whyNotClaimed(sql, jobId);

  const deadline = deadlineOf(row);
  let error = 'le déclencheur demande un nouvel essai';
  let outcome: FireOutcome = 'retry';
  try {
    outcome = await o.firer(deadline);
  } catch (e) {
    error = errorMessage(e);
  }
  // The claim counted the attempt. A fired deadline's event will make the deadlines projection say
  // FIRED too: both writes are idempotent (status guard, COALESCE on fired_at).
  await markOutcomes(sql, [row], new Map([[jobId, outcome]]), error, o.backoff ?? DEFAULT_BACKOFF, {
    at: 'now()',
    attempts: '',
    attemptOffset: 0,
  });
  if (outcome === 'fired') {
    logger.info({ jobId, numeroAsp: deadline.numeroAsp, kind: deadline.kind }, 'échéance déclenchée');
    return { kind: 'fired' };
  }
  if (outcome === 'noop') return { kind: 'noop' };
  const retryInMs = backoffDelay(row.attempts, o.backoff ?? DEFAULT_BACKOFF);
  logger.warn(
    { jobId, attempts: row.attempts, retryInMs, err: error },
    'échéance en échec, nouvel essai prévu',
  );
  return { kind: 'retry', error, retryInMs };
};

/** Why a row could not be claimed: gone/closed, not due by the database clock, or held/backing off. */
export const whyNotClaimed = async (sql: SqlExecutor, jobId: string): Promise<FiringResult> => {
  const r = await sql.query<{
    status: string;
    due_in_ms: number | string;
    lease_in_ms: number | string | null;
  }>(
    `SELECT status,
            EXTRACT(EPOCH FROM (due_at - now())) * 1000 AS due_in_ms,
            EXTRACT(EPOCH FROM (not_before - now())) * 1000 AS lease_in_ms
       FROM deadlines WHERE job_id = $1`,
    [jobId],
  );
  const row = r.rows[0];
  if (!row || row.status !== 'PENDING') return { kind: 'not-pending' };
  const dueIn = Math.ceil(Number(row.due_in_ms));
  if (dueIn > 0) return { kind: 'early', remainingMs: dueIn };
  const leaseIn = row.lease_in_ms === null ? 0 : Math.ceil(Number(row.lease_in_ms));
  // Due and free by the table, yet not ours: a transactional batch holds its lock and ends within
  // a batch's time (or rolls back). Looking again at once would only spin on the lock.
  return { kind: 'busy', remainingMs: leaseIn > 0 ? leaseIn : LOCKED_RECHECK_MS };
};
