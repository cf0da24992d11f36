import { numeroAspOfStream } from '@segur/domain';
import type { RecordedEvent } from '@segur/event-store';

/**
 * A batch's dossier events grouped by numéro ASP, each group in stream order (Map keeps first-seen
 * order): batched projections load every touched row in one query, fold in memory, write once.
 */
export const groupByDossier = (events: readonly RecordedEvent[]): Map<string, RecordedEvent[]> => {
  const groups = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    if (!event.streamId.startsWith('dossier-')) continue;
    const numeroAsp = numeroAspOfStream(event.streamId);
    const group = groups.get(numeroAsp);
    if (group) group.push(event);
    else groups.set(numeroAsp, [event]);
  }
  return groups;
};
