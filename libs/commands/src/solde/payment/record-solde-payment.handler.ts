import { CommandHandler } from '@nestjs/cqrs';
import { DossierCommandHandler } from '../../dossier/dossier-command.handler';
import { RecordSoldePaymentCommand } from './record-solde-payment.command';

@CommandHandler(RecordSoldePaymentCommand)
export class RecordSoldePaymentHandler extends DossierCommandHandler<RecordSoldePaymentCommand> {}
