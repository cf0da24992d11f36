import { CommandHandler, type ICommandHandler, Command } from '@nestjs/cqrs';
import type { DossierCommand } from '@segur/domain';
import { commandDuration, eventsAppended } from '../observability/metrics';
import { DossierCommandService, type CommandContext, type CommandOutcome } from './dossier-command.service';

/** The CommandBus message: one shape for every dossier command, decided by the one decider. */
export class ExecuteDossierCommand extends Command<CommandOutcome> {
  constructor(
    readonly command: DossierCommand,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ExecuteDossierCommand)
export class ExecuteDossierCommandHandler implements ICommandHandler<ExecuteDossierCommand, CommandOutcome> {
  constructor(private readonly service: DossierCommandService) {}

  async execute({ command, context }: ExecuteDossierCommand): Promise<CommandOutcome> {
    const end = commandDuration.startTimer({ type: command.type });
    try {
      const outcome = await this.service.execute(command, context);
      end({ outcome: outcome.events.length > 0 ? 'accepted' : 'unchanged' });
      for (const e of outcome.events) eventsAppended.inc({ type: e.type });
      return outcome;
    } catch (e) {
      end({ outcome: 'refused' });
      throw e;
    }
  }
}
