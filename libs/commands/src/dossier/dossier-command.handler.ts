import { Inject } from '@nestjs/common';
import type { DossierCommand, DossierCommandType } from '@segur/domain';
import type { Clock } from '@segur/kernel';
import { CLOCK } from '@segur/platform';
import type { CommandOutcome } from '../pipeline/command-outcome';
import { CommandPipeline } from '../pipeline/command-pipeline';
import type { DossierBusCommand } from './dossier-bus-command';

/**
 * What every one-dossier handler does: the domain command at the handler's instant, through the
 * one-dossier pipeline. A use case overrides `toDomain` only to add configuration, `instant` only
 * when its time is not the process clock's (timers decide at the database's).
 */
export abstract class DossierCommandHandler<C extends DossierBusCommand<DossierCommandType, unknown>> {
  constructor(
    protected readonly pipeline: CommandPipeline,
    @Inject(CLOCK) protected readonly clock: Clock,
  ) {}

  async execute(command: C): Promise<CommandOutcome> {
    const at = await this.instant();
    return this.pipeline.execute(this.toDomain(command, at), command.issuer.context);
  }

  protected instant(): Promise<string> {
    return Promise.resolve(this.clock.now().toISOString());
  }

  protected toDomain(command: C, at: string): DossierCommand {
    return { type: command.type, data: command.data, actor: command.issuer.actor, at } as DossierCommand;
  }
}
