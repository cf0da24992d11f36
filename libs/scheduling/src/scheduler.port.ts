import type { SqlExecutor } from '@segur/event-store';
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

/**
 * Optional, many deadlines per call: the firer may decide them all and append every resulting event
 * in one commit (`appendMany`), which is what makes a burst of due deadlines drain fast (commits,
 * not CPU, set the pace). Every deadline given should have an outcome; a missing one counts as
 * `retry`. Same repeat-safety as `DeadlineFirer`.
 */
export type DeadlineBatchFirer = ((
  deadlines: readonly Deadline[],
  context?: BatchContext,
) => Promise<Map<string, FireOutcome>>) & {
  /**
   * true: the firer does every read and write of its own through `context.transaction` (its store
   * lives in the deadlines table's database). The claim then only locks the rows in that transaction
   * (no lease written), and the claim, the firer's writes and the rows' marks commit together: a
   * crash anywhere leaves the rows PENDING with nothing fired, free for the next claimer at once.
   */
  readonly transactional?: boolean;
};

export interface BatchContext {
  /**
   * The DATABASE clock when the batch was claimed (ISO instant): every deadline given was due by
   * then, so it is the instant to decide at, without another round trip to ask for it.
   */
  claimedAt: string;
  /** With a `transactional` firer: the claim's transaction, holding the rows' locks. */
  transaction?: SqlExecutor;
  /** With a `transactional` firer: `fn` runs once that transaction committed (wake subscribers). */
  afterCommit?: (fn: () => void) => void;
}

/**
 * A batch firer over a per-deadline one, `concurrency` calls at a time: shares the batched claim
 * and marks, not the appends. Used where the firer itself has no batched append (and in tests).
 */
export const batchFirerFrom =
  (firer: DeadlineFirer, concurrency = 8): DeadlineBatchFirer =>
  async (deadlines) => {
    const outcomes = new Map<string, FireOutcome>();
    let cursor = 0;
    const lane = async (): Promise<void> => {
      while (cursor < deadlines.length) {
        const d = deadlines[cursor++];
        if (!d) return;
        outcomes.set(d.jobId, await firer(d).catch((): FireOutcome => 'retry'));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, deadlines.length) }, lane));
    return outcomes;
  };
