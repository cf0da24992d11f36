import type { CommandBus } from '@nestjs/cqrs';
import type { DossierDecider } from '@segur/domain';
import { joinsTransactions, type EventStore, type SqlClient } from '@segur/event-store';
import type { Logger } from '@segur/kernel';
import type { DeadlineBatchFirer, DeadlineFirer } from '@segur/scheduling';
import { DeadlinePrefetch, type DeadlinePrefetchOptions } from '../deadline-prefetch';
import { deadlineBusCommand, fireOutcomeOfError } from './deadline-commands';
import { FireDueDeadlinesCommand } from './fire-due-deadlines.command';

export interface DeadlineFirersDeps {
  sql: SqlClient;
  store: EventStore;
  decider: DossierDecider;
  bus: Pick<CommandBus, 'execute'>;
  /** The prefetch's settings (see DeadlinePrefetch), or false for none. */
  prefetch?: Pick<DeadlinePrefetchOptions, 'lookaheadMs' | 'maxEntries' | 'intervalMs' | 'pageSize'> | false;
  logger?: Logger;
}

/**
 * The worker's two firers, both dispatching through the CommandBus, built in one place so that the
 * benchmark fires through exactly what production runs: one deadline at a time (the reconciler's
 * stragglers) and a claimed batch at once, with the prefetch of the states it decides on (started
 * and stopped by the firers' owner, with its scheduler; null when the store does not join
 * transactions, where the version check it relies on is not available).
 */
export const createDeadlineFirers = (
  deps: DeadlineFirersDeps,
): { firer: DeadlineFirer; batchFirer: DeadlineBatchFirer; prefetch: DeadlinePrefetch | null } => {
  const firer: DeadlineFirer = async (d) => {
    try {
      const outcome = await deps.bus.execute(deadlineBusCommand(d));
      return outcome.events.length > 0 ? 'fired' : 'noop';
    } catch (e) {
      return fireOutcomeOfError(e);
    }
  };
  const transactional = joinsTransactions(deps.store);
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
  const batchFirer: DeadlineBatchFirer = Object.assign(
    (deadlines: Parameters<DeadlineBatchFirer>[0], context: Parameters<DeadlineBatchFirer>[1]) =>
      deps.bus.execute(new FireDueDeadlinesCommand(deadlines, context, prefetch ?? undefined)),
    { transactional },
  );
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
