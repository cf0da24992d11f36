import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { SqlClient } from '@segur/event-store';
import { SQL_CLIENT } from '@segur/platform';
import { listDeadlines, type DeadlineRow } from '@segur/scheduling';
import { ReadYourWrites } from '../read-your-writes';
import { ListDeadlinesQuery } from './list-deadlines.query';

/** The deadlines table itself: the truth of the timers, not a cache of it. */
@QueryHandler(ListDeadlinesQuery)
export class ListDeadlinesHandler implements IQueryHandler<ListDeadlinesQuery, { deadlines: DeadlineRow[] }> {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    private readonly ryw: ReadYourWrites,
  ) {}

  async execute({ filter, minPosition }: ListDeadlinesQuery): Promise<{ deadlines: DeadlineRow[] }> {
    await this.ryw.waitFor(minPosition, ['deadlines']);
    return { deadlines: await listDeadlines(this.sql, filter) };
  }
}
