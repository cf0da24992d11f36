import type { Principal } from '@segur/auth';
import type { SuiviPage, VersionView } from '@segur/projections';
import { dateTimeFr, euros, statutBadge } from '../format';
import { html, type Html } from '../html';
import { page } from '../layout';
import { historique } from './historique';
import { liveRegion } from './live.fragment';

const row = (label: string, value: string | Html | null | undefined): Html =>
  html`<tr>
    <th scope="row">${label}</th>
    <td>${value ?? '—'}</td>
  </tr>`;

const keyValueTable = (caption: string, rows: Html[]): Html =>
  html`<div class="fr-table fr-table--no-caption fr-table--layout-fixed">
    <table>
      <caption class="fr-sr-only">
        ${caption}
      </caption>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </div>`;

const banner = (s: SuiviPage, principal: Principal): Html => {
  const m = s.modification;
  if (!m) return html``;
  const canEdit = principal.role === 'fournisseur' && s.allowedActions.includes('modifier');
  return html`<div class="fr-alert fr-alert--warning fr-mb-4w" id="bandeau-modification">
    <h2 class="fr-alert__title">${m.bandeau}</h2>
    <p>Commentaire du gestionnaire : « ${m.commentaire} »</p>
    <p>Date limite pour modifier votre demande : <strong>${m.dateLimite}</strong></p>
    ${
      canEdit
        ? html`<ul class="fr-btns-group fr-btns-group--inline-md fr-mt-2w">
            <li><a class="fr-btn" href="/dossiers/${s.numeroAsp}/modification">Modifier</a></li>
          </ul>`
        : ''
    }
  </div>`;
};

/** The back office reaches the instruction page and the timeline from here. */
const backOfficeLinks = (s: SuiviPage, principal: Principal): Html =>
  principal.role === 'fournisseur'
    ? html``
    : html`<ul class="fr-btns-group fr-btns-group--inline-md fr-mb-4w">
        <li><a class="fr-btn fr-btn--secondary" href="/gestion/dossiers/${s.numeroAsp}">Instruire</a></li>
        <li>
          <a class="fr-btn fr-btn--secondary" href="/dossiers/${s.numeroAsp}/journal"
            >Journal des événements</a
          >
        </li>
      </ul>`;

export interface SuiviOptions {
  /** The Historique tab's versions (GetVersionsQuery); without them the tab says so. */
  versions?: readonly VersionView[];
  /** A French notice after a form's redirect (Confirmer, Ne pas modifier). */
  notice?: string | undefined;
  /** Open on Historique (`?onglet=historique`: the tab a link or a page without script shows). */
  historique?: boolean;
  /** Where the page's live feed starts (the store's head when the page was read). */
  liveFrom?: string | null;
}

/**
 * DSFR tabs: the script switches panels in place; the server marks the chosen one selected, so a
 * link (`?onglet=historique`) opens either tab, with or without script.
 */
const tabs = (numeroAsp: string, current: Html, history: Html, onHistory: boolean): Html => {
  const tab = (id: string, label: string, selected: boolean): Html =>
    html`<li role="presentation">
      <button
        id="onglet-${id}"
        class="fr-tabs__tab"
        tabindex="${selected ? 0 : -1}"
        role="tab"
        aria-selected="${selected ? 'true' : 'false'}"
        aria-controls="panneau-${id}"
      >
        ${label}
      </button>
    </li>`;
  const panel = (id: string, content: Html, selected: boolean): Html =>
    html`<div
      id="panneau-${id}"
      class="fr-tabs__panel ${selected ? 'fr-tabs__panel--selected' : ''}"
      role="tabpanel"
      aria-labelledby="onglet-${id}"
      tabindex="0"
    >
      <div data-direct-zone="panneau-${id}">${content}</div>
    </div>`;
  return html`<noscript>
      <p>
        <a class="fr-link" href="/dossiers/${numeroAsp}">Version actuelle</a> |
        <a class="fr-link" href="/dossiers/${numeroAsp}?onglet=historique">Historique</a>
      </p>
    </noscript>
    <div class="fr-tabs fr-mb-6w">
      <ul class="fr-tabs__list" role="tablist" aria-label="Version actuelle ou historique de la demande">
        ${tab('version-actuelle', 'Version actuelle', !onHistory)}
        ${tab('historique', 'Historique', onHistory)}
      </ul>
      ${panel('version-actuelle', current, !onHistory)} ${panel('historique', history, onHistory)}
    </div>`;
};

// Live zones: the banner and the Récapitulatif, and each tab's content, but not the tabs themselves,
// so a refresh never closes the tab the person opened.
export const suiviPage = (principal: Principal, s: SuiviPage, options: SuiviOptions = {}): Html => {
  const r = s.recapitulatif;
  const montants = s.informations.montants;
  return page(
    { title: `Suivi de la demande ${s.numeroAsp}`, principal, scripts: ['/web/direct.js'] },
    html`<nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
        <ol class="fr-breadcrumb__list">
          <li>
            <a class="fr-breadcrumb__link" href="/mes-dossiers"
              >${principal.role === 'fournisseur' ? 'Mes dossiers' : 'Dossiers'}</a
            >
          </li>
          <li><a class="fr-breadcrumb__link" aria-current="page">${s.numeroAsp}</a></li>
        </ol>
      </nav>
      <h1>Suivi de ma demande de financement</h1>
      ${liveRegion({ stream: `/flux/dossiers/${s.numeroAsp}`, from: options.liveFrom ?? null })}
      ${backOfficeLinks(s, principal)}
      <div data-direct-zone="suivi">
        ${
          options.notice
            ? html`<div class="fr-alert fr-alert--success fr-alert--sm fr-mb-4w" id="notice" role="status">
                <p>${options.notice}</p>
              </div>`
            : ''
        }
        ${banner(s, principal)}
        <section class="fr-mb-6w" aria-labelledby="recapitulatif">
          <h2 id="recapitulatif">Récapitulatif</h2>
          ${keyValueTable('Récapitulatif de la demande', [
            row('Numéro ANS', r.numeroAns),
            row('SIRET', r.siret),
            row('Dénomination sociale', r.denominationSociale),
            row('Adresse', r.adresseAffichee),
            row('Numéro de dossier', r.numeroDossier),
            row('Date de dépôt', r.dateDepot),
            row('Demande', r.phaseLabel),
            row('Statut', statutBadge(r.statut, r.statutLabel)),
            row('Date de changement de statut', r.dateChangementStatut),
          ])}
        </section>
      </div>
      ${tabs(
        s.numeroAsp,
        html`<section class="fr-mb-6w" aria-labelledby="informations">
            <h2 id="informations">Informations de la demande</h2>
            ${keyValueTable('Informations de la demande', [
              row('Numéro ASP (version)', s.informations.numeroAspVersion),
              row('DSR', s.informations.dsr),
              row('Avance décidée', euros(montants.avanceDecide?.formatted)),
              row(
                montants.proposes ? 'Engagement retenu (proposé)' : 'Engagement retenu',
                euros(montants.engagementRetenu?.formatted),
              ),
              row(
                montants.proposes ? 'Solde décidé (proposé)' : 'Solde décidé',
                euros(montants.soldeDecide?.formatted),
              ),
              ...s.informations.champsEditables.map((c) => row(c.label, c.value)),
            ])}
          </section>
          <section class="fr-mb-6w" aria-labelledby="coordonnees-bancaires">
            <h2 id="coordonnees-bancaires">Coordonnées bancaires</h2>
            ${
              s.coordonneesBancaires
                ? keyValueTable('Coordonnées bancaires', [
                    row('IBAN', s.coordonneesBancaires.iban),
                    row('BIC', s.coordonneesBancaires.bic),
                  ])
                : html`<p>Aucune coordonnée bancaire enregistrée pour ce fournisseur.</p>`
            }
          </section>
          <section class="fr-mb-6w" aria-labelledby="pieces">
            <h2 id="pieces">Pièces justificatives</h2>
            <div class="fr-table fr-table--no-caption">
              <table>
                <caption>
                  Pièces justificatives de la demande (${s.pieces.length})
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Type</th>
                    <th scope="col">Fichier</th>
                    <th scope="col">Version</th>
                    <th scope="col">Taille</th>
                  </tr>
                </thead>
                <tbody>
                  ${
                    s.pieces.length > 0
                      ? s.pieces.map(
                          (p) =>
                            html`<tr>
                              <td>${p.type}</td>
                              <th scope="row">${p.nomFichier}</th>
                              <td>${p.addedInVersion}</td>
                              <td>${Math.max(1, Math.round(p.taille / 1024))} Ko</td>
                            </tr>`,
                        )
                      : html`<tr>
                          <td colspan="4">Aucune pièce</td>
                        </tr>`
                  }
                </tbody>
              </table>
            </div>
          </section>
          <section class="fr-mb-6w" aria-labelledby="courriels">
            <h2 id="courriels">Courriels automatiques envoyés</h2>
            <div class="fr-table fr-table--no-caption">
              <table>
                <caption>
                  Courriels automatiques envoyés (${s.courriels.length})
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Date d’envoi</th>
                    <th scope="col">Objet</th>
                    <th scope="col">Destinataire</th>
                  </tr>
                </thead>
                <tbody>
                  ${
                    s.courriels.length > 0
                      ? s.courriels.map(
                          (c) =>
                            html`<tr>
                              <td>${dateTimeFr(c.sentAt)}</td>
                              <th scope="row">${c.subject}</th>
                              <td>${c.to}</td>
                            </tr>`,
                        )
                      : html`<tr>
                          <td colspan="3">Aucun courriel envoyé pour l’instant</td>
                        </tr>`
                  }
                </tbody>
              </table>
            </div>
          </section>`,
        options.versions ? historique(options.versions) : html`<p>Historique indisponible.</p>`,
        options.historique ?? false,
      )}`,
  );
};
