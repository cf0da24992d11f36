import type { SqlClient } from '@segur/event-store';
import type { Deadline } from './deadline';
import { DeadlineDrain } from './deadline-drain';
import { fireDeadline } from './deadline-firing';
import {
  Nudge,
  backoffDelay,
  errorMessage,
  silentLogger,
  type BackoffOptions,
  type Logger,
} from '@segur/kernel';
import type { DeadlineBatchFirer, DeadlineFirer, Scheduler } from './scheduler.port';

export interface EmbeddedSchedulerOptions {
  sql: SqlClient;
  firer: DeadlineFirer;
  /**
   * When given, due rows are claimed, fired and marked `batchSize` at a time (`fireDueBatch`)
   * instead of one by one: a few commits per batch instead of three per deadline.
   */
  batchFirer?: DeadlineBatchFirer;
  logger?: Logger;
  /**
   * Longest sleep between two looks at the table. Bounds how late a deadline fires if a wake-up is
   * missed (row written by another process, clock jump), hence small.
   */
  maxSleepMs?: number;
  leaseMs?: number;
  backoff?: BackoffOptions;
  /** Rows read per look at the table. */
  batchSize?: number;
  /**
   * Firings in flight at once. Each one is a few round trips to the database, so a burst (many
   * rounds opened together, or a restart after a long stop) drains this many times faster.
   */
  concurrency?: number;
}

/**
 * The timer for the embedded run mode (no REDIS_URL): one in-process loop that sleeps until the
 * next PENDING `due_at` of the deadlines table, measured with the database clock. Nothing to lose
 * on a restart: the table is the only state.
 */
export class EmbeddedScheduler implements Scheduler {
  private running = false;
  private loop: Promise<void> | null = null;
  // A poke that arrives while a tick is querying must not be lost, or a new near deadline would
  // wait for the next maximal sleep.
  private readonly nudge = new Nudge();
  private readonly logger: Logger;
  private readonly maxSleepMs: number;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly drain: DeadlineDrain | null;

  constructor(private readonly o: EmbeddedSchedulerOptions) {
    this.logger = o.logger ?? silentLogger;
    this.maxSleepMs = o.maxSleepMs ?? 60_000;
    this.batchSize = o.batchSize ?? 200;
    this.concurrency = Math.max(1, o.concurrency ?? 8);
    this.drain = o.batchFirer
      ? new DeadlineDrain({
          sql: o.sql,
          batchFirer: o.batchFirer,
          batchSize: this.batchSize,
          concurrency: this.concurrency,
          leaseMs: o.leaseMs,
          backoff: o.backoff,
          logger: this.logger,
          isRunning: () => this.running,
        })
      : null;
  }

  // The projection committed the row before calling us: re-reading the table is enough.
  async schedule(_deadline: Deadline): Promise<void> {
    this.poke();
  }

  async cancel(_jobId: string): Promise<void> {
    this.poke();
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
    this.logger.info({ maxSleepMs: this.maxSleepMs }, 'planificateur intégré démarré');
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.poke();
    await this.loop;
    this.loop = null;
    this.logger.info({}, 'planificateur intégré arrêté');
  }

  private poke(): void {
    this.nudge.notify();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let sleepMs: number;
      this.nudge.clear();
      try {
        sleepMs = await this.tick();
        failures = 0;
      } catch (e) {
        failures += 1;
        // Database unavailable: keep the loop alive and come back with backoff.
        sleepMs = backoffDelay(failures, { baseMs: 1_000, maxMs: Math.min(this.maxSleepMs, 64_000) });
        this.logger.error(
          { err: errorMessage(e), retryInMs: sleepMs },
          'planificateur intégré : lecture des échéances en échec',
        );
      }
      if (this.running && sleepMs > 0) await this.nudge.wait(sleepMs);
    }
  }

  /** Fires what is due now; returns how long to sleep before the next look. */
  private async tick(): Promise<number> {
    if (this.drain) return this.batchTick(this.drain);
    const due = await this.o.sql.query<{ job_id: string }>(
      `SELECT job_id FROM deadlines
        WHERE status = 'PENDING' AND due_at <= now() AND (not_before IS NULL OR not_before <= now())
        ORDER BY due_at LIMIT $1`,
      [this.batchSize],
    );
    // The claim (database clock, lease) keeps concurrent firings of one row impossible.
    let cursor = 0;
    const lane = async (): Promise<void> => {
      while (this.running && cursor < due.rows.length) {
        const row = due.rows[cursor++];
        if (!row) return;
        await fireDeadline(this.o.sql, row.job_id, {
          firer: this.o.firer,
          leaseMs: this.o.leaseMs,
          backoff: this.o.backoff,
          logger: this.logger,
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, due.rows.length) }, lane));
    if (!this.running) return 0;
    if (due.rows.length === this.batchSize) return 0;
    return this.nextSleep();
  }

  private async batchTick(drain: DeadlineDrain): Promise<number> {
    await drain.drain();
    if (!this.running) return 0;
    return this.nextSleep();
  }

  private async nextSleep(): Promise<number> {
    const next = await this.o.sql.query<{ ms: number | string | null }>(
      `SELECT EXTRACT(EPOCH FROM (min(GREATEST(due_at, COALESCE(not_before, due_at))) - now())) * 1000 AS ms
         FROM deadlines WHERE status = 'PENDING'`,
    );
    const ms = next.rows[0]?.ms;
    if (ms === null || ms === undefined) return this.maxSleepMs;
    return Math.min(this.maxSleepMs, Math.max(1, Math.ceil(Number(ms))));
  }
}
