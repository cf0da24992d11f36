import { html, type Html } from '../html';
import { page } from '../layout';

export const DEV_ROLES = [
  { value: 'fournisseur', label: 'Fournisseur (éditeur de logiciel)' },
  { value: 'gestionnaire', label: 'Gestionnaire (instruction)' },
  { value: 'assistance', label: 'Assistance' },
  { value: 'auditeur', label: 'Auditeur' },
] as const;
export type DevRole = (typeof DEV_ROLES)[number]['value'];

export interface DevSignInForm {
  role?: string;
  siret?: string;
  errors?: { role?: string; siret?: string };
}

export const devSignInPage = (form: DevSignInForm = {}): Html => {
  const errors = form.errors ?? {};
  const siretError = errors.siret;
  return page(
    { title: 'Connexion de développement', principal: null },
    html`<div class="fr-grid-row fr-grid-row--center">
      <div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
        <h1>Connexion de développement</h1>
        <div class="fr-notice fr-notice--info fr-mb-4w">
          <div class="fr-container">
            <div class="fr-notice__body">
              <p class="fr-notice__title">
                Cette page n’existe qu’en mode embarqué (npm start) : elle permet de choisir un rôle sans
                fournisseur d’identité. Elle est refusée dans tout autre mode.
              </p>
            </div>
          </div>
        </div>
        <form method="post" action="/connexion" novalidate>
          <fieldset
            class="fr-fieldset ${errors.role ? 'fr-fieldset--error' : ''}"
            id="role"
            aria-labelledby="role-legend${errors.role ? ' role-erreur' : ''}"
          >
            <legend class="fr-fieldset__legend" id="role-legend">Rôle</legend>
            ${DEV_ROLES.map(
              (r) =>
                html`<div class="fr-fieldset__element">
                  <div class="fr-radio-group">
                    <input
                      type="radio"
                      id="role-${r.value}"
                      name="role"
                      value="${r.value}"
                      ${(form.role ?? 'fournisseur') === r.value ? html`checked` : ''}
                    />
                    <label class="fr-label" for="role-${r.value}">${r.label}</label>
                  </div>
                </div>`,
            )}
            ${
              errors.role
                ? html`<div class="fr-messages-group" id="role-erreur" aria-live="assertive">
                    <p class="fr-message fr-message--error">${errors.role}</p>
                  </div>`
                : ''
            }
          </fieldset>
          <div class="fr-input-group ${siretError ? 'fr-input-group--error' : ''}">
            <label class="fr-label" for="siret">
              SIRET du fournisseur
              <span class="fr-hint-text">14 chiffres ; seulement pour le rôle fournisseur</span>
            </label>
            <input
              class="fr-input ${siretError ? 'fr-input--error' : ''}"
              type="text"
              id="siret"
              name="siret"
              inputmode="numeric"
              autocomplete="off"
              value="${form.siret ?? ''}"
              ${siretError ? html`aria-describedby="siret-erreur"` : ''}
            />
            ${siretError ? html`<p class="fr-error-text" id="siret-erreur">${siretError}</p>` : ''}
          </div>
          <ul class="fr-btns-group">
            <li><button type="submit" class="fr-btn">Se connecter</button></li>
          </ul>
        </form>
      </div>
    </div>`,
  );
};
