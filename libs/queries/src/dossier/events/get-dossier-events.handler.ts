import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { dossierStreamId } from '@segur/domain';
import type { EventStore, RecordedEvent } from '@segur/event-store';
import { EVENT_STORE } from '@segur/platform';
import type { AsOfMarker } from '@segur/projections';
import { dossierNotFound } from '../../not-found';
import { DossierHistoryReader } from '../as-of/dossier-history.reader';
import { GetDossierEventsQuery } from './get-dossier-events.query';

type Trail = { numeroAsp: string; events: RecordedEvent[]; asOf?: AsOfMarker };

/** Read from the stream itself: an audit trusts no read model. */
@QueryHandler(GetDossierEventsQuery)
export class GetDossierEventsHandler implements IQueryHandler<GetDossierEventsQuery, Trail> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly history: DossierHistoryReader,
  ) {}

  async execute({ numeroAsp, filter, asOf }: GetDossierEventsQuery): Promise<Trail> {
    const then = asOf === undefined ? null : await this.history.read(numeroAsp, asOf);
    const events = then?.events ?? (await this.store.readStream(dossierStreamId(numeroAsp)));
    if (events.length === 0) throw dossierNotFound(numeroAsp);
    const { types, from, to } = filter;
    return {
      numeroAsp,
      events: events.filter((e) => {
        const t = Date.parse(e.recordedAt);
        return (!types || types.has(e.type)) && (from === null || t >= from) && (to === null || t <= to);
      }),
      ...(then ? { asOf: then.asOf } : {}),
    };
  }
}
