import { setMaxListeners } from 'node:events';
import { comparePositions, type EventStore, type RecordedEvent, type SqlClient } from '@segur/event-store';
import type { Projection } from '../projection';
import {
  CheckpointMovedError,
  advanceCheckpointInTx,
  commitBatch,
  ensureCheckpointRow,
  readCheckpoint,
  readCheckpoints,
} from './checkpoints';
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
import { migrateProjections } from './migrate';
import { FailureTracker, type EventFailure } from '../quarantine/failure-tracker';
import { isConnectionFailure } from '../quarantine/connection-failure';
import {
  clearFailing,
  clearPassedFailing,
  holdBehindQuarantine,
  quarantineInTx,
  recordFailing,
} from '../quarantine/quarantine.table';

export interface ProjectionRunnerOptions {
  /** Most events applied in one transaction. */
  batchSize?: number;
  /**
   * How long a partial batch waits for more events before it commits (latency vs. fewer commits).
   * 0 (the default): a batch is what the subscription already holds, committed at once; under load
   * the events that arrive during one commit make the next batch, so batches still grow with the
   * rate without adding a wait to every event.
   */
  batchWindowMs?: number;
  /** How often a runner without the advisory lock tries again to take it. */
  lockRetryMs?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** Passed to the store's subscription. */
  pollIntervalMs?: number;
  /**
   * Failed attempts of one event (failures of its own, not lost connections) before the projection
   * quarantines it and goes on (`PROJECTION_MAX_ATTEMPTS`).
   */
  maxAttempts?: number;
  /** Instants of the quarantine's failure times. */
  clock?: Clock;
  /** Called once per quarantined event, after its transaction committed (the metric). */
  onQuarantined?: (projection: string, event: RecordedEvent, failure: EventFailure) => void;
  logger?: Logger;
}

export type ProjectionRunState = 'stopped' | 'waiting-lock' | 'running' | 'backing-off';

export interface ProjectionStatus {
  name: string;
  state: ProjectionRunState;
  /** Position of the last event applied (read from the database: true whichever worker runs it). */
  checkpoint: string | null;
  head: string | null;
  /** Checkpoint at the store's head. Positions are opaque, so lag is "caught up or not" plus a time. */
  caughtUp: boolean;
  /** recordedAt of the last event this process applied; compare with now for a lag in time. */
  lastEventRecordedAt: string | null;
  lastCommitAt: string | null;
  eventsApplied: number;
  lastError: { message: string; at: string } | null;
  /** The event this projection is retrying (failures of its own), until applied or quarantined. */
  blockedOn: BlockedOn | null;
}

export interface BlockedOn {
  eventId: string;
  position: string;
  attempts: number;
}

interface RuntimeState {
  state: ProjectionRunState;
  lastEventRecordedAt: string | null;
  lastCommitAt: string | null;
  eventsApplied: number;
  lastError: { message: string; at: string } | null;
  blockedOn: BlockedOn | null;
}

// PGlite is one session: its advisory locks are re-entrant, so two runners in one process would
// both "get" the lock. This registry keeps that case single-runner too.
const localOwners = new WeakMap<SqlClient, Set<string>>();
const takeLocal = (sql: SqlClient, name: string): boolean => {
  let owned = localOwners.get(sql);
  if (!owned) localOwners.set(sql, (owned = new Set()));
  if (owned.has(name)) return false;
  owned.add(name);
  return true;
};
const releaseLocal = (sql: SqlClient, name: string): void => void localOwners.get(sql)?.delete(name);

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
  private readonly failures: FailureTracker;
  private readonly onQuarantined: ProjectionRunnerOptions['onQuarantined'];
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
    this.failures = new FailureTracker(this.clock, options.maxAttempts ?? 5);
    this.onQuarantined = options.onQuarantined;
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
        const owned = await this.withLock(p.name, lockKey, () => this.consume(p, signal));
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

  /** false when another runner holds the projection. */
  private async withLock(name: string, lockKey: string, fn: () => Promise<void>): Promise<boolean> {
    if (!takeLocal(this.sql, name)) return false;
    try {
      return await this.sql.withConnection(async (conn) => {
        const r = await conn.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [
          lockKey,
        ]);
        if (r.rows[0]?.ok !== true) return false;
        try {
          await fn();
        } finally {
          // If the connection broke, the server already released the lock with the session.
          await conn.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => undefined);
        }
        return true;
      });
    } finally {
      releaseLocal(this.sql, name);
    }
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
        const committed = await this.commitWithRetry(p, batch, checkpoint, signal);
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

  /**
   * Commits the batch, or returns null when the runner stops. A lost connection is retried without
   * limit (the batch stays whole). Any other failure is some event's: the batch is then applied one
   * event at a time, so that only the event at fault is retried, counted, and after `maxAttempts`
   * quarantined; never skipped without a row that says so.
   */
  private async commitWithRetry(
    p: Projection,
    batch: readonly RecordedEvent[],
    checkpoint: string | null,
    signal: AbortSignal,
  ): Promise<{ position: string; applied: RecordedEvent[] } | null> {
    if (batch.length === 1) return this.commitOne(p, batch[0]!, checkpoint, signal);
    const rt = this.rt(p.name);
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) return null;
      try {
        const r = await this.commit(p, batch, checkpoint);
        rt.state = 'running';
        return r;
      } catch (e) {
        if (e instanceof CheckpointMovedError) throw e;
        if (signal.aborted) return null;
        this.recordError(p.name, e, {
          from: batch[0]?.position,
          to: batch[batch.length - 1]?.position,
          attempt,
        });
        if (!isConnectionFailure(e)) break;
        rt.state = 'backing-off';
        await sleep(this.backoff(attempt), signal);
      }
    }
    let position = checkpoint;
    const applied: RecordedEvent[] = [];
    for (const event of batch) {
      const r = await this.commitOne(p, event, position, signal);
      if (r === null) return null;
      position = r.position;
      applied.push(...r.applied);
    }
    return { position: position!, applied };
  }

  /** One event: applied, or quarantined after `maxAttempts` failures of its own; null when stopping. */
  private async commitOne(
    p: Projection,
    event: RecordedEvent,
    checkpoint: string | null,
    signal: AbortSignal,
  ): Promise<{ position: string; applied: RecordedEvent[] } | null> {
    const rt = this.rt(p.name);
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) return null;
      try {
        const failedBefore = this.failures.has(p.name, event.id);
        const r = await this.commit(p, [event], checkpoint);
        if (failedBefore) {
          this.failures.clear(p.name, event.id);
          rt.blockedOn = null;
          await clearFailing(this.sql, p.name, event.id).catch((e: unknown) =>
            this.logger.warn({ projection: p.name, err: errorMessage(e) }, 'ligne « failing » non effacée'),
          );
        }
        rt.state = 'running';
        return r;
      } catch (e) {
        if (e instanceof CheckpointMovedError) throw e;
        if (signal.aborted) return null;
        if (isConnectionFailure(e)) {
          this.recordError(p.name, e, { event: event.id, position: event.position, attempt });
          rt.state = 'backing-off';
          await sleep(this.backoff(attempt), signal);
          continue;
        }
        const failure = this.failures.record(p.name, event.id, errorMessage(e));
        rt.blockedOn = { eventId: event.id, position: event.position, attempts: failure.attempts };
        this.recordError(p.name, e, {
          event: event.id,
          type: event.type,
          stream: event.streamId,
          position: event.position,
          attempts: failure.attempts,
          maxAttempts: this.failures.maxAttempts,
        });
        if (this.failures.exhausted(failure)) {
          const quarantined = await this.quarantine(p, event, checkpoint, failure);
          if (quarantined) return quarantined;
        } else {
          // Reported where every process can read it (the API's 503 says which event blocks).
          await recordFailing(this.sql, p.name, event, failure).catch((err: unknown) =>
            this.logger.warn({ projection: p.name, err: errorMessage(err) }, 'échec non enregistré'),
          );
        }
        rt.state = 'backing-off';
        await sleep(this.backoff(failure.attempts), signal);
      }
    }
  }

  /** Records the event as quarantined and moves the checkpoint past it, together; null if that failed. */
  private async quarantine(
    p: Projection,
    event: RecordedEvent,
    checkpoint: string | null,
    failure: EventFailure,
  ): Promise<{ position: string; applied: RecordedEvent[] } | null> {
    try {
      const id = await this.sql.transaction(async (tx) => {
        await advanceCheckpointInTx(tx, p.name, checkpoint, event.position);
        return quarantineInTx(tx, p.name, event, failure);
      });
      this.failures.clear(p.name, event.id);
      this.rt(p.name).blockedOn = null;
      this.logger.error(
        {
          projection: p.name,
          quarantine: id,
          event: event.id,
          type: event.type,
          stream: event.streamId,
          position: event.position,
          attempts: failure.attempts,
          err: failure.lastError,
        },
        'événement mis en quarantaine : la projection continue sans lui',
      );
      this.onQuarantined?.(p.name, event, failure);
      return { position: event.position, applied: [] };
    } catch (e) {
      if (e instanceof CheckpointMovedError) throw e;
      // Not recorded, so not skipped: the event is tried again.
      this.logger.error({ projection: p.name, err: errorMessage(e) }, 'mise en quarantaine impossible');
      return null;
    }
  }

  /** The batch and the checkpoint in one transaction, without the events held behind a quarantine. */
  private commit(
    p: Projection,
    batch: readonly RecordedEvent[],
    checkpoint: string | null,
  ): Promise<{ position: string; applied: RecordedEvent[] }> {
    return commitBatch(this.sql, p, batch, checkpoint, {
      hold: (tx, events) => holdBehindQuarantine(tx, p.name, events, this.clock.now()),
    });
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
