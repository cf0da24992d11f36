/** An instant as the engine writes it everywhere: ISO-8601 in UTC (`2023-02-16T09:30:00.000Z`). */
export const toIso = (v: Date | string | number): string =>
  (v instanceof Date ? v : new Date(v)).toISOString();

/** As `toIso`, null and undefined (a nullable column) giving null. */
export const toIsoOrNull = (v: Date | string | number | null | undefined): string | null =>
  v === null || v === undefined ? null : toIso(v);

/** Where the engine asks for the time: the system clock in production, a fixed or stepped one in tests. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
