import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { INFRA, type Infrastructure } from '@segur/platform';
import { listQuarantine, type QuarantineEntry } from '@segur/projections';
import { ListQuarantineQuery } from './list-quarantine.query';

@QueryHandler(ListQuarantineQuery)
export class ListQuarantineHandler implements IQueryHandler<
  ListQuarantineQuery,
  { entries: QuarantineEntry[] }
> {
  constructor(@Inject(INFRA) private readonly infra: Infrastructure) {}

  async execute({ filter }: ListQuarantineQuery): Promise<{ entries: QuarantineEntry[] }> {
    return { entries: await listQuarantine(this.infra.sql, filter) };
  }
}
