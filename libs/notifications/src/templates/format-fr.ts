import { DateTime } from 'luxon';

/** Integer cents → `70000,00 €`, as the portal shows amounts (no thousands separator). */
export const formatEuros = (cents: number): string => {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`montant en centimes non entier : ${cents}`);
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')} €`;
};

/** ISO instant → `27/08/2023 à 10:00` in Europe/Paris: the user's wall clock. */
export const formatDateHeure = (iso: string): string =>
  DateTime.fromISO(iso, { zone: 'utc' }).setZone('Europe/Paris').toFormat("dd/MM/yyyy 'à' HH:mm");

// The couloirs' editable fields are labelled as the suivi page labels them.
export { CHAMP_LABELS, champLabel } from '@segur/domain';

export const valeurAffichee = (v: string | null | undefined): string =>
  v === null || v === undefined || v === '' ? '(non renseigné)' : v;

export const suiviUrl = (publicUrl: string, numeroAsp: string): string =>
  `${publicUrl.replace(/\/+$/, '')}/dossiers/${encodeURIComponent(numeroAsp)}`;
