import { CommandHandler } from '@nestjs/cqrs';
import { DossierCommandHandler } from '../../dossier/dossier-command.handler';
import { ValidateSoldeCommand } from './validate-solde.command';

@CommandHandler(ValidateSoldeCommand)
export class ValidateSoldeHandler extends DossierCommandHandler<ValidateSoldeCommand> {}
