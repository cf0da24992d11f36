import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { canSeeSiret } from '@segur/auth';
import type { SqlClient } from '@segur/event-store';
import { Refusal } from '@segur/kernel';
import { SQL_CLIENT } from '@segur/platform';
import { getFournisseur } from '@segur/projections';
import { fournisseurView, type FournisseurView } from '../fournisseur-view';
import { GetFournisseurQuery } from './get-fournisseur.query';

/** An unknown SIRET and another fournisseur's answer alike (tenancy). */
@QueryHandler(GetFournisseurQuery)
export class GetFournisseurHandler implements IQueryHandler<GetFournisseurQuery, FournisseurView> {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  async execute({ siret, principal }: GetFournisseurQuery): Promise<FournisseurView> {
    const f =
      /^\d{14}$/.test(siret) && canSeeSiret(principal, siret) ? await getFournisseur(this.sql, siret) : null;
    if (f === null)
      throw new Refusal('not-found', 'INTROUVABLE', `fournisseur ${siret.slice(0, 20)} introuvable`);
    return fournisseurView(f, principal);
  }
}
