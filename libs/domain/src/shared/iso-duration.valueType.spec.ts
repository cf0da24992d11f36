import { addDaysFast, addIsoDuration, addIsoDurationLuxon, parseIsoDuration } from './iso-duration.valueType';

describe('parseIsoDuration', () => {
  it.each(['P10D', 'P20D', 'PT12H', 'PT1S', 'PT0.001S'])('accepts %s', (input) =>
    expect(parseIsoDuration(input)).toEqual({ ok: true, value: input }),
  );

  it.each<unknown>([undefined, null, 10, '', '   '])('asks for a duration when given %p', (input) =>
    expect(parseIsoDuration(input)).toEqual({ ok: false, error: 'durée ISO-8601 attendue (ex. P10D)' }),
  );

  it.each(['10D', ' P10D', 'P10X', 'dix jours'])('refuses %p, which is not ISO-8601, quoting it', (input) =>
    expect(parseIsoDuration(input)).toEqual({ ok: false, error: `durée ISO-8601 invalide : ${input}` }),
  );

  it.each(['P0D', 'PT0S', 'P', 'P-1D', '-PT1S'])('refuses %p, which is not positive, quoting it', (input) =>
    expect(parseIsoDuration(input)).toEqual({ ok: false, error: `durée ISO-8601 non positive : ${input}` }),
  );
});

// The hand-written whole-days path must answer exactly what luxon answers, DST changes included.
describe('TIM-1: addIsoDuration', () => {
  const days = [1, 10, 20, 30, 365];
  const changes = ['2025-03-30', '2025-10-26', '2026-03-29', '2026-10-25', '2027-03-28'].map((d) =>
    Date.parse(`${d}T01:00:00.000Z`),
  );
  // Instants whose start or end falls within 3 h of a change, every 5 minutes (plus odd
  // milliseconds), and a spread over two years.
  const near = (ms: number): number[] =>
    Array.from({ length: 73 }, (_, i) => ms - 3 * 3_600_000 + i * 300_000 + 7);
  const cases: Array<[number, number]> = [
    ...changes.flatMap((c) =>
      days.flatMap((n) => [...near(c), ...near(c - n * 86_400_000)].map((ms): [number, number] => [ms, n])),
    ),
    ...Array.from({ length: 500 }, (_, i): [number, number] => [
      Date.parse('2025-01-01T00:00:00.000Z') + i * 126_144_071,
      days[i % 5] as number,
    ]),
  ];

  it('matches luxon for whole days across daylight saving changes', () => {
    const mismatches: string[] = [];
    for (const [ms, n] of cases) {
      const instant = new Date(ms).toISOString();
      const fast = addDaysFast(instant, `P${n}D`);
      const luxon = addIsoDurationLuxon(instant, `P${n}D`);
      if (fast !== luxon) mismatches.push(`${instant} + P${n}D: ${fast} ≠ ${luxon}`);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('keeps the Paris wall-clock time over a change (J+10 at the same hour)', () => {
    expect(addIsoDuration('2026-03-25T09:00:00.000Z', 'P10D')).toBe('2026-04-04T08:00:00.000Z');
  });

  it('leaves other durations and instant formats to luxon', () => {
    expect(addDaysFast('2026-03-25T09:00:00.000Z', 'PT12H')).toBeUndefined();
    expect(addDaysFast('2026-03-25T10:00:00+01:00', 'P10D')).toBeUndefined();
    expect(addIsoDuration('2026-03-25T09:00:00.000Z', 'PT12H')).toBe('2026-03-25T21:00:00.000Z');
  });

  it('names the instant and the duration when luxon cannot read them', () => {
    expect(() => addIsoDurationLuxon('2026-02-30T10:00:00.000Z', 'P10D')).toThrow(
      new RangeError('addIsoDuration(2026-02-30T10:00:00.000Z, P10D)'),
    );
    expect(() => addIsoDuration('2026-03-25T09:00:00.000Z', '10D')).toThrow(
      new RangeError('addIsoDuration(2026-03-25T09:00:00.000Z, 10D)'),
    );
  });

  // Date.parse rolls 30 February over to 2 March and reads 24:00 as the next midnight: the fast path
  // only takes an instant that prints back as itself.
  it('refuses a day that does not exist instead of rolling it over', () => {
    expect(addDaysFast('2026-02-30T10:00:00.000Z', 'P10D')).toBeUndefined();
    expect(() => addIsoDuration('2026-02-30T10:00:00.000Z', 'P10D')).toThrow(RangeError);
  });

  it('leaves 24:00 to luxon', () => {
    expect(addDaysFast('2026-01-01T24:00:00.000Z', 'P1D')).toBeUndefined();
    expect(addIsoDuration('2026-01-01T24:00:00.000Z', 'P1D')).toBe('2026-01-03T00:00:00.000Z');
  });

  // toISOString writes a year outside 0000-9999 with a sign and six digits.
  it('answers itself for results in the years 1000 to 9999, and leaves the others to luxon', () => {
    expect(addDaysFast('1000-01-01T12:00:00.000Z', 'P1D')).toBe('1000-01-02T12:00:00.000Z');
    expect(addDaysFast('9999-12-30T12:00:00.000Z', 'P1D')).toBe('9999-12-31T12:00:00.000Z');
    expect(addDaysFast('0999-12-30T12:00:00.000Z', 'P1D')).toBeUndefined();
    expect(addDaysFast('9999-12-31T12:00:00.000Z', 'P1D')).toBeUndefined();
    expect(addIsoDuration('9999-12-31T12:00:00.000Z', 'P1D')).toBe('+010000-01-01T12:00:00.000Z');
  });

  it('matches luxon around the Unix epoch (negative, zero and small timestamps)', () => {
    const instants = Array.from({ length: 41 }, (_, i) => new Date(-1000 + i * 50).toISOString());
    const mismatches = instants
      .map((instant) => [instant, addDaysFast(instant, 'P1D'), addIsoDurationLuxon(instant, 'P1D')])
      .filter(([, fast, luxon]) => fast !== luxon);
    expect(mismatches).toEqual([]);
    expect(addDaysFast('1969-12-31T23:59:59.999Z', 'P1D')).toBe('1970-01-01T23:59:59.999Z');
    expect(addDaysFast('1970-01-01T00:00:00.001Z', 'P1D')).toBe('1970-01-02T00:00:00.001Z');
  });

  // The one Paris offset change that is not on a whole UTC hour: Paris Mean Time (+0:09:21) ended
  // at 23:50:39 UTC on 10 March 1911, for +0:00.
  it('matches luxon over the end of Paris Mean Time in 1911, within an hour', () => {
    const start = Date.parse('1911-03-09T22:00:00.000Z');
    const instants = Array.from({ length: 2 * 24 * 60 }, (_, i) =>
      new Date(start + i * 60_000 + 7).toISOString(),
    );
    const mismatches = instants
      .map((instant) => [instant, addDaysFast(instant, 'P1D'), addIsoDurationLuxon(instant, 'P1D')])
      .filter(([, fast, luxon]) => fast !== luxon);
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(addDaysFast('1911-03-10T23:30:00.000Z', 'P1D')).toBe('1911-03-11T23:39:21.000Z');
    expect(addDaysFast('1911-03-10T23:55:00.000Z', 'P1D')).toBe('1911-03-11T23:55:00.000Z');
    expect(addDaysFast('1911-03-09T23:55:00.000Z', 'P1D')).toBe('1911-03-11T00:04:21.000Z');
  });
});
