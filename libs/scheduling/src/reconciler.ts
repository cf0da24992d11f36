import type { SqlClient } from '@segur/event-store';
import type { BackoffOptions } from '@segur/kernel';
import { deadlineOf, type Deadline, type DeadlineKind } from './deadline';
import { fireDeadline } from './deadline-firing';
import { type Logger, errorMessage, silentLogger } from '@segur/kernel';
import type { DeadlineFirer } from './scheduler.port';

/** The timer cache the reconciler repairs (BullMQ's delayed jobs). */
export interface TimerCache {
  /** True when the cache holds a live timer (delayed, waiting, active) or a dead letter for it. */
  holds(jobId: string): Promise<boolean>;
  /** Throws when the cache is unreachable (the reconciler then relies on direct firing). */
  enqueue(deadline: Deadline): Promise<void>;
}

export interface ReconcilerOptions {
  sql: SqlClient;
  cache: TimerCache;
  firer: DeadlineFirer;
  logger?: Logger;
  /** Period of the repair pass; the first pass runs at start. */
  intervalMs?: number;
  /**
   * A PENDING row overdue by more than this is fired from here, whatever Redis says: Redis lost it,
   * is down, or holds it as a dead letter. Under it, the queue is given its chance.
   */
  graceMs?: number;
  leaseMs?: number;
  backoff?: BackoffOptions;
  /** Rows examined per pass, most urgent first. */
  batchSize?: number;
}

export interface ReconcileReport {
  examined: number;
  requeued: number;
  firedDirectly: number;
  /** Redis could not be asked: cache repair skipped for this pass. */
  cacheUnavailable: boolean;
}

/**
 * Makes the deadlines table win over Redis: after FLUSHALL, an eviction, a lost `afterCommit` or
 * a Redis outage, every PENDING deadline is back in the queue or fired within one interval.
 */
export class Reconciler {
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<unknown> | null = null;
  private readonly logger: Logger;
  private readonly intervalMs: number;
  private readonly graceMs: number;

  constructor(private readonly o: ReconcilerOptions) {
    this.logger = o.logger ?? silentLogger;
    this.intervalMs = o.intervalMs ?? 60_000;
    this.graceMs = o.graceMs ?? 2 * 60_000;
  }

  async start(): Promise<void> {
    if (this.timer) return;
    this.timer = setInterval(() => void this.safeRun(), this.intervalMs);
    this.timer.unref();
    await this.safeRun();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.current;
  }

  private async safeRun(): Promise<void> {
    if (this.current) return; // a slow pass is never overlapped by the next tick
    const run = this.runOnce().catch((e: unknown) =>
      this.logger.error({ err: errorMessage(e) }, 'rapprochement des échéances en échec'),
    );
    this.current = run;
    try {
      await run;
    } finally {
      this.current = null;
    }
  }

  async runOnce(): Promise<ReconcileReport> {
    const rows = await this.o.sql.query<{
      job_id: string;
      numero_asp: string;
      version: string;
      kind: DeadlineKind;
      due_at: unknown;
      overdue_ms: number | string;
    }>(
      `SELECT job_id, numero_asp, version, kind, due_at, EXTRACT(EPOCH FROM (now() - due_at)) * 1000 AS overdue_ms
         FROM deadlines WHERE status = 'PENDING' ORDER BY due_at LIMIT $1`,
      [this.o.batchSize ?? 1_000],
    );
    const report: ReconcileReport = {
      examined: rows.rows.length,
      requeued: 0,
      firedDirectly: 0,
      cacheUnavailable: false,
    };
    for (const r of rows.rows) {
      const deadline = deadlineOf(r);
      if (Number(r.overdue_ms) > this.graceMs) {
        // Same claim as the queue's processor: if a worker is firing it right now, this is a no-op.
        const result = await fireDeadline(this.o.sql, deadline.jobId, {
          firer: this.o.firer,
          leaseMs: this.o.leaseMs,
          backoff: this.o.backoff,
          logger: this.logger,
        });
        if (result.kind === 'fired' || result.kind === 'noop') {
          report.firedDirectly += 1;
          this.logger.warn(
            { jobId: deadline.jobId, overdueMs: Number(r.overdue_ms), result: result.kind },
            'échéance en retard déclenchée par le rapprochement',
          );
        }
        continue;
      }
      if (report.cacheUnavailable) continue;
      try {
        if (!(await this.o.cache.holds(deadline.jobId))) {
          await this.o.cache.enqueue(deadline);
          report.requeued += 1;
          this.logger.warn({ jobId: deadline.jobId }, 'minuteur absent de Redis : reprogrammé');
        }
      } catch (e) {
        // One failure is enough to know: skip the other cache calls, keep firing overdue rows.
        report.cacheUnavailable = true;
        this.logger.error(
          { err: errorMessage(e) },
          'Redis injoignable : les échéances en retard seront déclenchées directement',
        );
      }
    }
    if (report.requeued > 0 || report.firedDirectly > 0 || report.cacheUnavailable)
      this.logger.info({ ...report }, 'rapprochement des échéances');
    return report;
  }
}
