import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  fournisseurStreamId,
  type FournisseurEnrolled,
  type FournisseurEnrolmentChanged,
} from '@segur/domain';
import type { EventStore } from '@segur/event-store';
import { Refusal } from '@segur/kernel';
import { EVENT_STORE } from '@segur/platform';
import { GetEnrolmentHistoryQuery, type EnrolmentHistoryEntry } from './get-enrolment-history.query';

/** Read from the fournisseur's stream itself: the history is the events, oldest first. */
@QueryHandler(GetEnrolmentHistoryQuery)
export class GetEnrolmentHistoryHandler implements IQueryHandler<
  GetEnrolmentHistoryQuery,
  EnrolmentHistoryEntry[]
> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ siret }: GetEnrolmentHistoryQuery): Promise<EnrolmentHistoryEntry[]> {
    const events = /^\d{14}$/.test(siret) ? await this.store.readStream(fournisseurStreamId(siret)) : [];
    if (events.length === 0)
      throw new Refusal(
        'not-found',
        'INTROUVABLE',
        `historique d’enrôlement ${siret.slice(0, 20)} introuvable`,
      );
    return events.flatMap((e): EnrolmentHistoryEntry[] => {
      const actor = { id: e.metadata.actor.id, role: e.metadata.actor.role };
      if (e.type === 'FournisseurEnrolled') {
        const d = e.data as FournisseurEnrolled['data'];
        const changes = Object.entries(d.values).map(([field, to]) => ({ field, from: null, to }));
        return [{ at: d.enrolledAt, type: e.type, actor, changes }];
      }
      if (e.type === 'FournisseurEnrolmentChanged') {
        const d = e.data as FournisseurEnrolmentChanged['data'];
        return [{ at: d.changedAt, type: e.type, actor, changes: d.changes }];
      }
      return [];
    });
  }
}
