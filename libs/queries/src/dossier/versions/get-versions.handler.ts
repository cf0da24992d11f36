import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { SqlClient } from '@segur/event-store';
import { SQL_CLIENT } from '@segur/platform';
import {
  VERSIONS_PROJECTION,
  getVersions,
  versionsAsOf,
  type AsOfMarker,
  type VersionView,
} from '@segur/projections';
import { dossierNotFound } from '../../not-found';
import { ReadModelHandler } from '../../read-model.handler';
import { ReadYourWrites } from '../../read-your-writes';
import { DossierHistoryReader } from '../as-of/dossier-history.reader';
import { GetVersionsQuery } from './get-versions.query';

type Versions = { numeroAsp: string; versions: VersionView[]; asOf?: AsOfMarker };

@QueryHandler(GetVersionsQuery)
export class GetVersionsHandler
  extends ReadModelHandler
  implements IQueryHandler<GetVersionsQuery, Versions>
{
  constructor(
    @Inject(SQL_CLIENT) sql: SqlClient,
    ryw: ReadYourWrites,
    private readonly history: DossierHistoryReader,
  ) {
    super(sql, ryw);
  }

  async execute({ numeroAsp, principal, minPosition, asOf }: GetVersionsQuery): Promise<Versions> {
    if (asOf !== undefined) {
      const then = await this.history.read(numeroAsp, asOf);
      // As the live read: no Historique (no solde yet, or not the fournisseur's) → 404.
      const versions = versionsAsOf(numeroAsp, then.events, principal);
      if (!versions) throw dossierNotFound(numeroAsp);
      return { ...versions, asOf: then.asOf };
    }
    const versions = await this.read(minPosition, [VERSIONS_PROJECTION], (sql) =>
      getVersions(sql, numeroAsp, principal),
    );
    if (!versions) throw dossierNotFound(numeroAsp);
    return versions;
  }
}
