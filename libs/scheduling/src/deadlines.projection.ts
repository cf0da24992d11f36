import type {
  ModificationDeclined,
  ModificationExpired,
  ModificationReminderSent,
  ModificationRequested,
  ModificationSubmitted,
} from '@segur/domain';
import type { RecordedEvent, SqlExecutor } from '@segur/event-store';
import {
  FoldSession,
  type Projection,
  type RebuildCapability,
  type ReplaySession,
  type ReplaySessionOptions,
} from '@segur/projections';
import { type Deadline, type DeadlineKind, deadlineJobId } from './deadline';
import { applyDeadlinesBatch } from './deadlines.batch';
import { deadlinesFold } from './deadlines.fold';
import { DEADLINES_MIGRATIONS } from './deadlines.schema';
import { type Logger, errorMessage, silentLogger } from '@segur/kernel';
import type { Scheduler } from './scheduler.port';

const EVENT_TYPES = [
  'ModificationRequested',
  'ModificationSubmitted',
  'ModificationDeclined',
  'ModificationExpired',
  'ModificationReminderSent',
] as const;

type Data<E extends { data: unknown }> = E['data'];

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
  readonly eventTypes = EVENT_TYPES;
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

  async apply(tx: SqlExecutor, event: RecordedEvent): Promise<void> {
    switch (event.type) {
      case 'ModificationRequested': {
        const d = event.data as Data<ModificationRequested>;
        for (const [kind, dueAt] of [
          ['REMINDER', d.reminderDueAt],
          ['EXPIRY', d.expiresAt],
        ] as const) {
          await tx.query(
            `INSERT INTO deadlines (job_id, numero_asp, version, kind, due_at, requested_event_id)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
            [deadlineJobId(kind, d.numeroAsp, d.version), d.numeroAsp, d.version, kind, dueAt, event.id],
          );
        }
        return;
      }
      case 'ModificationSubmitted':
      case 'ModificationDeclined': {
        const d = event.data as Data<ModificationSubmitted> | Data<ModificationDeclined>;
        const at = 'submittedAt' in d ? d.submittedAt : d.declinedAt;
        await this.cancelRound(tx, d.numeroAsp, d.version, at);
        return;
      }
      case 'ModificationExpired': {
        const d = event.data as Data<ModificationExpired>;
        await this.markFired(tx, 'EXPIRY', d.numeroAsp, d.version, d.expiredAt);
        // The round is closed: a reminder not yet sent must never go out after the expiry.
        await this.cancelRound(tx, d.numeroAsp, d.version, d.expiredAt);
        return;
      }
      case 'ModificationReminderSent': {
        const d = event.data as Data<ModificationReminderSent>;
        await this.markFired(tx, 'REMINDER', d.numeroAsp, d.version, d.sentAt);
        return;
      }
      default:
        return;
    }
  }

  /**
   * Hints only: a failure is logged, never thrown, because the table already holds the truth and the
   * reconciler / embedded scan will pick the row up. Rounds opened and closed within the same batch
   * (typical of a rebuild) are not scheduled at all.
   */
  async afterCommit(events: readonly RecordedEvent[]): Promise<void> {
    const toSchedule = new Map<string, Deadline[]>();
    const toCancel = new Map<string, string[]>();
    for (const e of events) {
      if (e.type === 'ModificationRequested') {
        const d = e.data as Data<ModificationRequested>;
        const key = roundKey(d.numeroAsp, d.version);
        toCancel.delete(key);
        toSchedule.set(key, [
          this.deadline('REMINDER', d.numeroAsp, d.version, d.reminderDueAt),
          this.deadline('EXPIRY', d.numeroAsp, d.version, d.expiresAt),
        ]);
      } else if (
        e.type === 'ModificationSubmitted' ||
        e.type === 'ModificationDeclined' ||
        e.type === 'ModificationExpired'
      ) {
        const d = e.data as { numeroAsp: string; version: string };
        const key = roundKey(d.numeroAsp, d.version);
        toSchedule.delete(key);
        toCancel.set(key, [
          deadlineJobId('REMINDER', d.numeroAsp, d.version),
          deadlineJobId('EXPIRY', d.numeroAsp, d.version),
        ]);
      }
    }
    for (const deadline of [...toSchedule.values()].flat()) {
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

  private deadline(kind: DeadlineKind, numeroAsp: string, version: string, dueAt: string): Deadline {
    return { jobId: deadlineJobId(kind, numeroAsp, version), numeroAsp, version, kind, dueAt };
  }

  private async cancelRound(tx: SqlExecutor, numeroAsp: string, version: string, at: string): Promise<void> {
    await tx.query(
      `UPDATE deadlines SET status = 'CANCELLED', cancelled_at = $3, not_before = NULL
        WHERE numero_asp = $1 AND version = $2 AND status = 'PENDING'`,
      [numeroAsp, version, at],
    );
  }

  // Unconditional on status: the event is the fact. A row the firer marked CANCELLED after a 'noop'
  // (or that a race left PENDING) still ends FIRED when the event says so.
  private async markFired(
    tx: SqlExecutor,
    kind: DeadlineKind,
    numeroAsp: string,
    version: string,
    at: string,
  ): Promise<void> {
    await tx.query(
      `UPDATE deadlines SET status = 'FIRED', fired_at = COALESCE(fired_at, $2), cancelled_at = NULL, not_before = NULL
        WHERE job_id = $1`,
      [deadlineJobId(kind, numeroAsp, version), at],
    );
  }
}
