import type { Principal } from '@segur/auth';
import type { DossierListPage, ListFilters } from '@segur/projections';
import { ReadQuery } from '../../read-query';

/** Les dossiers par statut, couloir, phase, échéance dépassée ou recherche (un fournisseur : les siens). */
export class ListDossiersQuery extends ReadQuery<DossierListPage> {
  constructor(
    readonly filters: ListFilters,
    principal: Principal,
    minPosition?: string,
  ) {
    super(principal, minPosition);
  }
}
