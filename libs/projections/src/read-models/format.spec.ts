import { dateFrOfInstant } from './format';

const intl = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});

describe('dateFrOfInstant', () => {
  it('agrees with Intl minute by minute around both DST changes and midnights', () => {
    const ranges = [
      ['2024-03-30T20:00:00.000Z', '2024-04-01T02:00:00.000Z'],
      ['2024-10-26T20:00:00.000Z', '2024-10-28T02:00:00.000Z'],
      ['2023-12-31T21:00:00.000Z', '2024-01-01T03:00:00.000Z'],
    ] as const;
    for (const [from, to] of ranges)
      for (let t = Date.parse(from); t <= Date.parse(to); t += 60_000) {
        const iso = new Date(t).toISOString();
        expect(dateFrOfInstant(iso)).toBe(intl.format(new Date(t)));
        expect(dateFrOfInstant(iso.replace('.000Z', 'Z'))).toBe(intl.format(new Date(t)));
      }
  });

  it('formats non-canonical instants (offsets) the same way', () => {
    expect(dateFrOfInstant('2023-08-06T23:30:00+00:00')).toBe('07/08/2023');
    expect(dateFrOfInstant('2023-08-06T23:30:00Z')).toBe('07/08/2023');
  });
});
