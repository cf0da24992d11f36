import { CommandHandler } from '@nestjs/cqrs';
import { DossierCommandHandler } from '../../dossier/dossier-command.handler';
import { DeclineModificationCommand } from './decline-modification.command';

@CommandHandler(DeclineModificationCommand)
export class DeclineModificationHandler extends DossierCommandHandler<DeclineModificationCommand> {}
