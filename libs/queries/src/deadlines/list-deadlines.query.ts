import { Query } from '@nestjs/cqrs';
import type { AsOfMarker, AsOfPoint } from '@segur/projections';
import type { DeadlineRow, ListDeadlinesFilter } from '@segur/scheduling';

/** Relances (J+10) et expirations (J+20) : en attente, déclenchées, annulées, échues. */
export class ListDeadlinesQuery extends Query<{ deadlines: DeadlineRow[]; asOf?: AsOfMarker }> {
  constructor(
    readonly filter: ListDeadlinesFilter,
    readonly minPosition?: string,
    /** One dossier's deadlines as they were then (needs `filter.numeroAsp`). */
    readonly asOf?: AsOfPoint,
  ) {
    super();
  }
}
