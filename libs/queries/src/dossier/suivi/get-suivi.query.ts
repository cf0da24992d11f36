import type { Principal } from '@segur/auth';
import type { AsOfMarker, AsOfPoint, SuiviPage } from '@segur/projections';
import { ReadQuery } from '../../read-query';

/** La page de suivi d’un dossier, telle qu’aujourd’hui ou telle qu’à un instant (asOf). */
export class GetSuiviQuery extends ReadQuery<SuiviPage & { asOf?: AsOfMarker }> {
  constructor(
    readonly numeroAsp: string,
    principal: Principal,
    minPosition?: string,
    /** The page as it was then, folded from the stream (no read model involved). */
    readonly asOf?: AsOfPoint,
  ) {
    super(principal, minPosition);
  }
}
