import { DateTime, Duration, IANAZone } from 'luxon';
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
// TIM-1: J+10 / J+20 = request instant + configured duration, Paris calendar days.
export const addIsoDuration = (instant: string, duration: string): string =>
  addDaysFast(instant, duration) ?? addIsoDurationLuxon(instant, duration);

export const addIsoDurationLuxon = (instant: string, duration: string): string => {
  const start = DateTime.fromISO(instant, { zone: DOSSIER_ZONE });
  const d = Duration.fromISO(duration);
  if (!start.isValid || !d.isValid) throw new RangeError(`addIsoDuration(${instant}, ${duration})`);
  return start.plus(d).toUTC().toISO({ suppressMilliseconds: false });
};

// Hand-written fast path for the common case (every RequestModification: `now` + P10D and P20D).
// Through luxon it was a visible share of an HTTP command's CPU, mostly Intl zone offset lookups.
// It computes exactly what luxon's DateTime.plus does for whole days (calendar days, same wall-clock
// time, its fixOffset for gaps and overlaps), with the zone's offset remembered per UTC hour when it
// is the same at both ends of that hour (Paris changes offset at 01:00 UTC, months apart); anything
// else (another instant format, another duration, an hour holding a change) goes through luxon.
const STRICT_UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const WHOLE_DAYS = /^P(\d{1,4})D$/;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const paris = IANAZone.create(DOSSIER_ZONE);
const HOUR_OFFSETS = new Map<number, number | null>();
const HOUR_OFFSETS_MAX = 4_096;

/** The Paris UTC offset at `ms`, in minutes, as luxon's IANAZone.offset answers it. */
const parisOffset = (ms: number): number => {
  const hour = Math.floor(ms / HOUR_MS);
  let known = HOUR_OFFSETS.get(hour);
  if (known === undefined) {
    const start = paris.offset(hour * HOUR_MS);
    known = start === paris.offset(hour * HOUR_MS + HOUR_MS - 1) ? start : null;
    if (HOUR_OFFSETS.size >= HOUR_OFFSETS_MAX) HOUR_OFFSETS.clear();
    HOUR_OFFSETS.set(hour, known);
  }
  return known ?? paris.offset(ms);
};

/** luxon's fixOffset: the UTC instant of a Paris wall-clock time, starting from a guessed offset. */
const parisWallToUtc = (localTs: number, guess: number): number => {
  let utc = localTs - guess * 60_000;
  const o2 = parisOffset(utc);
  if (o2 === guess) return utc;
  utc -= (o2 - guess) * 60_000;
  const o3 = parisOffset(utc);
  if (o2 === o3) return utc;
  return localTs - Math.min(o2, o3) * 60_000;
};

export const addDaysFast = (instant: string, duration: string): string | undefined => {
  const days = WHOLE_DAYS.exec(duration);
  if (!days || !STRICT_UTC_INSTANT.test(instant)) return undefined;
  const ts = Date.parse(instant);
  if (Number.isNaN(ts) || new Date(ts).toISOString() !== instant) return undefined;
  const offset = parisOffset(ts);
  const localTs = ts + offset * 60_000 + Number(days[1]) * DAY_MS;
  const result = new Date(parisWallToUtc(localTs, offset));
  return result.getUTCFullYear() >= 1000 && result.getUTCFullYear() <= 9999
    ? result.toISOString()
    : undefined;
};

// A zone conversion is slow in luxon; an import decides thousands of lines stamped with a
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
