import { Command } from '@nestjs/cqrs';
import type { PrefetchedStates } from '@segur/commands';
import type { BatchContext, Deadline, FireOutcome } from '@segur/scheduling';

/**
 * A batch of due reminders / expiries, claimed by the scheduler: fired at once, decided on one
 * read of their dossiers and appended in one commit (inside the claim's transaction when there is
 * one). Answers each deadline's outcome by job id.
 */
export class FireDueDeadlinesCommand extends Command<Map<string, FireOutcome>> {
  constructor(
    readonly deadlines: readonly Deadline[],
    readonly context: BatchContext | undefined,
    /** States folded ahead of the due time (the worker's prefetch), used inside a transaction. */
    readonly prefetched: PrefetchedStates | undefined,
  ) {
    super();
  }
}
