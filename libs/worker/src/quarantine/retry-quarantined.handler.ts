import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Refusal } from '@segur/kernel';
import { INFRA, type Infrastructure } from '@segur/platform';
import {
  retryAllQuarantined,
  retryQuarantined,
  type Projection,
  type RetryOutcome,
} from '@segur/projections';
import { NO_TIMERS, buildProjections } from '../projections';
import { RetryQuarantinedCommand } from './retry-quarantined.command';

const ENTRY_ID = /^\d{1,18}$/;

/**
 * Runs in the process that asks (the API or the CLI), not in the worker: the retry's transaction
 * locks the projection's checkpoint row, which serialises it with the runner wherever that runs.
 * Side effects after commit (timers, the mail loop's wake-up) are not run here: the deadlines
 * reconciler and the outbox loop pick up the rows the retry wrote.
 */
@CommandHandler(RetryQuarantinedCommand)
export class RetryQuarantinedHandler implements ICommandHandler<
  RetryQuarantinedCommand,
  { outcomes: RetryOutcome[] }
> {
  private readonly projections: Projection[];

  constructor(@Inject(INFRA) private readonly infra: Infrastructure) {
    this.projections = buildProjections(infra.config, { scheduler: NO_TIMERS, logger: infra.logger });
  }

  async execute({ target, actor }: RetryQuarantinedCommand): Promise<{ outcomes: RetryOutcome[] }> {
    const { sql, store, clock, logger } = this.infra;
    if (target !== 'all' && !ENTRY_ID.test(target))
      throw new Refusal(
        'invalid',
        'QUARANTAINE_ID_INVALIDE',
        `Numéro d’entrée de quarantaine invalide : « ${target} »`,
      );
    const outcomes =
      target === 'all'
        ? await retryAllQuarantined(sql, store, this.projections, clock)
        : [await retryQuarantined(sql, store, this.projections, target, clock)];
    for (const o of outcomes) logger.warn({ actor, ...o }, 'quarantaine : nouvel essai');
    return { outcomes };
  }
}
