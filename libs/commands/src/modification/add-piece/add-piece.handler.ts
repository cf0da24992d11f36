import { CommandHandler } from '@nestjs/cqrs';
import { DossierCommandHandler } from '../../dossier/dossier-command.handler';
import { AddPieceCommand } from './add-piece.command';

@CommandHandler(AddPieceCommand)
export class AddPieceHandler extends DossierCommandHandler<AddPieceCommand> {}
