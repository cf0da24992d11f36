import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { VERSIONS_PROJECTION, getVersions, type VersionView } from '@segur/projections';
import { dossierNotFound } from '../../not-found';
import { ReadModelHandler } from '../../read-model.handler';
import { GetVersionsQuery } from './get-versions.query';

type Versions = { numeroAsp: string; versions: VersionView[] };

@QueryHandler(GetVersionsQuery)
export class GetVersionsHandler
  extends ReadModelHandler
  implements IQueryHandler<GetVersionsQuery, Versions>
{
  async execute({ numeroAsp, principal, minPosition }: GetVersionsQuery): Promise<Versions> {
    const versions = await this.read(minPosition, [VERSIONS_PROJECTION], (sql) =>
      getVersions(sql, numeroAsp, principal),
    );
    if (!versions) throw dossierNotFound(numeroAsp);
    return versions;
  }
}
