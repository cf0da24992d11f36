import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { SqlClient } from '@segur/event-store';
import { SQL_CLIENT } from '@segur/platform';
import { SUIVI_PROJECTION, getSuivi, type SuiviPage } from '@segur/projections';
import { dossierNotFound } from '../../not-found';
import { ReadYourWrites } from '../../read-your-writes';
import { GetSuiviQuery } from './get-suivi.query';

@QueryHandler(GetSuiviQuery)
export class GetSuiviHandler implements IQueryHandler<GetSuiviQuery, SuiviPage> {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    private readonly ryw: ReadYourWrites,
  ) {}

  async execute({ numeroAsp, principal, minPosition }: GetSuiviQuery): Promise<SuiviPage> {
    await this.ryw.waitFor(minPosition, [SUIVI_PROJECTION]);
    const page = await getSuivi(this.sql, numeroAsp, principal);
    if (!page) throw dossierNotFound(numeroAsp);
    return page;
  }
}
