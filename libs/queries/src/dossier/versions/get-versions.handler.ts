import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { SqlClient } from '@segur/event-store';
import { SQL_CLIENT } from '@segur/platform';
import { VERSIONS_PROJECTION, getVersions, type VersionView } from '@segur/projections';
import { dossierNotFound } from '../../not-found';
import { ReadYourWrites } from '../../read-your-writes';
import { GetVersionsQuery } from './get-versions.query';

@QueryHandler(GetVersionsQuery)
export class GetVersionsHandler implements IQueryHandler<
  GetVersionsQuery,
  { numeroAsp: string; versions: VersionView[] }
> {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    private readonly ryw: ReadYourWrites,
  ) {}

  async execute({ numeroAsp, principal, minPosition }: GetVersionsQuery) {
    await this.ryw.waitFor(minPosition, [VERSIONS_PROJECTION]);
    const versions = await getVersions(this.sql, numeroAsp, principal);
    if (!versions) throw dossierNotFound(numeroAsp);
    return versions;
  }
}
