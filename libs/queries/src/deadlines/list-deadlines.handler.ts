import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { SqlClient } from '@segur/event-store';
import { Refusal } from '@segur/kernel';
import { SQL_CLIENT } from '@segur/platform';
import type { AsOfMarker } from '@segur/projections';
import { deadlinesAsOf, listDeadlines, type DeadlineRow } from '@segur/scheduling';
import { DossierHistoryReader } from '../dossier/as-of/dossier-history.reader';
import { ReadModelHandler } from '../read-model.handler';
import { ReadYourWrites } from '../read-your-writes';
import { ListDeadlinesQuery } from './list-deadlines.query';

type Deadlines = { deadlines: DeadlineRow[]; asOf?: AsOfMarker };

/** The deadlines table itself: the truth of the timers, not a cache of it. */
@QueryHandler(ListDeadlinesQuery)
export class ListDeadlinesHandler
  extends ReadModelHandler
  implements IQueryHandler<ListDeadlinesQuery, Deadlines>
{
  constructor(
    @Inject(SQL_CLIENT) sql: SqlClient,
    ryw: ReadYourWrites,
    private readonly history: DossierHistoryReader,
  ) {
    super(sql, ryw);
  }

  async execute({ filter, minPosition, asOf }: ListDeadlinesQuery): Promise<Deadlines> {
    if (asOf !== undefined) {
      const { numeroAsp, ...rest } = filter;
      // A past state is folded from one dossier's stream; the whole table's past is not kept.
      if (numeroAsp === undefined)
        throw new Refusal(
          'invalid',
          'REQUETE_INVALIDE',
          'asOf / atPosition : précisez numeroAsp (un dossier)',
        );
      const then = await this.history.read(numeroAsp, asOf);
      return { deadlines: deadlinesAsOf(numeroAsp, then.events, rest), asOf: then.asOf };
    }
    const deadlines = await this.read(minPosition, ['deadlines'], (sql) => listDeadlines(sql, filter));
    return { deadlines };
  }
}
