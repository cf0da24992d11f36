import type { Principal } from '@segur/auth';
import type { Statut } from '@segur/domain';
import type { DossierListItem } from '@segur/projections';
import { dateFr } from '../format';
import { html, type Html } from '../html';
import { page } from '../layout';
import { liveRegion } from './live.fragment';

export interface WorkQueueSection {
  statut: Statut;
  label: string;
  items: DossierListItem[];
  /** More dossiers than shown in this statut. */
  more: boolean;
}

const SOON_MS = 3 * 24 * 60 * 60 * 1000;

/** Overdue when the open round's deadline has passed; soon when it falls within three days. */
const deadlineBadge = (d: DossierListItem, now: Date): Html => {
  if (d.hasOverdueRound) return html`<p class="fr-badge fr-badge--sm fr-badge--error">En retard</p>`;
  const due = d.expiresAt ?? d.reminderDueAt;
  if (due && new Date(due).getTime() - now.getTime() <= SOON_MS)
    return html`<p class="fr-badge fr-badge--sm fr-badge--new">Échéance proche</p>`;
  return html``;
};

export const workQueuePage = (
  principal: Principal,
  sections: WorkQueueSection[],
  now: Date,
  liveFrom: string | null = null,
): Html =>
  page(
    { title: 'File de travail', principal, path: '/gestion', scripts: ['/web/direct.js'] },
    html`<h1>File de travail</h1>
      <p>Dossiers par statut, avec les échéances des demandes de modification en cours.</p>
      ${liveRegion({ stream: '/flux/gestion', from: liveFrom, message: 'Des dossiers ont changé' })}
      <div data-direct-zone="file">
        <ul class="fr-tags-group fr-mb-4w" aria-label="Accès direct aux statuts">
          ${sections.map(
            (s) =>
              html`<li>
                <a class="fr-tag" href="#statut-${s.statut}"
                  >${s.label} (${s.items.length}${s.more ? '+' : ''})</a
                >
              </li>`,
          )}
        </ul>
        ${sections.map(
          (s) =>
            html`<section class="fr-mb-6w" aria-labelledby="statut-${s.statut}">
              <h2 id="statut-${s.statut}">${s.label}</h2>
              <div class="fr-table fr-table--no-caption">
                <table>
                  <caption>
                    Dossiers au statut « ${s.label} » (${s.items.length}${s.more ? ' premiers' : ''})
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Numéro ASP</th>
                      <th scope="col">Dénomination sociale</th>
                      <th scope="col">Demande</th>
                      <th scope="col">Changement de statut</th>
                      <th scope="col">Relance prévue</th>
                      <th scope="col">Date limite</th>
                      <th scope="col">Échéance</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${
                      s.items.length > 0
                        ? s.items.map(
                            (d) =>
                              html`<tr>
                                <th scope="row">
                                  <a
                                    href="/gestion/dossiers/${d.numeroAsp}"
                                    title="Instruire le dossier ${d.numeroAsp}"
                                    >${d.numeroAsp}</a
                                  >
                                </th>
                                <td>${d.denominationSociale ?? '—'}</td>
                                <td>${d.phaseLabel}</td>
                                <td>${d.dateChangementStatut}</td>
                                <td>${dateFr(d.reminderDueAt)}</td>
                                <td>${dateFr(d.expiresAt)}</td>
                                <td>${deadlineBadge(d, now)}</td>
                              </tr>`,
                          )
                        : html`<tr>
                            <td colspan="7">Aucun dossier à ce statut</td>
                          </tr>`
                    }
                  </tbody>
                </table>
              </div>
            </section>`,
        )}
      </div>`,
  );
