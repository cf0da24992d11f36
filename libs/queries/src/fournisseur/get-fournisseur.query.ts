import { Query } from '@nestjs/cqrs';
import type { Principal } from '@segur/auth';
import type { FournisseurView } from '../fournisseur-view';

/** L’enrôlement d’un fournisseur, pour le back office ou pour le fournisseur lui-même. */
export class GetFournisseurQuery extends Query<FournisseurView> {
  constructor(
    readonly siret: string,
    readonly principal: Principal,
  ) {
    super();
  }
}
