import type { CommandBus } from '@nestjs/cqrs';
import type { DossierDecider } from '@segur/domain';
import { joinsTransactions, type EventStore, type SqlClient } from '@segur/event-store';
import type { DeadlineBatchFirer, DeadlineFirer, Logger } from '@segur/scheduling';
import type { DossierCommandService } from '../commands/dossier-command.service';
import { recordCommandsInBulk } from '../imports/command-log.bulk';
import { createDeadlineBatchFirer } from './deadline-batch-firer';
import { createDeadlineFirer, databaseNow } from './deadline-firer';
import { DeadlinePrefetch, type DeadlinePrefetchOptions } from './deadline-prefetch';

export interface DeadlineFirersDeps {
  sql: SqlClient;
  store: EventStore;
  decider: DossierDecider;
  commands: DossierCommandService;
  bus: Pick<CommandBus, 'execute'>;
  onLogError?: (error: unknown) => void;
  /** The prefetch's settings (see DeadlinePrefetch), or false for none. */
  prefetch?: Pick<DeadlinePrefetchOptions, 'lookaheadMs' | 'maxEntries' | 'intervalMs' | 'pageSize'> | false;
  logger?: Logger;
}

/**
 * The worker's two firers, built in one place so that the benchmark fires through exactly what
 * production runs: the per-deadline CommandBus path (the reconciler's stragglers, conflicts) and the
 * batch firer that a claimed batch goes through, with the prefetch of the states it decides on
 * (started and stopped by the firers' owner, with its scheduler; null when the store does not join
 * transactions, where the version check it relies on is not available).
 */
export const createDeadlineFirers = (
  deps: DeadlineFirersDeps,
): { firer: DeadlineFirer; batchFirer: DeadlineBatchFirer; prefetch: DeadlinePrefetch | null } => {
  const firer = createDeadlineFirer(deps.bus, deps.sql);
  const prefetch =
    deps.prefetch !== false && joinsTransactions(deps.store)
      ? new DeadlinePrefetch({
          sql: deps.sql,
          store: deps.store,
          decider: deps.decider,
          ...deps.prefetch,
          logger: deps.logger,
        })
      : null;
  const batchFirer = createDeadlineBatchFirer({
    store: deps.store,
    decider: deps.decider,
    commands: deps.commands,
    now: () => databaseNow(deps.sql),
    // In the claim's transaction the entries' ids are the batch's new command ids: no ON CONFLICT.
    recordLog: (entries, tx) =>
      tx ? recordCommandsInBulk(tx, entries, { freshIds: true }) : recordCommandsInBulk(deps.sql, entries),
    fallback: firer,
    onLogError: deps.onLogError,
    prefetched: prefetch ?? undefined,
  });
  return { firer, batchFirer, prefetch };
};

/**
 * Rows claimed per batch and batches in flight. A burst drains at the pace of commits and of the
 * claim's row locks, not of CPU: bigger batches cut commits, a few lanes overlap one batch's
 * decisions with another's writes; more lanes only contend on the claim. BullMQ's `concurrency` is
 * its jobs in flight, which only wait for the drain (see DeadlineDrain).
 */
export const DEADLINE_BATCHING = {
  bullmq: { batchSize: 1_000, drainConcurrency: 6, concurrency: 8 },
  embedded: { batchSize: 1_000, concurrency: 6 },
} as const;
