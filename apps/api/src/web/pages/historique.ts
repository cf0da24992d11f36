import { champLabel } from '@segur/domain';
import type { VersionView } from '@segur/projections';
import { dateFr } from '../format';
import { html, type Html } from '../html';

const ROLE_LABELS: Readonly<Record<string, string>> = {
  fournisseur: 'le fournisseur',
  gestionnaire: 'le gestionnaire',
  assistance: 'l’assistance',
  system: 'le service (automatique)',
  service: 'un service',
};

const byWhom = (role: string | undefined): string => (role ? (ROLE_LABELS[role] ?? role) : '—');

const changesTable = (v: VersionView): Html =>
  v.changes.length === 0
    ? html`<p>Aucun champ modifié dans cette version.</p>`
    : html`<div class="fr-table fr-table--no-caption">
        <table>
          <caption>
            Champs modifiés dans la version ${v.numeroAspVersion}
          </caption>
          <thead>
            <tr>
              <th scope="col">Champ</th>
              <th scope="col">Avant</th>
              <th scope="col">Après</th>
            </tr>
          </thead>
          <tbody>
            ${v.changes.map(
              (c) =>
                html`<tr>
                  <th scope="row">${champLabel(c.field)}</th>
                  <td>${c.from ?? '(vide)'}</td>
                  <td>${c.to ?? '(vide)'}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`;

const version = (v: VersionView): Html =>
  html`<section
    class="fr-mb-4w version"
    id="version-${v.numeroAspVersion}"
    aria-labelledby="titre-${v.numeroAspVersion}"
  >
    <h3 id="titre-${v.numeroAspVersion}" class="fr-h5">
      ${v.numeroAspVersion} — ${v.outcomeLabel}
      ${v.current ? html`<span class="fr-badge fr-badge--sm fr-badge--info fr-ml-1w">Version actuelle</span>` : ''}
    </h3>
    ${
      v.round === 0
        ? html`<p>Demande de solde déposée le ${v.dateDemande}.</p>`
        : html`<p>
              Modification demandée le ${v.dateDemande} par
              ${byWhom(v.requestedBy.role)}${
                v.dateCloture ? html`, close le ${v.dateCloture} par ${byWhom(v.closedBy?.role)}` : ''
              }.
            </p>
            ${v.commentaire ? html`<p>Commentaire du gestionnaire : « ${v.commentaire} »</p>` : ''}
            ${v.expiresAt && v.outcome === 'open' ? html`<p>Date limite : ${dateFr(v.expiresAt)}</p>` : ''}
            ${changesTable(v)}
            ${
              v.piecesAdded.length > 0
                ? html`<p>
                    Pièces ajoutées :
                    ${v.piecesAdded.map((p, i) => html`${i > 0 ? ', ' : ''}${p.nomFichier} (${p.type})`)}
                  </p>`
                : ''
            }`
    }
  </section>`;

/** The Historique tab: every version of the dossier, newest first, with what each one changed. */
export const historique = (versions: readonly VersionView[]): Html =>
  html`<h2 id="historique-titre">Historique des versions</h2>
    ${
      versions.length === 0
        ? html`<p>Aucune version enregistrée pour l’instant.</p>`
        : [...versions].reverse().map(version)
    }`;
