import type { PieceView, SuiviPage } from '@segur/projections';
import { html, type Html } from '../html';

/** Errors of a refused form, by where they show: a field, the piece form, or the whole page. */
export interface FormErrors {
  general?: string;
  fields?: Readonly<Record<string, string>>;
  type?: string;
  file?: string;
}

/** A field's path (`scenariosEffectivementInstalles.certificatDMP`) as an HTML id. */
export const fieldId = (field: string): string => `champ-${field.replace(/[^A-Za-z0-9_-]/g, '-')}`;

export const alert = (kind: 'success' | 'error', text: string, id: string): Html =>
  html`<div
    class="fr-alert fr-alert--${kind} fr-alert--sm fr-mb-4w"
    id="${id}"
    role="${kind === 'error' ? 'alert' : 'status'}"
  >
    <p>${text}</p>
  </div>`;

const kilo = (bytes: number): string => `${Math.max(1, Math.round(bytes / 1024))} Ko`;

/**
 * The pieces of the version under modification and of the draft. Only a piece added in this draft
 * has a « Supprimer » button (the read side's `canDelete`); the server refuses the others anyway.
 */
export const piecesTable = (s: SuiviPage, pieces: readonly PieceView[]): Html =>
  html`<div class="fr-table fr-table--no-caption" id="tableau-pieces">
    <table>
      <caption>
        Pièces justificatives (${pieces.length})
      </caption>
      <thead>
        <tr>
          <th scope="col">Type</th>
          <th scope="col">Fichier</th>
          <th scope="col">Version</th>
          <th scope="col">Taille</th>
          <th scope="col">Action</th>
        </tr>
      </thead>
      <tbody>
        ${pieces.map(
          (p) =>
            html`<tr>
              <td>${p.type}</td>
              <th scope="row">${p.nomFichier}</th>
              <td>${p.addedInVersion}</td>
              <td>${kilo(p.taille)}</td>
              <td>
                ${
                  p.canDelete
                    ? html`<form
                        method="post"
                        action="/dossiers/${s.numeroAsp}/modification/pieces/${p.pieceId}/suppression"
                      >
                        <input type="hidden" name="version" value="${s.streamVersion}" />
                        <button
                          type="submit"
                          class="fr-btn fr-btn--sm fr-btn--tertiary fr-icon-delete-line fr-btn--icon-left"
                        >
                          Supprimer<span class="fr-sr-only"> ${p.nomFichier}</span>
                        </button>
                      </form>`
                    : html`<span class="fr-hint-text">Déposée avec une version précédente</span>`
                }
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
