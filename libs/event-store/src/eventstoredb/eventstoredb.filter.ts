import { eventTypeFilter, excludeSystemEvents, streamNameFilter, type Filter } from '@eventstore/db-client';
import type { EventFilter, RecordedEvent } from '../event-store.port';
import { matchesFilter as matchesUserFilter } from '../expected-version';
import { AUDIT_CHECKPOINT_STREAM } from './eventstoredb.checkpoint-stream';

/** ESDB's own events (`$metadata`, `$>` links, `$statsCollected`…) are never ours to deliver. */
export const isSystemEventType = (type: string): boolean => type.startsWith('$');

/**
 * Never part of the log readers see: ESDB's own events, and the audit trail's signed checkpoints
 * (a stream of their own, about the log; a feed or a projection must not count them).
 */
export const isHiddenEvent = (event: Pick<RecordedEvent, 'type' | 'streamId'>): boolean =>
  isSystemEventType(event.type) || event.streamId === AUDIT_CHECKPOINT_STREAM;

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The server-side part of a filter. ESDB filters on one field only (stream name or event type), so
 * when both are asked the stream prefix goes to the server (usually the more selective) and
 * `matchesFilter` finishes the job client-side.
 */
export const toServerFilter = (filter: EventFilter | undefined): Filter => {
  if (filter?.streamPrefix) return streamNameFilter({ prefixes: [filter.streamPrefix] });
  if (filter?.types) {
    // Exact names: a prefix filter would let `AvanceImportedV2` through for `AvanceImported`.
    // An empty list selects nothing, which `(?!)` expresses; system types can never match.
    const alternatives = filter.types.filter((t) => !isSystemEventType(t)).map(escapeRegex);
    return eventTypeFilter({ regex: alternatives.length ? `^(?:${alternatives.join('|')})$` : '(?!)' });
  }
  return excludeSystemEvents();
};

/**
 * The whole filter, applied again client-side with the rule every adapter shares: cheap, and it
 * keeps results exact whatever part the server could not do.
 */
export const matchesFilter = (
  event: Pick<RecordedEvent, 'type' | 'streamId'>,
  filter?: EventFilter,
): boolean => !isHiddenEvent(event) && matchesUserFilter(event, filter);
