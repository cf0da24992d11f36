import { Query } from '@nestjs/cqrs';
import type { RecordedEvent } from '@segur/event-store';
import type { AsOfMarker, AsOfPoint } from '@segur/projections';

export interface DossierEventsFilter {
  /** Only these event types; null: all. */
  types: ReadonlySet<string> | null;
  /** Recorded at or after / at or before (epoch ms); null: unbounded. */
  from: number | null;
  to: number | null;
}

/** Le journal d’audit d’un dossier : chaque événement avec son enveloppe (qui, quand, corrélation, cause). */
export class GetDossierEventsQuery extends Query<{
  numeroAsp: string;
  events: RecordedEvent[];
  asOf?: AsOfMarker;
}> {
  constructor(
    readonly numeroAsp: string,
    readonly filter: DossierEventsFilter,
    /** The trail as it stood then: the stream up to that point. */
    readonly asOf?: AsOfPoint,
  ) {
    super();
  }
}
