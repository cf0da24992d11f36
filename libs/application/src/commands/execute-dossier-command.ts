import { CommandHandler, type ICommandHandler, Command } from '@nestjs/cqrs';
import type { DossierCommand } from '@segur/domain';
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

  execute({ command, context }: ExecuteDossierCommand): Promise<CommandOutcome> {
    return this.service.execute(command, context);
  }
}
