import { CommandHandler } from '@nestjs/cqrs';
import { DossierCommandHandler } from '../../dossier/dossier-command.handler';
import { RejectSoldeCommand } from './reject-solde.command';

@CommandHandler(RejectSoldeCommand)
export class RejectSoldeHandler extends DossierCommandHandler<RejectSoldeCommand> {}
