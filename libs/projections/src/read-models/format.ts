import { formatMontant } from '@segur/domain';

// Instants are stored UTC; a French user reads the calendar day in Paris (an event at 23:30 UTC
// on 06/08 happened on 07/08 for them).
const PARIS_DAY = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});

// Since 1940 Paris has been a whole number of hours off UTC, changing only on the hour: its calendar
// day is one per UTC hour. Intl formatting is slow and a suivi page formats several dates per
// request, so the day is remembered per UTC hour of canonical ISO instants (bounded).
const dayByUtcHour = new Map<string, string>();
const CANONICAL_UTC = /^(19[5-9]\d|2\d{3})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** ISO instant → `dd/MM/yyyy` in Europe/Paris. */
export const dateFrOfInstant = (instant: string): string => {
  if (!CANONICAL_UTC.test(instant)) return PARIS_DAY.format(new Date(instant));
  const hour = instant.slice(0, 13);
  let day = dayByUtcHour.get(hour);
  if (day === undefined) {
    day = PARIS_DAY.format(new Date(instant));
    if (dayByUtcHour.size >= 100_000) dayByUtcHour.clear();
    dayByUtcHour.set(hour, day);
  }
  return day;
};

export interface MontantView {
  cents: number;
  /** French display, as the portal: `70000,00`. */
  formatted: string;
}

export const montantView = (cents: number): MontantView => ({ cents, formatted: formatMontant(cents) });
