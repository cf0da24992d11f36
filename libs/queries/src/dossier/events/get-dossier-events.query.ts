import { Query } from '@nestjs/cqrs';
import type { RecordedEvent } from '@segur/event-store';

export interface DossierEventsFilter {
  /** Only these event types; null: all. */
  types: ReadonlySet<string> | null;
  /** Recorded at or after / at or before (epoch ms); null: unbounded. */
  from: number | null;
  to: number | null;
}

/** Le journal d’audit d’un dossier : chaque événement avec son enveloppe (qui, quand, corrélation, cause). */
export class GetDossierEventsQuery extends Query<{ numeroAsp: string; events: RecordedEvent[] }> {
  constructor(
    readonly numeroAsp: string,
    readonly filter: DossierEventsFilter,
  ) {
    super();
  }
}
