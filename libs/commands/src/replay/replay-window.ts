import type { ReplayWindow } from './logged-commands.reader';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const instant = (v: string, name: string, endOfDay: boolean): string => {
  const t = Date.parse(DATE.test(v) ? `${v}T00:00:00.000Z` : v);
  // Date.parse rolls 2023-02-30 over to 2 March: a date must come back as written.
  if (Number.isNaN(t) || (DATE.test(v) && !new Date(t).toISOString().startsWith(v)))
    throw new RangeError(`${name} : date (aaaa-mm-jj) ou instant ISO-8601 attendu, reçu « ${v} »`);
  // A date alone names a whole (UTC) day: `--to 2023-03-01` includes that day.
  return new Date(DATE.test(v) && endOfDay ? t + 86_400_000 : t).toISOString();
};

/** `--from` (included) and `--to` (included when a date, excluded when an instant), as ISO instants. */
export const replayWindowOf = (from?: string, to?: string): ReplayWindow => {
  const w: ReplayWindow = {};
  if (from !== undefined) w.from = instant(from, '--from', false);
  if (to !== undefined) w.to = instant(to, '--to', true);
  if (w.from !== undefined && w.to !== undefined && w.from >= w.to)
    throw new RangeError('--from doit précéder --to');
  return w;
};
