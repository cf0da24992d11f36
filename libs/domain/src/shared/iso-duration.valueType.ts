import { DateTime, Duration } from 'luxon';
import { type Result, ok, fail } from '../dossier/dossier.errors';

// J+10 / J+20 are calendar days "at the same time of day" for the French user: adding days in
// Europe/Paris keeps the wall-clock time across a DST change, which adding 24 h multiples would not.
export const DOSSIER_ZONE = 'Europe/Paris';

export type IsoDuration = string & { readonly __brand: 'IsoDuration' };

export const parseIsoDuration = (input: unknown): Result<IsoDuration, string> => {
  if (typeof input !== 'string' || input.trim() === '') return fail('durée ISO-8601 attendue (ex. P10D)');
  const d = Duration.fromISO(input);
  if (!d.isValid) return fail(`durée ISO-8601 invalide : ${input}`);
  if (d.toMillis() <= 0) return fail(`durée ISO-8601 non positive : ${input}`);
  return ok(input as IsoDuration);
};

/** `instant` (ISO UTC) + `duration`, days counted on the Paris calendar; returns ISO UTC. */
export const addIsoDuration = (instant: string, duration: string): string => {
  const start = DateTime.fromISO(instant, { zone: DOSSIER_ZONE });
  const d = Duration.fromISO(duration);
  if (!start.isValid || !d.isValid) throw new RangeError(`addIsoDuration(${instant}, ${duration})`);
  return start.plus(d).toUTC().toISO({ suppressMilliseconds: false });
};

// A zone conversion costs luxon ~20 µs; an import decides thousands of lines stamped with a
// handful of instants, so the last few answers are kept (pure function, bounded cache).
const PARIS_DATES = new Map<string, string>();
const PARIS_DATES_MAX = 64;

/** Calendar date (`yyyy-MM-dd`) of an instant in Europe/Paris. */
export const parisDate = (instant: string): string => {
  const known = PARIS_DATES.get(instant);
  if (known !== undefined) return known;
  const date = DateTime.fromISO(instant, { zone: 'utc' }).setZone(DOSSIER_ZONE).toISODate() as string;
  if (PARIS_DATES.size >= PARIS_DATES_MAX) PARIS_DATES.clear();
  PARIS_DATES.set(instant, date);
  return date;
};
