import { addDaysFast, addIsoDuration, addIsoDurationLuxon } from './iso-duration.valueType';

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
});
