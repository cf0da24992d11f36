import { setMaxListeners } from 'node:events';
import { comparePositions, type EventStore, type RecordedEvent, type SqlClient } from '@segur/event-store';
import {
  ABORTED,
  TIMED_OUT,
  backoffDelay,
  errorMessage,
  silentLogger,
  sleep,
  unlessAborted,
  systemClock,
  within,
  type Clock,
  type Logger,
} from '@segur/kernel';
import type { Projection } from '../projection';
import { FailureTracker } from '../quarantine/failure-tracker';
import { clearPassedFailing } from '../quarantine/quarantine.table';
import { CheckpointMovedError, ensureCheckpointRow, readCheckpoint, readCheckpoints } from './checkpoints';
import { migrateProjections } from './migrate';
import { ProjectionCommitter } from './projection-commit';
import { withProjectionLock } from './projection-lock';
import type {
  ProjectionRunnerOptions,
  ProjectionStatus,
  RuntimeState,
} from './projection-runner.types';

export type {
  BlockedOn,
  ProjectionRunnerOptions,
  ProjectionStatus,
} from './projection-runner.types';

/**
 * Runs projections from the store's `subscribeToAll`, each with its own checkpoint and its own
 * advisory lock.
 *
 * Why the subscription and not paged `readAll`: the subscription is the port's only promise of
 * "never skip an event that commits late" (PostgreSQL sequence gaps), and it reconnects by itself.
 * The runner subscribes WITHOUT a type filter and skips irrelevant types itself, so the checkpoint
 * advances over every event: `waitForPosition(X-Position)` and "caught up" are then exact even when
 * the last write was of a type a projection ignores.
 */
export class ProjectionRunner {
  private readonly opts: Required<
    Omit<ProjectionRunnerOptions, 'logger' | 'clock' | 'maxAttempts' | 'onQuarantined'>
  >;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly committer: ProjectionCommitter;
  private readonly runtime = new Map<string, RuntimeState>();
  private readonly commitListeners = new Set<() => void>();
  private readonly positionListeners = new Set<(projection: string, position: string) => void>();
  private controller: AbortController | null = null;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly sql: SqlClient,
    private readonly store: EventStore,
    readonly projections: readonly Projection[],
    options: ProjectionRunnerOptions = {},
  ) {
    const names = new Set(projections.map((p) => p.name));
    if (names.size !== projections.length) throw new Error('ProjectionRunner : noms de projection en double');
    this.opts = {
      batchSize: options.batchSize ?? 500,
      batchWindowMs: options.batchWindowMs ?? 0,
      lockRetryMs: options.lockRetryMs ?? 1000,
      backoffInitialMs: options.backoffInitialMs ?? 200,
      backoffMaxMs: options.backoffMaxMs ?? 30_000,
      pollIntervalMs: options.pollIntervalMs ?? 500,
    };
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.committer = new ProjectionCommitter({
      sql,
      logger: this.logger,
      clock: this.clock,
      failures: new FailureTracker(this.clock, options.maxAttempts ?? 5),
      onQuarantined: options.onQuarantined,
      rt: (name) => this.rt(name),
      backoff: (attempt) => this.backoff(attempt),
      recordError: (name, e, extra) => this.recordError(name, e, extra),
    });
    for (const p of projections) {
      this.runtime.set(p.name, {
        state: 'stopped',
        lastEventRecordedAt: null,
        lastCommitAt: null,
        eventsApplied: 0,
        lastError: null,
        blockedOn: null,
      });
    }
  }

  /** Creates the checkpoint table and every projection's tables. */
  migrate(): Promise<void> {
    return migrateProjections(this.sql, this.projections);
  }

  /** Starts one loop per projection; `signal` (or `stop()`) ends them cleanly. */
  start(signal?: AbortSignal): void {
    if (this.controller) throw new Error('ProjectionRunner déjà démarré');
    const controller = new AbortController();
    // One listener per projection loop and subscription: more than Node's default warning threshold.
    setMaxListeners(0, controller.signal);
    this.controller = controller;
    if (signal) {
      if (signal.aborted) controller.abort();
      else signal.addEventListener('abort', () => controller.abort(), { once: true });
    }
    this.loops = this.projections.map((p) => this.runLoop(p, controller.signal));
  }

  /** Aborts and waits until every loop has rolled back or committed its batch and released its lock. */
  async stop(): Promise<void> {
    this.controller?.abort();
    await Promise.all(this.loops);
    this.loops = [];
    this.controller = null;
  }

  /** Resolves when every loop ended (after an abort). */
  async done(): Promise<void> {
    await Promise.all(this.loops);
  }

  async status(): Promise<ProjectionStatus[]> {
    const names = this.projections.map((p) => p.name);
    const [head, checkpoints] = await Promise.all([
      this.store.headPosition(),
      readCheckpoints(this.sql, names),
    ]);
    return names.map((name) => {
      const rt = this.runtime.get(name)!;
      const checkpoint = checkpoints.get(name) ?? null;
      return {
        name,
        state: rt.state,
        checkpoint,
        head,
        caughtUp: comparePositions(checkpoint, head) >= 0,
        lastEventRecordedAt: rt.lastEventRecordedAt,
        lastCommitAt: rt.lastCommitAt,
        eventsApplied: rt.eventsApplied,
        lastError: rt.lastError,
        blockedOn: rt.blockedOn,
      };
    });
  }

  /**
   * Read-your-writes (`X-Min-Position`): true once every projection (or those named) has applied
   * `position`, false after `timeoutMs`. Reads the checkpoints from the database, so it also sees
   * progress made by a runner in another worker; a local commit wakes it at once.
   */
  async waitForPosition(position: string, timeoutMs = 5000, names?: readonly string[]): Promise<boolean> {
    const targets = names ?? this.projections.map((p) => p.name);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const checkpoints = await readCheckpoints(this.sql, targets);
      if (targets.every((n) => comparePositions(checkpoints.get(n) ?? null, position) >= 0)) return true;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return false;
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.commitListeners.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(50, remaining));
        this.commitListeners.add(wake);
      });
    }
  }

  /**
   * Called after each batch this process commits, with the projection and its new checkpoint: a
   * push for in-process watchers (lag metrics, the bench) instead of polling the checkpoints.
   * Returns the unsubscribe function.
   */
  onCommit(listener: (projection: string, position: string) => void): () => void {
    this.positionListeners.add(listener);
    return () => void this.positionListeners.delete(listener);
  }

  private rt(name: string): RuntimeState {
    return this.runtime.get(name)!;
  }

  private async runLoop(p: Projection, signal: AbortSignal): Promise<void> {
    const lockKey = `${this.sql.schema}.${p.name}`;
    let failures = 0;
    while (!signal.aborted) {
      try {
        const owned = await withProjectionLock(this.sql, p.name, lockKey, () => this.consume(p, signal));
        failures = 0;
        if (!owned) {
          this.rt(p.name).state = 'waiting-lock';
          await sleep(this.opts.lockRetryMs, signal);
        }
      } catch (e) {
        if (signal.aborted) break;
        if (e instanceof CheckpointMovedError) {
          this.logger.warn({ projection: p.name, expected: e.expected, actual: e.actual }, e.message);
          continue;
        }
        failures++;
        this.recordError(p.name, e);
        this.rt(p.name).state = 'backing-off';
        await sleep(this.backoff(failures), signal);
      }
    }
    this.rt(p.name).state = 'stopped';
  }

  private async consume(p: Projection, signal: AbortSignal): Promise<void> {
    const rt = this.rt(p.name);
    rt.state = 'running';
    await ensureCheckpointRow(this.sql, p.name);
    let checkpoint = await readCheckpoint(this.sql, p.name);
    await clearPassedFailing(this.sql, p.name, checkpoint);
    const sub = new AbortController();
    const onAbort = (): void => sub.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const iterator = this.store
      .subscribeToAll({
        from: checkpoint,
        batchSize: this.opts.batchSize,
        pollIntervalMs: this.opts.pollIntervalMs,
        signal: sub.signal,
      })
      [Symbol.asyncIterator]();
    // A next() still pending when the batch window closed is kept for the following batch: an
    // async iterator's next() cannot be cancelled, and dropping it would lose its event.
    let pending: Promise<IteratorResult<RecordedEvent>> | null = null;
    try {
      while (!signal.aborted) {
        pending ??= iterator.next();
        const first = await unlessAborted(pending, signal);
        if (first === ABORTED) return;
        pending = null;
        if (first.done) throw new Error(`La souscription de ${p.name} s'est terminée`);
        const batch: RecordedEvent[] = [first.value];
        while (batch.length < this.opts.batchSize) {
          pending ??= iterator.next();
          const next = await within(pending, this.opts.batchWindowMs);
          if (next === TIMED_OUT) break;
          pending = null;
          if (next.done) break;
          batch.push(next.value);
        }
        const committed = await this.committer.commitWithRetry(p, batch, checkpoint, signal);
        if (committed === null) return;
        checkpoint = committed.position;
        rt.lastCommitAt = new Date().toISOString();
        rt.lastEventRecordedAt = batch[batch.length - 1]!.recordedAt;
        rt.eventsApplied += committed.applied.length;
        for (const wake of [...this.commitListeners]) wake();
        for (const listener of this.positionListeners) listener(p.name, committed.position);
        if (p.afterCommit && committed.applied.length > 0) {
          // Committed already: a failing side effect is logged, never a reason to re-apply the batch.
          await p.afterCommit(committed.applied).catch((e: unknown) => {
            this.logger.error({ projection: p.name, err: errorMessage(e) }, 'afterCommit a échoué');
          });
        }
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      sub.abort();
      void iterator.return?.().catch(() => undefined);
    }
  }

  private backoff(attempt: number): number {
    // Jitter keeps N workers from retrying in lockstep against a struggling database.
    return backoffDelay(attempt, {
      baseMs: this.opts.backoffInitialMs,
      maxMs: this.opts.backoffMaxMs,
      jitter: 0.5,
    });
  }

  private recordError(name: string, e: unknown, extra: Record<string, unknown> = {}): void {
    const message = errorMessage(e);
    this.rt(name).lastError = { message, at: new Date().toISOString() };
    this.logger.error({ projection: name, err: message, ...extra }, 'projection en erreur, nouvel essai');
  }
}
