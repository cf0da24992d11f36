import type { SqlClient } from '@segur/event-store';
import { DelayedError, type Job, Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { DEFAULT_BACKOFF } from './backoff';
import type { Deadline } from './deadline';
import { DeadlineDrain } from './deadline-drain';
import { type FiringResult, fireDeadline, whyNotClaimed } from './deadline-firing';
import { errorMessage, silentLogger, withTimeout, type BackoffOptions, type Logger } from '@segur/kernel';
import { Reconciler, type ReconcileReport, type TimerCache } from './reconciler';
import { checkEvictionPolicy } from './redis-eviction-policy';
import type { DeadlineBatchFirer, DeadlineFirer, Scheduler } from './scheduler.port';

export interface BullmqSchedulerOptions {
  redisUrl: string;
  sql: SqlClient;
  firer: DeadlineFirer;
  /**
   * When given, a job fires everything due in this process's drain, batch by batch (see
   * `DeadlineDrain`). The reconciler keeps the per-deadline firer: it only sees stragglers.
   */
  batchFirer?: DeadlineBatchFirer;
  /** Rows one batch claims at most, with `batchFirer`. */
  batchSize?: number;
  /** Batches in flight at once in a drain, with `batchFirer`. */
  drainConcurrency?: number;
  logger?: Logger;
  /** Redis key prefix (`<prefix>:<queueName>:…`): one per environment, one per test file. */
  prefix?: string;
  queueName?: string;
  /** Queue-level tries before a job becomes a dead letter (the reconciler still fires it later). */
  attempts?: number;
  backoff?: BackoffOptions;
  leaseMs?: number;
  concurrency?: number;
  /** Bound on each Redis call made from `schedule`/`cancel`/the reconciler. */
  redisTimeoutMs?: number;
  /** false: no reconciler in this instance (e.g. a second worker; one is enough, more are harmless). */
  reconciler?: { intervalMs?: number; graceMs?: number } | false;
}

export interface DeadLetter {
  jobId: string;
  deadline: Deadline;
  failedReason: string;
  attemptsMade: number;
  failedAt: string | null;
}

/** Longest sleep of a job whose row another firer holds: the holder's batch usually ends sooner. */
const BUSY_RECHECK_MS = 2_000;

/**
 * Durable J+10 / J+20 timers on BullMQ: one delayed job per deadline, id `reminder-<numeroAsp>-M1`
 * (re-adding it is deduplicated). A job is only a wake-up call: the processor fires through the
 * deadlines table's claim, judged by the database clock, so early, duplicate or replayed jobs are
 * harmless.
 */
export class BullmqScheduler implements Scheduler, TimerCache {
  private queue: Queue | null = null;
  private worker: Worker | null = null;
  private queueRedis: Redis | null = null;
  private workerRedis: Redis | null = null;
  private reconcilerInstance: Reconciler | null = null;
  private closing = false;
  private readonly logger: Logger;
  private readonly queueName: string;
  private readonly prefix: string;
  private readonly backoff: BackoffOptions;
  private readonly redisTimeoutMs: number;
  private readonly drain: DeadlineDrain | null;

  constructor(private readonly o: BullmqSchedulerOptions) {
    this.logger = o.logger ?? silentLogger;
    this.queueName = o.queueName ?? 'deadlines';
    this.prefix = o.prefix ?? 'segur';
    this.backoff = o.backoff ?? DEFAULT_BACKOFF;
    this.redisTimeoutMs = o.redisTimeoutMs ?? 2_000;
    this.drain = o.batchFirer
      ? new DeadlineDrain({
          sql: o.sql,
          batchFirer: o.batchFirer,
          batchSize: o.batchSize ?? 500,
          concurrency: o.drainConcurrency ?? 4,
          leaseMs: o.leaseMs,
          backoff: this.backoff,
          logger: this.logger,
          isRunning: () => this.worker !== null && !this.closing,
          // Outcomes of rows whose jobs have not asked yet: a burst's worth (small entries).
          remember: 200_000,
        })
      : null;
  }

  get reconciler(): Reconciler | null {
    return this.reconcilerInstance;
  }

  async start(): Promise<void> {
    if (this.queue) return;
    this.closing = false;
    this.queueRedis = new Redis(this.o.redisUrl, { maxRetriesPerRequest: 1 });
    // BullMQ requires maxRetriesPerRequest null on a worker's (blocking) connection.
    this.workerRedis = new Redis(this.o.redisUrl, { maxRetriesPerRequest: null });
    for (const r of [this.queueRedis, this.workerRedis])
      r.on('error', (e: unknown) => this.logger.error({ err: errorMessage(e) }, 'connexion Redis en erreur'));
    await this.redis(checkEvictionPolicy(this.queueRedis, this.logger), 'maxmemory-policy').catch(
      (e: unknown) => this.logger.warn({ err: errorMessage(e) }, 'Redis injoignable au démarrage'),
    );

    this.queue = new Queue(this.queueName, { connection: this.queueRedis, prefix: this.prefix });
    this.queue.on('error', (e: unknown) =>
      this.logger.error({ err: errorMessage(e) }, 'file BullMQ en erreur'),
    );
    this.worker = new Worker<Deadline>(this.queueName, (job, token) => this.process(job, token), {
      connection: this.workerRedis,
      prefix: this.prefix,
      concurrency: this.o.concurrency ?? 4,
    });
    this.worker.on('error', (e: unknown) =>
      this.logger.error({ err: errorMessage(e) }, 'worker BullMQ en erreur'),
    );
    this.worker.on('failed', (job, e) => {
      if (!job) return;
      const dead = job.attemptsMade >= (job.opts.attempts ?? 1);
      this.logger[dead ? 'error' : 'warn'](
        { jobId: job.id, attemptsMade: job.attemptsMade, err: errorMessage(e) },
        dead
          ? 'échéance en lettre morte (le rapprochement la déclenchera)'
          : 'échéance en échec, nouvel essai',
      );
    });

    if (this.o.reconciler !== false) {
      this.reconcilerInstance = new Reconciler({
        sql: this.o.sql,
        cache: this,
        firer: this.o.firer,
        logger: this.logger,
        intervalMs: this.o.reconciler?.intervalMs,
        graceMs: this.o.reconciler?.graceMs,
        leaseMs: this.o.leaseMs,
        backoff: this.backoff,
      });
      await this.reconcilerInstance.start();
    }
    this.logger.info({ queue: this.queueName, prefix: this.prefix }, 'planificateur BullMQ démarré');
  }

  async stop(): Promise<void> {
    // A drain in progress ends after its batches in flight; the jobs waiting for it then complete.
    this.closing = true;
    await this.reconcilerInstance?.stop();
    this.reconcilerInstance = null;
    await this.worker?.close();
    await this.queue?.close();
    for (const r of [this.workerRedis, this.queueRedis]) await r?.quit().catch(() => r.disconnect());
    this.worker = null;
    this.queue = null;
    this.workerRedis = null;
    this.queueRedis = null;
  }

  async schedule(deadline: Deadline): Promise<void> {
    await this.enqueue(deadline);
  }

  /**
   * Many timers in one Redis round trip per chunk (`addBulk`): a bulk import or a burst of rounds
   * would otherwise cost one round trip per deadline. Same deterministic ids, so still deduplicated.
   */
  async scheduleMany(deadlines: readonly Deadline[], chunkSize = 1_000): Promise<void> {
    const queue = this.requireQueue();
    for (let i = 0; i < deadlines.length; i += chunkSize) {
      const now = Date.now();
      await queue.addBulk(
        deadlines.slice(i, i + chunkSize).map((d) => ({
          name: d.kind,
          data: d,
          opts: { ...this.jobOptions(), jobId: d.jobId, delay: Math.max(0, Date.parse(d.dueAt) - now) },
        })),
      );
    }
  }

  async cancel(jobId: string): Promise<void> {
    // An active job cannot be removed (locked): it will find the row CANCELLED and do nothing.
    await this.redis(this.requireQueue().remove(jobId), 'annulation').catch((e: unknown) =>
      this.logger.warn({ jobId, err: errorMessage(e) }, 'minuteur non retiré de Redis (sans conséquence)'),
    );
  }

  async enqueue(deadline: Deadline): Promise<void> {
    const delay = Math.max(0, Date.parse(deadline.dueAt) - Date.now());
    await this.redis(
      this.requireQueue().add(deadline.kind, deadline, {
        ...this.jobOptions(),
        jobId: deadline.jobId,
        delay,
      }),
      'programmation',
    );
  }

  // ioredis queues commands while it reconnects: without a bound, a Redis outage would stall the
  // projection runner's afterCommit or the reconciler instead of letting the table take over.
  private redis<T>(p: Promise<T>, what: string): Promise<T> {
    return withTimeout(
      p,
      this.redisTimeoutMs,
      `${what} : pas de réponse de Redis en ${this.redisTimeoutMs} ms`,
    );
  }

  private jobOptions() {
    return {
      attempts: this.o.attempts ?? 8,
      backoff: { type: 'exponential', delay: this.backoff.baseMs },
      removeOnComplete: true,
      // Failed jobs are the dead-letter view; the table still says PENDING, so nothing is lost.
      removeOnFail: { count: 1_000 },
    };
  }

  async holds(jobId: string): Promise<boolean> {
    const queue = this.requireQueue();
    const job = await this.redis(queue.getJob(jobId), 'lecture du minuteur');
    if (!job) return false;
    const state = await this.redis(job.getState(), 'état du minuteur');
    if (state === 'completed' || state === 'unknown') {
      // Completed yet still PENDING in the table (a race with the claim): make room for a new job.
      await job.remove().catch(() => undefined);
      return false;
    }
    return true;
  }

  /** Failed jobs (attempts exhausted), newest first: the `/deadlines` back-office dead-letter view. */
  async deadLetters(limit = 100): Promise<DeadLetter[]> {
    const jobs = await this.redis(this.requireQueue().getFailed(0, limit - 1), 'lettres mortes');
    return jobs.map((j) => ({
      jobId: j.id ?? '',
      deadline: j.data as Deadline,
      failedReason: j.failedReason,
      attemptsMade: j.attemptsMade,
      failedAt: j.finishedOn ? new Date(j.finishedOn).toISOString() : null,
    }));
  }

  /** One repair pass now (also runs at start and every interval). */
  async reconcile(): Promise<ReconcileReport> {
    const r =
      this.reconcilerInstance ??
      new Reconciler({
        sql: this.o.sql,
        cache: this,
        firer: this.o.firer,
        logger: this.logger,
        backoff: this.backoff,
      });
    return r.runOnce();
  }

  private async process(job: Job<Deadline>, token: string | undefined): Promise<string> {
    const jobId = job.id ?? job.data.jobId;
    const result = this.drain
      ? await this.fireWithDrain(jobId, this.drain)
      : await fireDeadline(this.o.sql, jobId, {
          firer: this.o.firer,
          leaseMs: this.o.leaseMs,
          backoff: this.backoff,
          logger: this.logger,
        });
    switch (result.kind) {
      case 'fired':
      case 'noop':
      case 'not-pending':
        return result.kind;
      case 'early':
        // Woken too early by this machine's clock: sleep again, without spending an attempt.
        await job.moveToDelayed(Date.now() + result.remainingMs, token);
        throw new DelayedError();
      case 'busy':
        // Another firer holds the row (or it backs off): look again soon rather than at the end of
        // the lease. With batches, the holder is often another job whose batch will finish within a
        // second; if that batch got 'retry' for this row, its backoff (not the 30 s lease) must set
        // when this job tries again, or the row waits for the lease with nobody to retry it.
        await job.moveToDelayed(Date.now() + Math.min(result.remainingMs, BUSY_RECHECK_MS), token);
        throw new DelayedError();
      case 'retry':
        throw new Error(result.error);
    }
  }

  /**
   * Batched firing behind a per-deadline queue: the job wakes this process's drain (or waits for the
   * one running) and learns its row's outcome from it. A row the drain did not claim (not due by the
   * database clock, held by another process, already closed) is read to tell which; a crashed batch
   * leaves its rows to their jobs' retries as before. The claim stays the only judge: exactly once.
   */
  private async fireWithDrain(jobId: string, drain: DeadlineDrain): Promise<FiringResult> {
    const mine = await drain.settle(jobId);
    if (mine?.outcome === 'fired' || mine?.outcome === 'noop') return { kind: mine.outcome };
    if (mine?.outcome === 'retry') {
      const retryInMs = 0; // the row's backoff is in `not_before`; BullMQ's own backoff paces the job
      return { kind: 'retry', error: mine.error ?? 'nouvel essai', retryInMs };
    }
    return whyNotClaimed(this.o.sql, jobId);
  }

  private requireQueue(): Queue {
    if (!this.queue) throw new Error('planificateur BullMQ non démarré');
    return this.queue;
  }
}
