import type { RecordedEvent } from '@segur/event-store';
import { toDeadlineRow, type DeadlineRow } from './deadline';
import type { ListDeadlinesFilter } from './deadline-stats';
import { deadlinesFold } from './deadlines.fold';

/**
 * One dossier's deadlines as they were after `events` (its stream up to an as-of point), folded by
 * the deadline rules the projection and its rebuild apply (deadlines.fold.ts), filtered as
 * `listDeadlines` filters the table, `overdue` judged at the last event's instant. What only the
 * firer writes (attempts, last error, lease) is not in the events: it reads as never tried.
 */
export const deadlinesAsOf = (
  numeroAsp: string,
  events: readonly RecordedEvent[],
  filter: Omit<ListDeadlinesFilter, 'numeroAsp'>,
): DeadlineRow[] => {
  const last = events.at(-1);
  if (last === undefined) return [];
  const folded = deadlinesFold.fold(undefined, numeroAsp, events, []);
  const at = Date.parse(last.recordedAt);
  return (folded?.rows ?? [])
    .map((r) => toDeadlineRow(r as unknown as Record<string, unknown>))
    .filter(
      (d) =>
        (filter.status === undefined || d.status === filter.status) &&
        (!filter.overdue || (d.status === 'PENDING' && Date.parse(d.dueAt) < at)),
    )
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.jobId.localeCompare(b.jobId))
    .slice(0, Math.min(Math.max(filter.limit ?? 100, 1), 1000));
};
