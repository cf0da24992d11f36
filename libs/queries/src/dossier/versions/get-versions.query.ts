import type { Principal } from '@segur/auth';
import type { VersionView } from '@segur/projections';
import { ReadQuery } from '../../read-query';

/** L’Historique d’un dossier : chaque version, ce qui a changé, qui, quand, et son issue. */
export class GetVersionsQuery extends ReadQuery<{ numeroAsp: string; versions: VersionView[] }> {
  constructor(
    readonly numeroAsp: string,
    principal: Principal,
    minPosition?: string,
  ) {
    super(principal, minPosition);
  }
}
