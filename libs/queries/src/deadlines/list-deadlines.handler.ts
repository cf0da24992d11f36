import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { listDeadlines, type DeadlineRow } from '@segur/scheduling';
import { ReadModelHandler } from '../read-model.handler';
import { ListDeadlinesQuery } from './list-deadlines.query';

/** The deadlines table itself: the truth of the timers, not a cache of it. */
@QueryHandler(ListDeadlinesQuery)
export class ListDeadlinesHandler
  extends ReadModelHandler
  implements IQueryHandler<ListDeadlinesQuery, { deadlines: DeadlineRow[] }>
{
  async execute({ filter, minPosition }: ListDeadlinesQuery): Promise<{ deadlines: DeadlineRow[] }> {
    const deadlines = await this.read(minPosition, ['deadlines'], (sql) => listDeadlines(sql, filter));
    return { deadlines };
  }
}
