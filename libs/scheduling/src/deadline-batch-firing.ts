import type { SqlClient } from '@segur/event-store';
import type { BackoffOptions } from '@segur/kernel';
import { DEFAULT_BACKOFF } from './backoff';
import { deadlineOf, type DeadlineKeyRow } from './deadline';
import { DEFAULT_LEASE_MS } from './deadline-firing';
import { markOutcomes } from './deadline-marks';
import { type Logger, errorMessage, silentLogger } from '@segur/kernel';
import type { DeadlineBatchFirer, FireOutcome } from './scheduler.port';
import { toIso } from '@segur/kernel';

export interface BatchFiringOptions {
  batchFirer: DeadlineBatchFirer;
  /** Most rows claimed by one call. */
  limit?: number;
  leaseMs?: number;
  backoff?: BackoffOptions;
  logger?: Logger;
}

export interface BatchFiringReport {
  /** Rows this call claimed (and therefore fired, closed or rescheduled). */
  claimed: number;
  outcomes: Map<string, FireOutcome>;
  /** Reason of each `retry` outcome. */
  errors: Map<string, string>;
}

/** CLAIM (leased) reads timestamptz (`due_at`, `claimed_at`); LOCK (transactional) epoch ms as text. */
interface ClaimedRow extends DeadlineKeyRow {
  attempts: number;
  claimed_at?: unknown;
  claimed_ms?: string;
}

// Exactly `fireDeadline`'s claim, for many rows in one statement: due and free by the DATABASE
// clock, leased with `not_before`. SKIP LOCKED lets concurrent claimers share the due rows without
// waiting on each other; the outer WHERE repeats the conditions so that a row another claimer
// leased between our snapshot and our lock is not claimed twice (READ COMMITTED re-checks it).
const DUE = `status = 'PENDING' AND due_at <= now() AND (not_before IS NULL OR not_before <= now())`;
const CLAIM = `
  WITH due AS (
    SELECT job_id FROM deadlines WHERE ${DUE} ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED
  )
  UPDATE deadlines d
     SET attempts = d.attempts + 1, not_before = now() + $2::integer * interval '1 millisecond'
   WHERE d.job_id IN (SELECT job_id FROM due)
     AND d.status = 'PENDING' AND d.due_at <= now() AND (d.not_before IS NULL OR d.not_before <= now())
  RETURNING d.job_id, d.numero_asp, d.version, d.kind, d.due_at, d.attempts, now() AS claimed_at`;

// The same rows, only locked (transactional firers): the lock is the claim, held until the
// transaction that fires and marks them ends. SKIP LOCKED shares the due rows among claimers, and a
// row fired and committed by another claimer after our snapshot is re-checked on its new version
// (READ COMMITTED) and left out. now() is the transaction's start: never later than the real clock.
// Instants as epoch milliseconds (int8 text), made ISO in Node: to_char (two per row) was a
// noticeable share of PostgreSQL's CPU per fired deadline, and a timestamptz costs the driver a
// date parse per row. floor, as to_char's MS truncates.
const EPOCH_MS = (instant: string): string => `floor(extract(epoch FROM ${instant}) * 1000)::int8`;
const LOCK = `
  SELECT job_id, numero_asp, version, kind, ${EPOCH_MS('due_at')} AS due_ms, attempts,
         ${EPOCH_MS('now()')} AS claimed_ms
    FROM deadlines WHERE ${DUE} ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED`;

// The claim must walk the pending index in due order and stop after `limit` rows. On a table whose
// statistics predate the burst (PGlite has no autovacuum; a server may run without it, as the
// bench's does), the planner expects a few due rows and picks a bitmap scan and a sort instead: with
// FOR UPDATE between LIMIT and the sort, that sorts EVERY due row at each claim (100,000 in a burst,
// spilled to disk), a burst costing O(n²); the ordered index scan cut PostgreSQL's time per
// deadline on the bench's unanalysed burst (see docs/performance.md, "Figures behind design
// choices"). Both planner switches are off for the claim only (transaction-local), then back to
// their reset values; the leased claim (EventStoreDB, memory stores) takes them in a transaction
// of its own.
const ORDERED_CLAIM = `set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true)`;
// A firer that stops talking inside its transaction (hung, cut off from the database) must not hold
// its rows for ever: past the lease, PostgreSQL ends its session, which rolls everything back.
const CLAIM_SETTINGS_PG = `SELECT set_config('idle_in_transaction_session_timeout', $1, true),
                                  set_config('statement_timeout', $1, true), ${ORDERED_CLAIM}`;
const CLAIM_SETTINGS_PGLITE = `SELECT ${ORDERED_CLAIM}`;
const PLANNER_AS_BEFORE = `SELECT set_config(name, reset_val, true) FROM pg_settings
                            WHERE name IN ('enable_bitmapscan', 'enable_sort')`;

/**
 * Fires up to `limit` due deadlines in few statements instead of three commits per deadline: one
 * claim, one batch firer call (one append when the firer batches), one mark of the fired rows, one
 * of the closed ones (plus one for retries, rare). Exactly once holds as in `fireDeadline`: only the
 * claimer of a row fires it, and the marks are guarded by `status = 'PENDING'`.
 *
 * A `transactional` batch firer gets all of it in ONE transaction: the claim locks the rows instead
 * of leasing them, and the firer's reads, appends and command log go through that transaction with
 * the marks. A crash or an error anywhere rolls the whole batch back (nothing fired, rows free at
 * once); a batch that commits fired its deadlines exactly once. Other firers (a store outside the
 * deadlines' database: EventStoreDB, memory) keep the leased claim: one commit per step, the lease
 * keeping another claimer off the rows until the marks, or until it expires after a crash.
 */
export const fireDueBatch = async (sql: SqlClient, o: BatchFiringOptions): Promise<BatchFiringReport> =>
  o.batchFirer.transactional ? fireInTransaction(sql, o) : fireLeased(sql, o);

const claimedAtOf = (rows: readonly ClaimedRow[]): string => {
  const first = rows[0];
  return first?.claimed_ms === undefined
    ? toIso(first?.claimed_at as Date | string)
    : toIso(Number(first.claimed_ms));
};

const fireInTransaction = async (sql: SqlClient, o: BatchFiringOptions): Promise<BatchFiringReport> => {
  const logger = o.logger ?? silentLogger;
  const backoff = o.backoff ?? DEFAULT_BACKOFF;
  const leaseMs = o.leaseMs ?? DEFAULT_LEASE_MS;
  const committed: Array<() => void> = [];
  let claimed: ClaimedRow[] = [];
  let report: BatchFiringReport;
  try {
    report = await sql.transaction(async (tx) => {
      // PGlite is this process's own session: nobody else to protect, and no timers there.
      if (sql.kind === 'pg') await tx.query(CLAIM_SETTINGS_PG, [`${leaseMs}ms`]);
      else await tx.query(CLAIM_SETTINGS_PGLITE);
      claimed = (await tx.query<ClaimedRow>(LOCK, [o.limit ?? 500])).rows;
      const outcomes = new Map<string, FireOutcome>();
      const errors = new Map<string, string>();
      if (claimed.length === 0) return { claimed: 0, outcomes, errors };
      await tx.query(PLANNER_AS_BEFORE);
      const deadlines = claimed.map(deadlineOf);
      const given = await o.batchFirer(deadlines, {
        claimedAt: claimedAtOf(claimed),
        transaction: tx,
        afterCommit: (fn) => committed.push(fn),
      });
      for (const d of deadlines) outcomes.set(d.jobId, given.get(d.jobId) ?? 'retry');
      const failure = 'le déclencheur demande un nouvel essai';
      // clock_timestamp(), not now(): the firing happens at this commit, not at the claim.
      await markOutcomes(tx, claimed, outcomes, failure, backoff, {
        at: 'clock_timestamp()',
        attempts: 'attempts = attempts + 1,',
        attemptOffset: 1,
      });
      for (const r of claimed) if (outcomes.get(r.job_id) === 'retry') errors.set(r.job_id, failure);
      return { claimed: claimed.length, outcomes, errors };
    });
  } catch (e) {
    if (claimed.length === 0) throw e;
    // Rolled back: nothing of the batch happened and its rows are free again. They back off as a
    // failed firing would, so that a persistent failure is not retried in a tight loop.
    const failure = errorMessage(e);
    const outcomes = new Map(claimed.map((r): [string, FireOutcome] => [r.job_id, 'retry']));
    await markOutcomes(sql, claimed, outcomes, failure, backoff, {
      at: 'now()',
      attempts: 'attempts = attempts + 1,',
      attemptOffset: 1,
    });
    logger.warn(
      { jobIds: claimed.map((r) => r.job_id).slice(0, 20), count: claimed.length, err: failure },
      'échéances en échec, nouvel essai prévu',
    );
    return { claimed: claimed.length, outcomes, errors: new Map(claimed.map((r) => [r.job_id, failure])) };
  }
  for (const fn of committed) fn();
  const fired = [...report.outcomes.values()].filter((k) => k === 'fired').length;
  if (fired > 0) logger.info({ count: fired }, 'échéances déclenchées par lot');
  const retries = [...report.errors.keys()];
  if (retries.length > 0)
    logger.warn(
      { jobIds: retries.slice(0, 20), count: retries.length, err: report.errors.get(retries[0] as string) },
      'échéances en échec, nouvel essai prévu',
    );
  return report;
};

const fireLeased = async (sql: SqlClient, o: BatchFiringOptions): Promise<BatchFiringReport> => {
  const logger = o.logger ?? silentLogger;
  // The lease commits at once; the planner switches (transaction-local) need a transaction of their own.
  const claimed = await sql.transaction(async (tx) => {
    await tx.query(`SELECT ${ORDERED_CLAIM}`);
    return tx.query<ClaimedRow>(CLAIM, [o.limit ?? 500, o.leaseMs ?? DEFAULT_LEASE_MS]);
  });
  const outcomes = new Map<string, FireOutcome>();
  const errors = new Map<string, string>();
  if (claimed.rows.length === 0) return { claimed: 0, outcomes, errors };

  const deadlines = claimed.rows.map(deadlineOf);
  let given: Map<string, FireOutcome>;
  let failure = 'le déclencheur demande un nouvel essai';
  try {
    given = await o.batchFirer(deadlines, { claimedAt: claimedAtOf(claimed.rows) });
  } catch (e) {
    given = new Map();
    failure = errorMessage(e);
  }
  for (const d of deadlines) outcomes.set(d.jobId, given.get(d.jobId) ?? 'retry');
  // The claim already counted the attempt.
  await markOutcomes(sql, claimed.rows, outcomes, failure, o.backoff ?? DEFAULT_BACKOFF, {
    at: 'now()',
    attempts: '',
    attemptOffset: 0,
  });
  const retry = claimed.rows.filter((r) => outcomes.get(r.job_id) === 'retry');
  for (const r of retry) errors.set(r.job_id, failure);
  if (retry.length > 0)
    logger.warn(
      { jobIds: retry.map((r) => r.job_id).slice(0, 20), count: retry.length, err: failure },
      'échéances en échec, nouvel essai prévu',
    );
  const fired = deadlines.filter((d) => outcomes.get(d.jobId) === 'fired').length;
  if (fired > 0) logger.info({ count: fired }, 'échéances déclenchées par lot');
  return { claimed: claimed.rows.length, outcomes, errors };
};
