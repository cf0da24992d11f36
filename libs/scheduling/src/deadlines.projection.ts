import type { RecordedEvent, SqlExecutor } from '@segur/event-store';
import {
  FoldSession,
  type Projection,
  type RebuildCapability,
  type ReplaySession,
  type ReplaySessionOptions,
} from '@segur/projections';
import { type Deadline, deadlineJobId } from './deadline';
import { DEADLINE_EVENT_TYPES, deadlineOperationsOf } from './deadline-rules';
import { applyDeadlinesBatch } from './deadlines.batch';
import { deadlinesFold } from './deadlines.fold';
import { DEADLINES_MIGRATIONS } from './deadlines.schema';
import { type Logger, errorMessage, silentLogger } from '@segur/kernel';
import type { Scheduler } from './scheduler.port';

const roundKey = (numeroAsp: string, version: string): string => `${numeroAsp}/${version}`;

/**
 * Process manager for J+10 / J+20: turns modification rounds into rows of `deadlines` (in the
 * runner's transaction, with the checkpoint) and, once committed, tells the Scheduler. Every write
 * is idempotent, because the BullMQ/embedded firer also marks rows FIRED.
 */
export class DeadlinesProjection implements Projection, RebuildCapability {
  readonly name = 'deadlines';
  readonly migrations = DEADLINES_MIGRATIONS;
  readonly tables = ['deadlines'] as const;
  readonly eventTypes = DEADLINE_EVENT_TYPES;
  readonly metadataKeys = [];

  constructor(
    private readonly scheduler: Scheduler,
    private readonly logger: Logger = silentLogger,
  ) {}

  /** The same writes as `apply`, set-based (see deadlines.batch.ts). */
  applyBatch(tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<void> {
    return applyDeadlinesBatch(tx, events);
  }

  /**
   * A rebuild's shadow table is private (no firer touches it): each dossier's rows are folded in
   * memory and written once (see deadlines.fold.ts).
   */
  replaySession(options?: ReplaySessionOptions): ReplaySession {
    return new FoldSession(deadlinesFold, options);
  }

  /** One event: the batch of one (deadlines.batch.ts), the same statements. */
  apply(tx: SqlExecutor, event: RecordedEvent): Promise<void> {
    return applyDeadlinesBatch(tx, [event]);
  }

  /**
   * Hints only: a failure is logged, never thrown, because the table already holds the truth and the
   * reconciler / embedded scan will pick the row up. Rounds opened and closed within the same batch
   * (typical of a rebuild) are not scheduled at all.
   */
  async afterCommit(events: readonly RecordedEvent[]): Promise<void> {
    // A round's timers by job id; a round's cancellation by round (both its timers).
    const toSchedule = new Map<string, Deadline>();
    const toCancel = new Map<string, string[]>();
    for (const e of events)
      for (const op of deadlineOperationsOf(e)) {
        if (op.op === 'insert') {
          toCancel.delete(roundKey(op.numero_asp, op.version));
          toSchedule.set(op.job_id, {
            jobId: op.job_id,
            numeroAsp: op.numero_asp,
            version: op.version,
            kind: op.kind,
            dueAt: op.due_at,
          });
        } else if (op.op === 'cancel') {
          const jobIds = [
            deadlineJobId('REMINDER', op.numero_asp, op.version),
            deadlineJobId('EXPIRY', op.numero_asp, op.version),
          ];
          for (const jobId of jobIds) toSchedule.delete(jobId);
          toCancel.set(roundKey(op.numero_asp, op.version), jobIds);
        }
      }
    for (const deadline of toSchedule.values()) {
      await this.scheduler
        .schedule(deadline)
        .catch((e: unknown) =>
          this.logger.warn(
            { jobId: deadline.jobId, err: errorMessage(e) },
            'programmation différée au rapprochement',
          ),
        );
    }
    for (const jobId of [...toCancel.values()].flat()) {
      await this.scheduler
        .cancel(jobId)
        .catch((e: unknown) =>
          this.logger.warn({ jobId, err: errorMessage(e) }, 'annulation du minuteur en échec'),
        );
    }
  }
}
