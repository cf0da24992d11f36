import { Query } from '@nestjs/cqrs';
import type { QuarantineEntry, QuarantineFilter } from '@segur/projections';

/** Les événements qu’une projection n’a pas pu appliquer : en échec, en quarantaine, retenus. */
export class ListQuarantineQuery extends Query<{ entries: QuarantineEntry[] }> {
  constructor(readonly filter: QuarantineFilter = {}) {
    super();
  }
}
