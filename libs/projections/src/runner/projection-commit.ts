import type { RecordedEvent, SqlClient } from '@segur/event-store';
import { errorMessage, sleep, type Clock, type Logger } from '@segur/kernel';
import type { Projection } from '../projection';
import { isConnectionFailure } from '../quarantine/connection-failure';
import type { EventFailure, FailureTracker } from '../quarantine/failure-tracker';
import {
  clearFailing,
  holdBehindQuarantine,
  quarantineInTx,
  recordFailing,
} from '../quarantine/quarantine.table';
import { CheckpointMovedError, advanceCheckpointInTx, commitBatch } from './checkpoints';
import type { ProjectionRunnerOptions, RuntimeState } from './projection-runner.types';

export interface CommitResult {
  position: string;
  applied: RecordedEvent[];
}

/** What the committer shares with its runner: the database, the failure counts, the runtime state. */
export interface CommitterContext {
  sql: SqlClient;
  logger: Logger;
  clock: Clock;
  failures: FailureTracker;
  onQuarantined: ProjectionRunnerOptions['onQuarantined'];
  rt(name: string): RuntimeState;
  backoff(attempt: number): number;
  recordError(name: string, e: unknown, extra?: Record<string, unknown>): void;
}

/**
 * A batch's way into the read model: committed whole with its checkpoint, or, when some event of
 * it fails, event by event, so that only the event at fault is retried and quarantined. Apart from
 * the runner, which owns the loops, the locks and the subscriptions.
 */
export class ProjectionCommitter {
  constructor(private readonly ctx: CommitterContext) {}

  /**
   * Commits the batch, or returns null when the runner stops. A lost connection is retried without
   * limit (the batch stays whole). Any other failure is some event's: the batch is then applied one
   * event at a time, so that only the event at fault is retried, counted, and after `maxAttempts`
   * quarantined; never skipped without a row that says so.
   */
  async commitWithRetry(
    p: Projection,
    batch: readonly RecordedEvent[],
    checkpoint: string | null,
    signal: AbortSignal,
  ): Promise<CommitResult | null> {
    if (batch.length === 1) return this.commitOne(p, batch[0]!, checkpoint, signal);
    const rt = this.ctx.rt(p.name);
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) return null;
      try {
        const r = await this.commit(p, batch, checkpoint);
        rt.state = 'running';
        return r;
      } catch (e) {
        if (e instanceof CheckpointMovedError) throw e;
        if (signal.aborted) return null;
        this.ctx.recordError(p.name, e, {
          from: batch[0]?.position,
          to: batch[batch.length - 1]?.position,
          attempt,
        });
        if (!isConnectionFailure(e)) break;
        rt.state = 'backing-off';
        await sleep(this.ctx.backoff(attempt), signal);
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
  ): Promise<CommitResult | null> {
    const rt = this.ctx.rt(p.name);
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) return null;
      try {
        const failedBefore = this.ctx.failures.has(p.name, event.id);
        const r = await this.commit(p, [event], checkpoint);
        if (failedBefore) {
          this.ctx.failures.clear(p.name, event.id);
          rt.blockedOn = null;
          await clearFailing(this.ctx.sql, p.name, event.id).catch((e: unknown) =>
            this.ctx.logger.warn(
              { projection: p.name, err: errorMessage(e) },
              'ligne « failing » non effacée',
            ),
          );
        }
        rt.state = 'running';
        return r;
      } catch (e) {
        if (e instanceof CheckpointMovedError) throw e;
        if (signal.aborted) return null;
        if (isConnectionFailure(e)) {
          this.ctx.recordError(p.name, e, { event: event.id, position: event.position, attempt });
          rt.state = 'backing-off';
          await sleep(this.ctx.backoff(attempt), signal);
          continue;
        }
        const failure = this.ctx.failures.record(p.name, event.id, errorMessage(e));
        rt.blockedOn = { eventId: event.id, position: event.position, attempts: failure.attempts };
        this.ctx.recordError(p.name, e, {
          event: event.id,
          type: event.type,
          stream: event.streamId,
          position: event.position,
          attempts: failure.attempts,
          maxAttempts: this.ctx.failures.maxAttempts,
        });
        if (this.ctx.failures.exhausted(failure)) {
          const quarantined = await this.quarantine(p, event, checkpoint, failure);
          if (quarantined) return quarantined;
        } else {
          // Reported where every process can read it (the API's 503 says which event blocks).
          await recordFailing(this.ctx.sql, p.name, event, failure).catch((err: unknown) =>
            this.ctx.logger.warn({ projection: p.name, err: errorMessage(err) }, 'échec non enregistré'),
          );
        }
        rt.state = 'backing-off';
        await sleep(this.ctx.backoff(failure.attempts), signal);
      }
    }
  }

  /** Records the event as quarantined and moves the checkpoint past it, together; null if that failed. */
  private async quarantine(
    p: Projection,
    event: RecordedEvent,
    checkpoint: string | null,
    failure: EventFailure,
  ): Promise<CommitResult | null> {
    try {
      const id = await this.ctx.sql.transaction(async (tx) => {
        await advanceCheckpointInTx(tx, p.name, checkpoint, event.position);
        return quarantineInTx(tx, p.name, event, failure);
      });
      this.ctx.failures.clear(p.name, event.id);
      this.ctx.rt(p.name).blockedOn = null;
      this.ctx.logger.error(
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
      this.ctx.onQuarantined?.(p.name, event, failure);
      return { position: event.position, applied: [] };
    } catch (e) {
      if (e instanceof CheckpointMovedError) throw e;
      // Not recorded, so not skipped: the event is tried again.
      this.ctx.logger.error({ projection: p.name, err: errorMessage(e) }, 'mise en quarantaine impossible');
      return null;
    }
  }

  /** The batch and the checkpoint in one transaction, without the events held behind a quarantine. */
  private commit(
    p: Projection,
    batch: readonly RecordedEvent[],
    checkpoint: string | null,
  ): Promise<CommitResult> {
    return commitBatch(this.ctx.sql, p, batch, checkpoint, {
      hold: (tx, events) => holdBehindQuarantine(tx, p.name, events, this.ctx.clock.now()),
    });
  }
}
