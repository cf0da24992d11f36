import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { SqlClient } from '@segur/event-store';
import { SQL_CLIENT } from '@segur/platform';
import {
  SUIVI_PROJECTION,
  getSuivi,
  suiviPageAsOf,
  type AsOfMarker,
  type SuiviPage,
} from '@segur/projections';
import { dossierNotFound } from '../../not-found';
import { ReadModelHandler } from '../../read-model.handler';
import { ReadYourWrites } from '../../read-your-writes';
import { DossierHistoryReader } from '../as-of/dossier-history.reader';
import { GetSuiviQuery } from './get-suivi.query';

@QueryHandler(GetSuiviQuery)
export class GetSuiviHandler
  extends ReadModelHandler
  implements IQueryHandler<GetSuiviQuery, SuiviPage & { asOf?: AsOfMarker }>
{
  constructor(
    @Inject(SQL_CLIENT) sql: SqlClient,
    ryw: ReadYourWrites,
    private readonly history: DossierHistoryReader,
  ) {
    super(sql, ryw);
  }

  async execute({
    numeroAsp,
    principal,
    minPosition,
    asOf,
  }: GetSuiviQuery): Promise<SuiviPage & { asOf?: AsOfMarker }> {
    if (asOf !== undefined) {
      const then = await this.history.read(numeroAsp, asOf);
      const page = await suiviPageAsOf(
        numeroAsp,
        then.events,
        principal,
        (s) => this.history.fournisseur(s),
        {
          couloirs: this.history.couloirs,
        },
      );
      if (!page) throw dossierNotFound(numeroAsp);
      return { ...page, asOf: then.asOf };
    }
    const page = await this.read(minPosition, [SUIVI_PROJECTION], (sql) =>
      getSuivi(sql, numeroAsp, principal),
    );
    if (!page) throw dossierNotFound(numeroAsp);
    return page;
  }
}
