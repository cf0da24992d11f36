import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Refusal } from '@segur/kernel';
import { InvalidCursorError, LISTS_PROJECTION, listDossiers, type DossierListPage } from '@segur/projections';
import { ReadModelHandler } from '../../read-model.handler';
import { ListDossiersQuery } from './list-dossiers.query';

@QueryHandler(ListDossiersQuery)
export class ListDossiersHandler
  extends ReadModelHandler
  implements IQueryHandler<ListDossiersQuery, DossierListPage>
{
  async execute({ filters, principal, minPosition }: ListDossiersQuery): Promise<DossierListPage> {
    try {
      return await this.read(minPosition, [LISTS_PROJECTION], (sql) => listDossiers(sql, filters, principal));
    } catch (e) {
      if (e instanceof InvalidCursorError)
        throw new Refusal('invalid', 'CURSEUR_INVALIDE', 'cursor : curseur invalide');
      throw e;
    }
  }
}
