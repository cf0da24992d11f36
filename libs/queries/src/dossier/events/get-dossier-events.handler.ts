import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { dossierStreamId } from '@segur/domain';
import type { EventStore, RecordedEvent } from '@segur/event-store';
import { EVENT_STORE } from '@segur/platform';
import { dossierNotFound } from '../../not-found';
import { GetDossierEventsQuery } from './get-dossier-events.query';

/** Read from the stream itself: an audit trusts no read model. */
@QueryHandler(GetDossierEventsQuery)
export class GetDossierEventsHandler implements IQueryHandler<
  GetDossierEventsQuery,
  { numeroAsp: string; events: RecordedEvent[] }
> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ numeroAsp, filter }: GetDossierEventsQuery) {
    const events = await this.store.readStream(dossierStreamId(numeroAsp));
    if (events.length === 0) throw dossierNotFound(numeroAsp);
    const { types, from, to } = filter;
    return {
      numeroAsp,
      events: events.filter((e) => {
        const t = Date.parse(e.recordedAt);
        return (!types || types.has(e.type)) && (from === null || t >= from) && (to === null || t <= to);
      }),
    };
  }
}
