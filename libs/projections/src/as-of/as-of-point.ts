import { comparePositions, type RecordedEvent } from '@segur/event-store';

/** Where an as-of read stops: at an instant (events recorded at or before it) or at a position. */
export type AsOfPoint = { kind: 'instant'; at: string } | { kind: 'position'; position: string };

/** The last event an as-of read folded: what the answer says it stopped at. */
export interface AsOfMarker {
  position: string;
  eventId: string;
  recordedAt: string;
}

const isBefore = (point: AsOfPoint): ((e: RecordedEvent) => boolean) => {
  if (point.kind === 'position') return (e) => comparePositions(e.position, point.position) <= 0;
  const at = Date.parse(point.at);
  return (e) => Date.parse(e.recordedAt) <= at;
};

/**
 * The stream as it was at `point`: its first events up to the point (a stream's events are in
 * position and time order, so the first one past the point ends it).
 */
export const streamAsOf = (events: readonly RecordedEvent[], point: AsOfPoint): RecordedEvent[] => {
  const keep = isBefore(point);
  let n = 0;
  while (n < events.length && keep(events[n]!)) n++;
  return events.slice(0, n);
};

export const asOfMarkerOf = (e: RecordedEvent): AsOfMarker => ({
  position: e.position,
  eventId: e.id,
  recordedAt: e.recordedAt,
});
