import { DossierBusCommand } from '../../dossier/dossier-bus-command';

/** L’avance d’un dossier est payée (« Paiement effectué »). */
export class RecordAvancePaymentCommand extends DossierBusCommand<'RecordAvancePayment'> {
  readonly type = 'RecordAvancePayment' as const;
}
