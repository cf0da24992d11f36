import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline, databaseNow, type PlannedCommand, type TransactionScope } from '@segur/commands';
import { dossierStreamId } from '@segur/domain';
import { joinsTransactions, type EventStore, type SqlClient } from '@segur/event-store';
import { EVENT_STORE, SQL_CLIENT } from '@segur/platform';
import type { FireOutcome } from '@segur/scheduling';
import { deadlineDomainCommand, fireOutcomeOf } from './deadline-commands';
import { FireDueDeadlinesCommand } from './fire-due-deadlines.command';

/** Decisions per stream outside a claim's transaction (a stream that moved is read again). */
const MAX_ATTEMPTS = 5;

/**
 * A burst of due deadlines (a restart after a stop, many rounds opened by one import) through the
 * many-dossiers pipeline: one read, one append and one command-log statement per batch instead of
 * three round trips per deadline. Same decisions as the one-deadline path: the same decider on a
 * fresh read, the database clock as `at`, actor `planificateur`, correlation `echeance-<jobId>`.
 *
 * A dossier's deadlines are decided in due order on one evolving state: after a long stop its
 * reminder and its expiry may both be due, and the expiry must see the reminder's effect.
 *
 * On a store that joins transactions (PostgreSQL, PGlite) the reads, the append and the command log
 * go through the claim's transaction, which also marks the rows: a batch is fired, logged and marked
 * all at once or not at all. A stream that conflicts there comes back `retry` (backoff): re-deciding
 * it would wait on the concurrent writer inside the claim. Elsewhere a conflicting stream is read
 * and decided again, a few times.
 */
@CommandHandler(FireDueDeadlinesCommand)
export class FireDueDeadlinesHandler implements ICommandHandler<
  FireDueDeadlinesCommand,
  Map<string, FireOutcome>
> {
  constructor(
    private readonly pipeline: CommandPipeline,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
  ) {}

  async execute({
    deadlines,
    context,
    prefetched,
  }: FireDueDeadlinesCommand): Promise<Map<string, FireOutcome>> {
    const outcomes = new Map<string, FireOutcome>();
    if (deadlines.length === 0) return outcomes;
    const at = context?.claimedAt ?? (await databaseNow(this.sql));
    const due = [...deadlines].sort((a, b) => a.dueAt.localeCompare(b.dueAt));
    const planned: PlannedCommand[] = due.map((d) => deadlineDomainCommand(d, at));
    const tx = context?.transaction;
    const transaction: TransactionScope | undefined =
      tx && joinsTransactions(this.store)
        ? { tx, afterCommit: (fn) => (context.afterCommit ? context.afterCommit(fn) : fn()) }
        : undefined;
    const results = await this.pipeline.executeMany(planned, {
      transaction,
      prefetched: transaction ? prefetched : undefined,
      maxAttempts: transaction ? 1 : MAX_ATTEMPTS,
    });
    due.forEach((d, i) => outcomes.set(d.jobId, fireOutcomeOf(results[i]!)));
    // Fired (or moved on): a later deadline of these dossiers is days away, read again by then.
    if (transaction && prefetched)
      transaction.afterCommit(() => prefetched.forget(due.map((d) => dossierStreamId(d.numeroAsp))));
    return outcomes;
  }
}
