import type { Principal } from '@segur/auth';
import { formatMontant } from '@segur/domain';
import type { ReportModifications, ReportSummary, SummaryAmounts } from '@segur/projections';
import { html, type Html } from '../html';
import { page } from '../layout';
import { barChart } from './bar-chart';

/** The reporting page's figures: the API's two reports, and the reminders sent (deadlines fired). */
export interface RapportsData {
  summary: ReportSummary;
  modifications: ReportModifications;
  /** Reminders (J+10) sent so far, over at most `remindersCap` fired deadlines read. */
  remindersSent: number;
  remindersCapped: boolean;
}

const eur = (cents: number): string => `${formatMontant(cents)} €`;

const percent = (part: number, whole: number): string =>
  whole === 0
    ? '—'
    : `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format((100 * part) / whole)} %`;

const duration = (seconds: number | null): string => {
  if (seconds === null) return '—';
  const days = seconds / 86_400;
  return days >= 1
    ? `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(days)} j`
    : `${Math.round(seconds / 3600)} h`;
};

const MOIS = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const moisFr = (mois: string): string => MOIS.format(new Date(`${mois}-01T00:00:00Z`));

const amountsTable = (
  id: string,
  caption: string,
  firstHeader: string,
  rows: readonly (SummaryAmounts & { label: string })[],
  total: SummaryAmounts,
): Html =>
  html`<div class="fr-table">
    <table id="${id}">
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          <th scope="col">${firstHeader}</th>
          <th scope="col">Dossiers</th>
          <th scope="col">Montant demandé</th>
          <th scope="col">Avance payée</th>
          <th scope="col">Engagement retenu</th>
          <th scope="col">Solde décidé</th>
          <th scope="col">Solde payé</th>
          <th scope="col">Recouvrements</th>
        </tr>
      </thead>
      <tbody>
        ${[...rows, { ...total, label: 'Total' }].map(
          (r) =>
            html`<tr>
              <th scope="row">${r.label}</th>
              <td>${r.nombre}</td>
              <td>${eur(r.montantDemandeCents)}</td>
              <td>${eur(r.avancePayeeCents)}</td>
              <td>${eur(r.engagementRetenuCents)}</td>
              <td>${eur(r.soldeDecideCents)}</td>
              <td>${eur(r.soldePayeCents)}</td>
              <td>${eur(r.recouvrementCents)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;

/**
 * Reporting: counts and amounts by statut and couloir (`GET /reports/summary`), modification rounds
 * by couloir and over time with their outcome rates (`GET /reports/modifications`), each chart
 * followed by its table.
 */
export const rapportsPage = (principal: Principal, d: RapportsData): Html => {
  const { summary: s, modifications: m } = d;
  const t = m.total;
  return page(
    { title: 'Rapports', principal, path: '/rapports' },
    html`<h1>Rapports</h1>
      <p>
        Synthèse des dossiers et des demandes de modification. Chaque graphique est suivi du tableau de ses
        valeurs.
      </p>
      <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left fr-mb-4w">
        <li>
          <a class="fr-btn fr-btn--secondary fr-icon-download-line" href="/rapports/synthese.csv" download
            >Synthèse en CSV</a
          >
        </li>
        <li>
          <a
            class="fr-btn fr-btn--secondary fr-icon-download-line"
            href="/rapports/modifications.csv"
            download
            >Modifications en CSV</a
          >
        </li>
      </ul>

      <section class="fr-mb-6w" aria-labelledby="par-statut">
        <h2 id="par-statut">Dossiers par statut</h2>
        ${barChart(
          'Nombre de dossiers par statut',
          s.parStatut.map((r) => [r.statutLabel, r.nombre] as const),
          'tableau-statut',
        )}
        ${amountsTable(
          'tableau-statut',
          'Dossiers et montants par statut',
          'Statut',
          s.parStatut.map((r) => ({ ...r, label: r.statutLabel })),
          s.total,
        )}
      </section>

      <section class="fr-mb-6w" aria-labelledby="par-couloir">
        <h2 id="par-couloir">Dossiers par couloir</h2>
        ${barChart(
          'Nombre de dossiers par couloir',
          s.parCouloir.map((r) => [r.couloir, r.nombre] as const),
          'tableau-couloir',
        )}
        ${amountsTable(
          'tableau-couloir',
          'Dossiers et montants par couloir',
          'Couloir',
          s.parCouloir.map((r) => ({ ...r, label: r.couloir })),
          s.total,
        )}
      </section>

      <section class="fr-mb-6w" aria-labelledby="dans-le-temps">
        <h2 id="dans-le-temps">Demandes de modification dans le temps</h2>
        ${barChart(
          'Demandes de modification par mois',
          m.parMois.map((x) => [moisFr(x.mois), x.opened] as const),
          'tableau-mois',
        )}
        <div class="fr-table">
          <table id="tableau-mois">
            <caption>
              Demandes de modification par mois de la demande
            </caption>
            <thead>
              <tr>
                <th scope="col">Mois</th>
                <th scope="col">Demandées</th>
                <th scope="col">Confirmées</th>
                <th scope="col">Non modifiées</th>
                <th scope="col">Expirées</th>
                <th scope="col">En cours</th>
              </tr>
            </thead>
            <tbody>
              ${
                m.parMois.length > 0
                  ? m.parMois.map(
                      (x) =>
                        html`<tr>
                          <th scope="row">${moisFr(x.mois)}</th>
                          <td>${x.opened}</td>
                          <td>${x.submitted}</td>
                          <td>${x.declined}</td>
                          <td>${x.expired}</td>
                          <td>${x.open}</td>
                        </tr>`,
                    )
                  : html`<tr>
                      <td colspan="6">Aucune demande de modification</td>
                    </tr>`
              }
            </tbody>
          </table>
        </div>
      </section>

      <section class="fr-mb-6w" aria-labelledby="taux">
        <h2 id="taux">Relances, expirations et délais</h2>
        <div class="fr-table">
          <table id="tableau-taux">
            <caption>
              Taux sur l’ensemble des demandes de modification (${t.opened})
            </caption>
            <thead>
              <tr>
                <th scope="col">Indicateur</th>
                <th scope="col">Valeur</th>
                <th scope="col">Détail</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">Taux de relance (J+10)</th>
                <td>${percent(d.remindersSent, t.opened)}</td>
                <td>
                  ${d.remindersSent}${d.remindersCapped ? ' ou plus' : ''} relance(s) envoyée(s) pour
                  ${t.opened} demande(s)
                </td>
              </tr>
              <tr>
                <th scope="row">Taux d’expiration (J+20)</th>
                <td>${percent(t.expired, t.opened)}</td>
                <td>${t.expired} demande(s) expirée(s)</td>
              </tr>
              <tr>
                <th scope="row">Taux de confirmation</th>
                <td>${percent(t.submitted, t.opened)}</td>
                <td>${t.submitted} confirmée(s), ${t.declined} non modifiée(s), ${t.open} en cours</td>
              </tr>
              <tr>
                <th scope="row">Délai de confirmation</th>
                <td>${duration(t.medianSecondsToSubmit)}</td>
                <td>médiane ; 90 % en moins de ${duration(t.p90SecondsToSubmit)}</td>
              </tr>
            </tbody>
          </table>
        </div>
        <div class="fr-table">
          <table id="tableau-couloir-modifications">
            <caption>
              Demandes de modification par couloir
            </caption>
            <thead>
              <tr>
                <th scope="col">Couloir</th>
                <th scope="col">Demandées</th>
                <th scope="col">Confirmées</th>
                <th scope="col">Non modifiées</th>
                <th scope="col">Expirées</th>
                <th scope="col">Taux d’expiration</th>
                <th scope="col">Délai médian</th>
              </tr>
            </thead>
            <tbody>
              ${
                m.parCouloir.length > 0
                  ? m.parCouloir.map(
                      (c) =>
                        html`<tr>
                          <th scope="row">${c.couloir}</th>
                          <td>${c.opened}</td>
                          <td>${c.submitted}</td>
                          <td>${c.declined}</td>
                          <td>${c.expired}</td>
                          <td>${percent(c.expired, c.opened)}</td>
                          <td>${duration(c.medianSecondsToSubmit)}</td>
                        </tr>`,
                    )
                  : html`<tr>
                      <td colspan="7">Aucune demande de modification</td>
                    </tr>`
              }
            </tbody>
          </table>
        </div>
      </section>`,
  );
};
