import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { SqlClient } from '@segur/event-store';
import { Refusal } from '@segur/kernel';
import { SQL_CLIENT } from '@segur/platform';
import { InvalidCursorError, LISTS_PROJECTION, listDossiers, type DossierListPage } from '@segur/projections';
import { ReadYourWrites } from '../../read-your-writes';
import { ListDossiersQuery } from './list-dossiers.query';

@QueryHandler(ListDossiersQuery)
export class ListDossiersHandler implements IQueryHandler<ListDossiersQuery, DossierListPage> {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    private readonly ryw: ReadYourWrites,
  ) {}

  async execute({ filters, principal, minPosition }: ListDossiersQuery): Promise<DossierListPage> {
    await this.ryw.waitFor(minPosition, [LISTS_PROJECTION]);
    try {
      return await listDossiers(this.sql, filters, principal);
    } catch (e) {
      if (e instanceof InvalidCursorError)
        throw new Refusal('invalid', 'CURSEUR_INVALIDE', 'cursor : curseur invalide');
      throw e;
    }
  }
}
