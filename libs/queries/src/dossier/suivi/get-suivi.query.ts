import type { Principal } from '@segur/auth';
import type { SuiviPage } from '@segur/projections';
import { ReadQuery } from '../../read-query';

/** La page de suivi d’un dossier : récapitulatif, version actuelle, pièces, courriels, bandeau, brouillon. */
export class GetSuiviQuery extends ReadQuery<SuiviPage> {
  constructor(
    readonly numeroAsp: string,
    principal: Principal,
    minPosition?: string,
  ) {
    super(principal, minPosition);
  }
}
