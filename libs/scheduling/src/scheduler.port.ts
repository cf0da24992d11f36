import type { Deadline } from './deadline';

/**
 * A timer cache over the `deadlines` table. `schedule`/`cancel` are hints after a commit: losing one
 * (crash, Redis down) delays nothing for long, because the reconciler (BullMQ) or the table scan
 * (embedded) finds the row again.
 */
export interface Scheduler {
  schedule(deadline: Deadline): Promise<void>;
  cancel(jobId: string): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `fired`: the command was accepted (reminder sent / round expired);
 * `noop`: the dossier already left that round (the decider ignored the command), nothing to do;
 * `retry`: transient failure (conflict, store down), try again later with backoff.
 */
export type FireOutcome = 'fired' | 'noop' | 'retry';

/**
 * Implemented by the application: dispatch `SendModificationReminder` (REMINDER) or
 * `ExpireModification` (EXPIRY) through the CommandBus. Called at least once per deadline, so it must
 * be safe to repeat: the decider ignores a reminder or expiry for a closed round.
 */
export type DeadlineFirer = (deadline: Deadline) => Promise<FireOutcome>;
