import type { SqlClient } from '@segur/event-store';
import type { BackoffOptions } from '@segur/kernel';
import { type BatchFiringReport, fireDueBatch } from './deadline-batch-firing';
import type { Logger } from '@segur/kernel';
import type { DeadlineBatchFirer, FireOutcome } from './scheduler.port';

export interface DeadlineDrainOptions {
  sql: SqlClient;
  batchFirer: DeadlineBatchFirer;
  /** Rows claimed per batch. */
  batchSize: number;
  /** Batches in flight at once while a batch comes back full. */
  concurrency: number;
  leaseMs?: number;
  backoff?: BackoffOptions;
  logger?: Logger;
  /** false once the owner stops: lanes end after their batch in flight. */
  isRunning: () => boolean;
  /**
   * How many rows' outcomes to keep for their BullMQ jobs to pick up (`settle`); 0 for none (the
   * embedded loop has no per-row waiter). The oldest are forgotten first: a job that finds nothing
   * reads its row instead, so the bound costs a query, never a wrong answer.
   */
  remember?: number;
}

export interface Settlement {
  outcome: FireOutcome;
  error?: string;
}

/**
 * One process's firing of everything due: batches claimed from the deadlines table until one comes
 * back short, `concurrency` at a time. Both schedulers fire through it: the embedded loop when its
 * sleep ends, BullMQ when a job wakes (a job is a durable wake-up call, the table stays the judge).
 *
 * A burst is drained at the pace of the database, whatever the number of jobs: while a drain runs,
 * the jobs that woke wait for it instead of each claiming a batch of its own and then completing one
 * by one in the middle of the burst (Redis round trips and job bookkeeping taking CPU from the
 * firing: that churn made the burst much later). Each job then finds its row's outcome in memory
 * (`settle`), without a query.
 */
export class DeadlineDrain {
  private current: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private readonly settled = new Map<string, Settlement>();
  private readonly remember: number;

  constructor(private readonly o: DeadlineDrainOptions) {
    this.remember = o.remember ?? 0;
  }

  /**
   * Resolves once a drain that started after this call has ended: every row due and free by then
   * has been claimed, unless another process holds it. Calls during a drain share one follow-up.
   */
  drain(): Promise<void> {
    if (this.current === null) {
      const run = this.run().finally(() => {
        if (this.current === run) this.current = null;
      });
      this.current = run;
      return run;
    }
    this.queued ??= this.current
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.drain();
      });
    return this.queued;
  }

  /**
   * The outcome of this job's row, once the drain running now (if any) has ended: from memory when
   * a drain of this process fired it, else after one more drain. undefined: not claimed here (not
   * due yet, held by another process, already closed): the caller reads the row to know why.
   */
  async settle(jobId: string): Promise<Settlement | undefined> {
    if (this.current) await this.current.catch(() => undefined);
    const known = this.take(jobId);
    if (known) return known;
    await this.drain();
    return this.take(jobId);
  }

  private take(jobId: string): Settlement | undefined {
    const s = this.settled.get(jobId);
    if (s) this.settled.delete(jobId);
    return s;
  }

  private async run(): Promise<void> {
    // Rows that fell due while a pass ran are claimed by the next one at once: during a burst whose
    // rows fall due over a spread, a drain that ended would otherwise only start again when the
    // worker, completing one by one the jobs of the rows already fired, reached a row not fired yet.
    // It ends with the first pass that finds nothing, i.e. once it has caught up with the due rows.
    while (this.o.isRunning() && (await this.pass()) > 0);
  }

  /** Rows claimed by one pass: batches until one comes back short. */
  private async pass(): Promise<number> {
    let claimed = 0;
    const fire = async (): Promise<number> => {
      const report = await fireDueBatch(this.o.sql, {
        batchFirer: this.o.batchFirer,
        limit: this.o.batchSize,
        leaseMs: this.o.leaseMs,
        backoff: this.o.backoff,
        logger: this.o.logger,
      });
      this.keep(report);
      claimed += report.claimed;
      return report.claimed;
    };
    // One claim first: the usual drain finds a few rows or none, and needs no parallel lanes. Lanes
    // then claim until one comes back short: what is left due is leased by another lane (SKIP
    // LOCKED), and rows falling due meanwhile are the next pass's.
    let more = (await fire()) === this.o.batchSize;
    const lane = async (): Promise<void> => {
      while (this.o.isRunning() && more) if ((await fire()) < this.o.batchSize) more = false;
    };
    if (more) await Promise.all(Array.from({ length: this.o.concurrency }, lane));
    return claimed;
  }

  private keep(report: BatchFiringReport): void {
    if (this.remember === 0) return;
    for (const [jobId, outcome] of report.outcomes)
      this.settled.set(jobId, { outcome, error: report.errors.get(jobId) });
    // A Map iterates in insertion order: the first keys are the oldest.
    for (const jobId of this.settled.keys()) {
      if (this.settled.size <= this.remember) break;
      this.settled.delete(jobId);
    }
  }
}
