import type { Logger } from 'pino';
import { OutboxProjection } from '@segur/notifications';
import { createReadModelProjections, type Projection } from '@segur/projections';
import { DeadlinesProjection, type Scheduler } from '@segur/scheduling';
import type { AppConfig } from '@segur/platform';

export interface ProjectionDeps {
  scheduler: Scheduler;
  onEmailQueued?: () => void;
  logger: Logger;
}

/** The one list of projections, for the worker and for `cli rebuild`. */
export const buildProjections = (config: AppConfig, deps: ProjectionDeps): Projection[] => [
  ...createReadModelProjections({ couloirs: config.couloirs }),
  new DeadlinesProjection(deps.scheduler, deps.logger.child({ component: 'echeances' })),
  new OutboxProjection({
    publicUrl: config.publicUrl,
    couloirs: config.couloirs,
    ...(deps.onEmailQueued ? { onQueued: deps.onEmailQueued } : {}),
    logger: deps.logger.child({ component: 'outbox' }),
  }),
];

/** A rebuild replays `apply` only, never `afterCommit`: timers are not re-armed by it. */
export const NO_TIMERS: Scheduler = {
  schedule: async () => undefined,
  cancel: async () => undefined,
  start: async () => undefined,
  stop: async () => undefined,
};
