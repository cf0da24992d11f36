import { Query } from '@nestjs/cqrs';
import type { DeadlineRow, ListDeadlinesFilter } from '@segur/scheduling';

/** Relances (J+10) et expirations (J+20) : en attente, déclenchées, annulées, échues. */
export class ListDeadlinesQuery extends Query<{ deadlines: DeadlineRow[] }> {
  constructor(
    readonly filter: ListDeadlinesFilter,
    readonly minPosition?: string,
  ) {
    super();
  }
}
