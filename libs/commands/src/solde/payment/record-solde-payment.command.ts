import { DossierBusCommand } from '../../dossier/dossier-bus-command';

/** Le solde est payé. */
export class RecordSoldePaymentCommand extends DossierBusCommand<'RecordSoldePayment'> {
  readonly type = 'RecordSoldePayment' as const;
}
