import { DossierBusCommand } from '../../dossier/dossier-bus-command';

/** Le gestionnaire rejette le solde, avec un motif. */
export class RejectSoldeCommand extends DossierBusCommand<'RejectSolde'> {
  readonly type = 'RejectSolde' as const;
}
