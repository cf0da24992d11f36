import { DOSSIER_EVENT_TYPES } from '@segur/domain';
import type { RecordedEvent } from '@segur/event-store';
import { toCsv } from '@segur/projections';

/** The timeline's filters, from the GET form (`?type=…&acteur=…`): unknown values are ignored. */
export interface JournalFilter {
  type: string | null;
  /** `role:id` of an actor, as the form's list offers them. */
  acteur: string | null;
}

const ACTEUR = /^[a-z]{1,20}:[^\s]{1,200}$/;

export const journalFilterOf = (query: Record<string, unknown>): JournalFilter => {
  const type = typeof query.type === 'string' ? query.type : '';
  const acteur = typeof query.acteur === 'string' ? query.acteur : '';
  return {
    type: (DOSSIER_EVENT_TYPES as readonly string[]).includes(type) ? type : null,
    acteur: ACTEUR.test(acteur) ? acteur : null,
  };
};

export const acteurKey = (e: RecordedEvent): string => `${e.metadata.actor.role}:${e.metadata.actor.id}`;

/** The type filter is the query's own (`types`); the actor is matched here on the events read. */
export const byActeur = (events: readonly RecordedEvent[], filter: JournalFilter): RecordedEvent[] =>
  filter.acteur === null ? [...events] : events.filter((e) => acteurKey(e) === filter.acteur);

/** The same query string, for the export links: what is exported is what is shown. */
export const journalQueryString = (filter: JournalFilter): string => {
  const q = new URLSearchParams();
  if (filter.type) q.set('type', filter.type);
  if (filter.acteur) q.set('acteur', filter.acteur);
  const s = q.toString();
  return s ? `?${s}` : '';
};

/** CSV of the timeline, the reporting CSV's dialect (`;`, CRLF, BOM): one line per event, data as JSON. */
export const journalCsv = (events: readonly RecordedEvent[]): string =>
  toCsv(events, [
    { header: 'Position', value: (e) => e.position },
    { header: 'Version du flux', value: (e) => e.streamVersion, type: 'integer' },
    { header: 'Enregistré le', value: (e) => e.recordedAt },
    { header: 'Type', value: (e) => e.type },
    { header: 'Acteur', value: (e) => e.metadata.actor.id },
    { header: 'Rôle', value: (e) => e.metadata.actor.role },
    { header: 'Corrélation', value: (e) => e.metadata.correlationId },
    { header: 'Cause', value: (e) => e.metadata.causationId },
    { header: 'Identifiant', value: (e) => e.id },
    { header: 'Données', value: (e) => JSON.stringify(e.data) },
  ]);
