import { CommandHandler } from '@nestjs/cqrs';
import { DossierCommandHandler } from '../../dossier/dossier-command.handler';
import { RecordAvancePaymentCommand } from './record-avance-payment.command';

@CommandHandler(RecordAvancePaymentCommand)
export class RecordAvancePaymentHandler extends DossierCommandHandler<RecordAvancePaymentCommand> {}
