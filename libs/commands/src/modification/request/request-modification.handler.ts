import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import type { RequestModification } from '@segur/domain';
import type { Clock } from '@segur/kernel';
import { APP_CONFIG, CLOCK, type AppConfig } from '@segur/platform';
import { DossierCommandHandler } from '../../dossier/dossier-command.handler';
import { CommandPipeline } from '../../pipeline/command-pipeline';
import { RequestModificationCommand } from './request-modification.command';

/** The round's J+10 and J+20 come from configuration, so that the decider writes them into the event. */
@CommandHandler(RequestModificationCommand)
export class RequestModificationHandler extends DossierCommandHandler<RequestModificationCommand> {
  constructor(
    pipeline: CommandPipeline,
    @Inject(CLOCK) clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super(pipeline, clock);
  }

  protected override toDomain(command: RequestModificationCommand, at: string): RequestModification {
    return {
      type: 'RequestModification',
      data: {
        ...command.data,
        reminderAfter: this.config.modificationReminderAfter,
        expiryAfter: this.config.modificationExpiryAfter,
      },
      actor: command.issuer.actor,
      at,
    };
  }
}
