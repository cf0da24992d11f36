import type { Principal } from '@segur/auth';
import type { AsOfMarker, AsOfPoint, VersionView } from '@segur/projections';
import { ReadQuery } from '../../read-query';

/** L’Historique d’un dossier : chaque version, ce qui a changé, qui, quand, et son issue (ou tel qu’à un instant). */
export class GetVersionsQuery extends ReadQuery<{
  numeroAsp: string;
  versions: VersionView[];
  asOf?: AsOfMarker;
}> {
  constructor(
    readonly numeroAsp: string,
    principal: Principal,
    minPosition?: string,
    readonly asOf?: AsOfPoint,
  ) {
    super(principal, minPosition);
  }
}
