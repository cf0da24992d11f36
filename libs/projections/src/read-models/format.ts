import { formatMontant } from '@segur/domain';

// Instants are stored UTC; a French user reads the calendar day in Paris (an event at 23:30 UTC
// on 06/08 happened on 07/08 for them).
const PARIS_DAY = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});

/** ISO instant → `dd/MM/yyyy` in Europe/Paris. */
export const dateFrOfInstant = (instant: string): string => PARIS_DAY.format(new Date(instant));

export interface MontantView {
  cents: number;
  /** French display, as the portal: `70000,00`. */
  formatted: string;
}

export const montantView = (cents: number): MontantView => ({ cents, formatted: formatMontant(cents) });
