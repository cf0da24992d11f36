import { CommandHandler } from '@nestjs/cqrs';
import { DossierCommandHandler } from '../../dossier/dossier-command.handler';
import { RecordEmailSentCommand } from './record-email-sent.command';

@CommandHandler(RecordEmailSentCommand)
export class RecordEmailSentHandler extends DossierCommandHandler<RecordEmailSentCommand> {}
