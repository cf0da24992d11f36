import type { SqlExecutor } from '@segur/event-store';
import { backoffDelay, type BackoffOptions } from '@segur/kernel';
import { cancelledSet, firedSet } from './deadlines.schema';
import type { FireOutcome } from './scheduler.port';

// How a claimed deadline's outcome is written back, for one row (fireDeadline) or a batch
// (fireDueBatch): every write guarded by `status = 'PENDING'`, so a late or repeated mark is harmless.
// FIRED and CANCELLED write what the deadlines projection writes (firedSet, cancelledSet), but the
// marks differ from its operations on purpose: they are the firer's claim, not the event's fact, so
// they never override a row the projection closed (the status guard, where the projection's fire is
// unconditional), they count the attempt and record or clear the error, they take the database
// clock, and a no-op closes only its own row, not the round.

const NOT_NOW = 'sans effet : le dossier a quitté ce tour de modification';

/** A claimed row: its id and its attempts as read at the claim. */
export interface MarkedRow {
  job_id: string;
  attempts: number;
}

export interface MarkOptions {
  /** SQL instant of the firing or closing. */
  at: 'now()' | 'clock_timestamp()';
  /** SQL fragment counting the attempt, when the claim did not. */
  attempts: string;
  /** Added to a row's `attempts` as read at the claim to get this attempt's number (backoff). */
  attemptOffset: number;
}

/** Fired rows FIRED, no-ops CANCELLED, retries backing off by their own attempt count: a statement each. */
export const markOutcomes = async (
  sql: SqlExecutor,
  rows: readonly MarkedRow[],
  outcomes: ReadonlyMap<string, FireOutcome>,
  failure: string,
  backoff: BackoffOptions,
  m: MarkOptions,
): Promise<void> => {
  const having = (k: FireOutcome): MarkedRow[] => rows.filter((r) => outcomes.get(r.job_id) === k);
  const fired = having('fired').map((r) => r.job_id);
  if (fired.length > 0)
    await sql.query(
      `UPDATE deadlines SET ${m.attempts} ${firedSet(m.at)}, last_error = NULL
        WHERE job_id = ANY($1::text[]) AND status = 'PENDING'`,
      [fired],
    );
  const noop = having('noop').map((r) => r.job_id);
  if (noop.length > 0)
    await sql.query(
      `UPDATE deadlines SET ${m.attempts} ${cancelledSet(`COALESCE(cancelled_at, ${m.at})`)}, last_error = $2
        WHERE job_id = ANY($1::text[]) AND status = 'PENDING'`,
      [noop, NOT_NOW],
    );
  const retry = having('retry');
  if (retry.length > 0) {
    const delays = retry.map((r) => backoffDelay(r.attempts + m.attemptOffset, backoff));
    await sql.query(
      `UPDATE deadlines d SET ${m.attempts} last_error = $2, not_before = now() + r.ms * interval '1 millisecond'
         FROM unnest($1::text[], $3::integer[]) AS r(job_id, ms)
        WHERE d.job_id = r.job_id AND d.status = 'PENDING'`,
      [retry.map((r) => r.job_id), failure, delays],
    );
  }
};
