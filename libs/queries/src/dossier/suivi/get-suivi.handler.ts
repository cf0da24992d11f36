import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { SUIVI_PROJECTION, getSuivi, type SuiviPage } from '@segur/projections';
import { dossierNotFound } from '../../not-found';
import { ReadModelHandler } from '../../read-model.handler';
import { GetSuiviQuery } from './get-suivi.query';

@QueryHandler(GetSuiviQuery)
export class GetSuiviHandler extends ReadModelHandler implements IQueryHandler<GetSuiviQuery, SuiviPage> {
  async execute({ numeroAsp, principal, minPosition }: GetSuiviQuery): Promise<SuiviPage> {
    const page = await this.read(minPosition, [SUIVI_PROJECTION], (sql) =>
      getSuivi(sql, numeroAsp, principal),
    );
    if (!page) throw dossierNotFound(numeroAsp);
    return page;
  }
}
