import type { CommandBus } from '@nestjs/cqrs';
import type { DossierDecider } from '@segur/domain';
import type { EventStore, SqlClient } from '@segur/event-store';
import type { DeadlineBatchFirer, DeadlineFirer } from '@segur/scheduling';
import type { DossierCommandService } from '../commands/dossier-command.service';
import { recordCommandsInBulk } from '../imports/command-log.bulk';
import { createDeadlineBatchFirer } from './deadline-batch-firer';
import { createDeadlineFirer, databaseNow } from './deadline-firer';

export interface DeadlineFirersDeps {
  sql: SqlClient;
  store: EventStore;
  decider: DossierDecider;
  commands: DossierCommandService;
  bus: Pick<CommandBus, 'execute'>;
  onLogError?: (error: unknown) => void;
}

/**
 * The worker's two firers, built in one place so that the benchmark fires through exactly what
 * production runs: the per-deadline CommandBus path (the reconciler's stragglers, conflicts) and the
 * batch firer that a claimed batch goes through.
 */
export const createDeadlineFirers = (
  deps: DeadlineFirersDeps,
): { firer: DeadlineFirer; batchFirer: DeadlineBatchFirer } => {
  const firer = createDeadlineFirer(deps.bus, deps.sql);
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
  });
  return { firer, batchFirer };
};

/**
 * Rows claimed per batch and batches in flight. A burst drains at the pace of commits and of the
 * claim's row locks, not of CPU: bigger batches cut commits, a few lanes overlap one batch's
 * decisions with another's writes; more lanes only contend on the claim.
 */
export const DEADLINE_BATCHING = {
  bullmq: { batchSize: 1_000, concurrency: 8 },
  embedded: { batchSize: 1_000, concurrency: 6 },
} as const;
