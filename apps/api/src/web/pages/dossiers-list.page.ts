import type { Principal } from '@segur/auth';
import type { DossierListPage } from '@segur/projections';
import { euros, statutBadge } from '../format';
import { html, type Html } from '../html';
import { page } from '../layout';

export const dossiersListPage = (principal: Principal, list: DossierListPage, q: string): Html => {
  const title = principal.role === 'fournisseur' ? 'Mes dossiers' : 'Tous les dossiers';
  const rows = list.items.map(
    (d) =>
      html`<tr>
        <th scope="row"><a href="/dossiers/${d.numeroAsp}">${d.numeroAsp}</a></th>
        <td>${d.denominationSociale ?? '—'}</td>
        <td>${d.siret}</td>
        <td>${d.phaseLabel}</td>
        <td>${statutBadge(d.statut, d.statutLabel)}</td>
        <td>${d.dateChangementStatut}</td>
        <td class="fr-cell--right">${euros(d.montant.formatted)}</td>
      </tr>`,
  );
  return page(
    { title, principal, path: '/mes-dossiers' },
    html`<h1>${title}</h1>
      <form method="get" action="/mes-dossiers" role="search" class="fr-mb-4w">
        <div class="fr-search-bar" id="recherche">
          <label class="fr-label" for="q">Rechercher par numéro ASP</label>
          <input
            class="fr-input"
            type="search"
            id="q"
            name="q"
            value="${q}"
            placeholder="FINSAS008539"
            maxlength="200"
          />
          <button class="fr-btn" type="submit" title="Rechercher">Rechercher</button>
        </div>
      </form>
      ${q ? html`<p>Résultats pour « ${q} » — <a class="fr-link" href="/mes-dossiers">effacer la recherche</a></p>` : ''}
      <div class="fr-table fr-table--no-caption-top">
        <table>
          <caption>
            ${title} (${list.items.length}${list.nextCursor ? ' premiers' : ''})
          </caption>
          <thead>
            <tr>
              <th scope="col">Numéro ASP</th>
              <th scope="col">Dénomination sociale</th>
              <th scope="col">SIRET</th>
              <th scope="col">Phase</th>
              <th scope="col">Statut</th>
              <th scope="col">Changement de statut</th>
              <th scope="col">Montant</th>
            </tr>
          </thead>
          <tbody>
            ${
              rows.length > 0
                ? rows
                : html`<tr>
                    <td colspan="7">Aucun dossier ${q ? 'ne correspond à cette recherche' : ''}</td>
                  </tr>`
            }
          </tbody>
        </table>
      </div>`,
  );
};
