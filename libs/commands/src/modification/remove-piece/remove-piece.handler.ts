import { CommandHandler } from '@nestjs/cqrs';
import { DossierCommandHandler } from '../../dossier/dossier-command.handler';
import { RemovePieceCommand } from './remove-piece.command';

@CommandHandler(RemovePieceCommand)
export class RemovePieceHandler extends DossierCommandHandler<RemovePieceCommand> {}
