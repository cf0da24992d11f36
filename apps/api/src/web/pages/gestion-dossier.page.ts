import type { Principal } from '@segur/auth';
import type { SuiviPage } from '@segur/projections';
import type { ProblemFieldError } from '../../http/problem';
import { dateTimeFr, euros, statutBadge } from '../format';
import {
  GESTION_ACTIONS,
  type ActionField,
  type FormValues,
  type GestionAction,
} from '../gestion/gestion-actions';
import { html, type Html } from '../html';
import { page } from '../layout';
import { liveRegion } from './live.fragment';

/** A refused action, shown inline on its form: the problem's detail and its field errors. */
export interface ActionFailure {
  slug: string;
  detail: string;
  errors: readonly ProblemFieldError[];
  values: FormValues;
}

/** What the form shows first: the amounts proposed for validation, the values sent back after a refusal. */
const initialValue = (s: SuiviPage, a: GestionAction, f: ActionField, failure?: ActionFailure): string => {
  if (failure?.slug === a.slug) return failure.values[f.name] ?? '';
  const m = s.informations.montants;
  if (a.slug === 'validation' && f.name === 'engagementRetenu') return m.engagementRetenu?.formatted ?? '';
  if (a.slug === 'validation' && f.name === 'soldeDecide') return m.soldeDecide?.formatted ?? '';
  return '';
};

const field = (s: SuiviPage, a: GestionAction, f: ActionField, failure?: ActionFailure): Html => {
  const id = `${a.slug}-${f.name}`;
  const errors = failure?.slug === a.slug ? failure.errors.filter((e) => e.path === f.name) : [];
  const invalid = errors.length > 0;
  const describedBy = [f.hint ? `${id}-aide` : '', invalid ? `${id}-erreur` : ''].filter(Boolean).join(' ');
  const value = initialValue(s, a, f, failure);
  const attrs = html`id="${id}" name="${f.name}" ${f.required ? html`required` : ''}
  ${describedBy ? html`aria-describedby="${describedBy}"` : ''} ${invalid ? html`aria-invalid="true"` : ''}`;
  return html`<div class="fr-input-group ${invalid ? 'fr-input-group--error' : ''}">
    <label class="fr-label" for="${id}"
      >${f.label}${f.required ? '' : ' (facultatif)'}
      ${f.hint ? html`<span class="fr-hint-text" id="${id}-aide">${f.hint}</span>` : ''}</label
    >
    ${
      f.kind === 'textarea'
        ? html`<textarea
            class="fr-input ${invalid ? 'fr-input--error' : ''}"
            ${attrs}
            rows="3"
            maxlength="4000"
          >
${value}</textarea>`
        : html`<input
            class="fr-input ${invalid ? 'fr-input--error' : ''}"
            type="text"
            ${f.kind === 'montant' ? html`inputmode="decimal"` : ''}
            ${attrs}
            value="${value}"
          />`
    }
    ${
      invalid
        ? html`<p class="fr-error-text" id="${id}-erreur">${errors.map((e) => e.message).join(' ; ')}</p>`
        : ''
    }
  </div>`;
};

const actionForm = (s: SuiviPage, a: GestionAction, failure?: ActionFailure): Html => {
  const failed = failure?.slug === a.slug;
  return html`<section class="fr-mb-4w" aria-labelledby="action-${a.slug}">
    <h3 id="action-${a.slug}">${a.title}</h3>
    ${
      failed
        ? html`<div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert" id="erreur-${a.slug}">
            <p>
              ${failure.errors.some((e) => a.fields.some((f) => f.name === e.path)) ? 'Le formulaire contient une erreur : corrigez le champ signalé.' : failure.detail}
            </p>
          </div>`
        : ''
    }
    <form method="post" action="/gestion/dossiers/${s.numeroAsp}/${a.slug}" novalidate>
      <input type="hidden" name="version" value="${s.streamVersion}" />
      ${a.fields.map((f) => field(s, a, f, failure))}
      <button type="submit" class="fr-btn">${a.button}</button>
    </form>
  </section>`;
};

const DONE: Readonly<Record<string, string>> = {
  'paiement-avance': 'Le paiement de l’avance est enregistré.',
  modification: 'La demande de modification est envoyée au fournisseur.',
  validation: 'Le solde est validé.',
  rejet: 'Le solde est rejeté.',
  'paiement-solde': 'Le paiement du solde est enregistré.',
  recouvrement: 'L’ordre de recouvrement est émis.',
};

/**
 * The back-office page of one dossier: what the gestionnaire decides on, and the actions the domain
 * allows this person now (`allowedActions` of the read side, the same list the API returns).
 */
export const gestionDossierPage = (
  principal: Principal,
  s: SuiviPage,
  options: { done?: string; failure?: ActionFailure; liveFrom: string | null },
): Html => {
  const r = s.recapitulatif;
  const m = s.informations.montants;
  const actions = GESTION_ACTIONS.filter((a) => s.allowedActions.includes(a.action));
  const done = options.done ? DONE[options.done] : undefined;
  return page(
    { title: `Instruction du dossier ${s.numeroAsp}`, principal, scripts: ['/web/direct.js'] },
    html`<nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
        <ol class="fr-breadcrumb__list">
          <li><a class="fr-breadcrumb__link" href="/gestion">File de travail</a></li>
          <li><a class="fr-breadcrumb__link" aria-current="page">${s.numeroAsp}</a></li>
        </ol>
      </nav>
      <h1>Instruction du dossier ${s.numeroAsp}</h1>
      ${liveRegion({ stream: `/flux/dossiers/${s.numeroAsp}`, from: options.liveFrom })}
      ${
        done
          ? html`<div class="fr-alert fr-alert--success fr-alert--sm fr-mb-4w" role="status">
              <p>${done}</p>
            </div>`
          : ''
      }
      <div>
        <ul class="fr-btns-group fr-btns-group--inline-md fr-mb-4w">
          <li><a class="fr-btn fr-btn--secondary" href="/dossiers/${s.numeroAsp}">Page de suivi</a></li>
          <li>
            <a class="fr-btn fr-btn--secondary" href="/dossiers/${s.numeroAsp}/journal"
              >Journal des événements</a
            >
          </li>
        </ul>
        <section class="fr-mb-6w" aria-labelledby="situation" data-direct-zone="situation">
          <h2 id="situation">Situation</h2>
          <div class="fr-table fr-table--no-caption fr-table--layout-fixed">
            <table>
              <caption class="fr-sr-only">
                Situation du dossier
              </caption>
              <tbody>
                <tr>
                  <th scope="row">Statut</th>
                  <td id="statut-dossier">${statutBadge(r.statut, r.statutLabel)}</td>
                </tr>
                <tr>
                  <th scope="row">Demande</th>
                  <td>${r.phaseLabel}</td>
                </tr>
                <tr>
                  <th scope="row">Fournisseur</th>
                  <td>${r.denominationSociale ?? '—'} (SIRET ${r.siret})</td>
                </tr>
                <tr>
                  <th scope="row">Couloir</th>
                  <td>${s.couloir}</td>
                </tr>
                <tr>
                  <th scope="row">Avance décidée</th>
                  <td>${euros(m.avanceDecide?.formatted)}</td>
                </tr>
                <tr>
                  <th scope="row">${m.proposes ? 'Engagement retenu (proposé)' : 'Engagement retenu'}</th>
                  <td>${euros(m.engagementRetenu?.formatted)}</td>
                </tr>
                <tr>
                  <th scope="row">${m.proposes ? 'Solde décidé (proposé)' : 'Solde décidé'}</th>
                  <td>${euros(m.soldeDecide?.formatted)}</td>
                </tr>
                ${
                  s.modification
                    ? html`<tr>
                          <th scope="row">Modification demandée</th>
                          <td>« ${s.modification.commentaire} » (${s.modification.version})</td>
                        </tr>
                        <tr>
                          <th scope="row">Date limite</th>
                          <td>${s.modification.dateLimite}</td>
                        </tr>`
                    : ''
                }
                ${
                  s.decision
                    ? html`<tr>
                        <th scope="row">Validé le</th>
                        <td>${dateTimeFr(s.decision.validatedAt)}</td>
                      </tr>`
                    : ''
                }
                ${
                  s.rejet
                    ? html`<tr>
                        <th scope="row">Rejet</th>
                        <td>« ${s.rejet.motif} » le ${dateTimeFr(s.rejet.rejectedAt)}</td>
                      </tr>`
                    : ''
                }
              </tbody>
            </table>
          </div>
        </section>
        <section class="fr-mb-6w" aria-labelledby="actions">
          <h2 id="actions">Actions</h2>
          ${
            options.failure && !actions.some((a) => a.slug === options.failure?.slug)
              ? html`<div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert">
                  <p>${options.failure.detail}</p>
                </div>`
              : ''
          }
          ${
            actions.length > 0
              ? actions.map((a) => actionForm(s, a, options.failure))
              : html`<p>Aucune action ne vous est ouverte sur ce dossier à ce statut.</p>`
          }
        </section>
      </div>`,
  );
};
