import { CommandHandler } from '@nestjs/cqrs';
import { DossierCommandHandler } from '../../dossier/dossier-command.handler';
import { EditModificationDraftCommand } from './edit-modification-draft.command';

@CommandHandler(EditModificationDraftCommand)
export class EditModificationDraftHandler extends DossierCommandHandler<EditModificationDraftCommand> {}
