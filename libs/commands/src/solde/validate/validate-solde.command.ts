import { DossierBusCommand } from '../../dossier/dossier-bus-command';

/** Le gestionnaire valide le solde avec les montants décidés (la proposition par défaut si absents). */
export class ValidateSoldeCommand extends DossierBusCommand<'ValidateSolde'> {
  readonly type = 'ValidateSolde' as const;
}
