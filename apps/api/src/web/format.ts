import type { Statut } from '@segur/domain';
import { html, type Html } from './html';

const DATE_FR = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeZone: 'Europe/Paris' });
const DATE_TIME_FR = new Intl.DateTimeFormat('fr-FR', {
  dateStyle: 'short',
  timeStyle: 'short',
  timeZone: 'Europe/Paris',
});

/** An ISO instant as a French date (jj/mm/aaaa), or a dash. */
export const dateFr = (iso: string | null | undefined): string => (iso ? DATE_FR.format(new Date(iso)) : '—');

export const dateTimeFr = (iso: string | null | undefined): string =>
  iso ? DATE_TIME_FR.format(new Date(iso)) : '—';

// DSFR system badges: colour carries the meaning, the label says it too (colour alone is not enough).
const BADGE: Readonly<Record<Statut, string>> = {
  EN_COURS: 'fr-badge--info',
  A_MODIFIER: 'fr-badge--warning',
  VALIDEE: 'fr-badge--success',
  REJETEE: 'fr-badge--error',
  PAIEMENT_EFFECTUE: 'fr-badge--success',
};

export const statutBadge = (statut: Statut, label: string): Html =>
  html`<p class="fr-badge fr-badge--sm ${BADGE[statut]}">${label}</p>`;

export const euros = (formatted: string | null | undefined): string => (formatted ? `${formatted} €` : '—');
