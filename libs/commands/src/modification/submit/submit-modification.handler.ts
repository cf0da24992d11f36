import { CommandHandler } from '@nestjs/cqrs';
import { DossierCommandHandler } from '../../dossier/dossier-command.handler';
import { SubmitModificationCommand } from './submit-modification.command';

@CommandHandler(SubmitModificationCommand)
export class SubmitModificationHandler extends DossierCommandHandler<SubmitModificationCommand> {}
