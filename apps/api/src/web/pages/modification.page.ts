import type { Principal } from '@segur/auth';
import type { PieceView, SuiviPage } from '@segur/projections';
import { html, type Html } from '../html';
import { page } from '../layout';
import { alert, fieldId, piecesTable, type FormErrors } from './modification.parts';

export type { FormErrors } from './modification.parts';

export interface ModificationForm {
  /** Values typed by the person, shown again when the edit was refused. */
  values?: Readonly<Record<string, string>>;
  pieceType?: string;
  errors?: FormErrors;
  /** A French notice after a successful action (Post/Redirect/Get). */
  notice?: string;
}

const editableField = (
  c: { field: string; label: string; value: string | null },
  draftValue: string | null,
  modified: boolean,
  typed: string | undefined,
  error: string | undefined,
): Html => {
  const id = fieldId(c.field);
  const state = error ? 'error' : modified ? 'valid' : null;
  const describedBy = [error ? `${id}-erreur` : null, modified && !error ? `${id}-modifie` : null]
    .filter((x) => x !== null)
    .join(' ');
  // The changed value is green (DSFR success colour) AND says « Modifié » in words: colour alone
  // carries no meaning for everyone (RGAA 3.1).
  return html`<div class="fr-input-group ${state ? `fr-input-group--${state}` : ''}" id="${id}-groupe">
    <label class="fr-label" for="${id}">
      ${c.label}
      <span class="fr-hint-text">Valeur de la version actuelle : ${c.value ?? '(vide)'}</span>
    </label>
    <input
      class="fr-input ${state ? `fr-input--${state}` : ''}"
      type="text"
      id="${id}"
      name="${c.field}"
      value="${typed ?? draftValue ?? ''}"
      ${describedBy ? html`aria-describedby="${describedBy}"` : ''}
    />
    ${error ? html`<p class="fr-error-text" id="${id}-erreur">${error}</p>` : ''}
    ${
      modified && !error
        ? html`<p class="fr-valid-text" id="${id}-modifie">
            Modifié : « ${c.value ?? '(vide)'} » devient « ${draftValue ?? '(vide)'} »
          </p>`
        : ''
    }
  </div>`;
};

const uploadForm = (s: SuiviPage, typesPieces: readonly string[], form: ModificationForm): Html => {
  const errors = form.errors ?? {};
  const typeError = errors.type;
  const fileError = errors.file;
  return html`<form
    method="post"
    action="/dossiers/${s.numeroAsp}/modification/pieces"
    enctype="multipart/form-data"
    novalidate
    aria-labelledby="deposer-piece"
  >
    <h3 id="deposer-piece" class="fr-h5">Déposer une pièce complémentaire</h3>
    <input type="hidden" name="version" value="${s.streamVersion}" />
    <div class="fr-select-group ${typeError ? 'fr-select-group--error' : ''}">
      <label class="fr-label" for="piece-type">Type de pièce</label>
      <select
        class="fr-select ${typeError ? 'fr-select--error' : ''}"
        id="piece-type"
        name="type"
        ${typeError ? html`aria-describedby="piece-type-erreur"` : ''}
      >
        <option value="" ${form.pieceType ? '' : html`selected`} disabled hidden>Choisir un type</option>
        ${typesPieces.map(
          (t) => html`<option value="${t}" ${form.pieceType === t ? html`selected` : ''}>${t}</option>`,
        )}
      </select>
      ${typeError ? html`<p class="fr-error-text" id="piece-type-erreur">${typeError}</p>` : ''}
    </div>
    <div class="fr-upload-group ${fileError ? 'fr-upload-group--error' : ''}">
      <label class="fr-label" for="piece-fichier">
        Fichier
        <span class="fr-hint-text">Format PDF uniquement.</span>
      </label>
      <input
        class="fr-upload"
        type="file"
        id="piece-fichier"
        name="file"
        accept="application/pdf,.pdf"
        ${fileError ? html`aria-describedby="piece-fichier-erreur"` : ''}
      />
      ${fileError ? html`<p class="fr-error-text" id="piece-fichier-erreur">${fileError}</p>` : ''}
    </div>
    <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left fr-mt-2w">
      <li>
        <button type="submit" class="fr-btn fr-btn--secondary fr-icon-upload-line fr-btn--icon-left">
          Importer
        </button>
      </li>
    </ul>
  </form>`;
};

/**
 * « Modifier ma demande » (docs/web.md): the gestionnaire's comment, the couloir's editable fields
 * with what changed in green, the pieces (only the draft's own can be deleted), Confirmer and Ne pas
 * modifier. Every form carries the stream version the page was built from (`version`), the form's
 * If-Match.
 */
export const modificationPage = (
  principal: Principal,
  s: SuiviPage,
  typesPieces: readonly string[],
  form: ModificationForm = {},
): Html => {
  const m = s.modification;
  if (!m) throw new Error('modificationPage sans modification ouverte');
  const errors = form.errors ?? {};
  const modified = new Set(m.draft.diff.map((d) => d.field));
  const pieces: PieceView[] = s.pieces;
  return page(
    { title: `Modifier la demande ${s.numeroAsp}`, principal },
    html`<nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
        <ol class="fr-breadcrumb__list">
          <li><a class="fr-breadcrumb__link" href="/mes-dossiers">Mes dossiers</a></li>
          <li><a class="fr-breadcrumb__link" href="/dossiers/${s.numeroAsp}">${s.numeroAsp}</a></li>
          <li><a class="fr-breadcrumb__link" aria-current="page">Modification</a></li>
        </ol>
      </nav>
      <h1>Modifier ma demande de solde</h1>
      ${form.notice ? alert('success', form.notice, 'notice') : ''}
      ${errors.general ? alert('error', errors.general, 'erreur') : ''}
      <section class="fr-mb-6w" aria-labelledby="demande-modification">
        <h2 id="demande-modification">Demande de modification ${m.numeroAspVersion}</h2>
        <div class="fr-callout">
          <p class="fr-callout__text">Commentaire du gestionnaire : « ${m.commentaire} »</p>
          <p>
            Date limite pour modifier votre demande (J+20) :
            <strong id="date-limite">${m.dateLimite}</strong>. Sans réponse à cette date, la demande est
            rejetée.
          </p>
        </div>
      </section>
      <section class="fr-mb-6w" aria-labelledby="informations-modifiables">
        <h2 id="informations-modifiables">Informations modifiables</h2>
        <form method="post" action="/dossiers/${s.numeroAsp}/modification" novalidate>
          <input type="hidden" name="version" value="${s.streamVersion}" />
          ${s.informations.champsEditables.map((c) =>
            editableField(
              c,
              m.draft.champs[c.field] ?? null,
              modified.has(c.field),
              form.values?.[c.field],
              errors.fields?.[c.field],
            ),
          )}
          <ul class="fr-btns-group fr-btns-group--inline-md">
            <li>
              <button type="submit" class="fr-btn fr-btn--secondary">Enregistrer les modifications</button>
            </li>
          </ul>
        </form>
      </section>
      <section class="fr-mb-6w" aria-labelledby="pieces">
        <h2 id="pieces">Pièces justificatives</h2>
        ${piecesTable(s, pieces)} ${uploadForm(s, typesPieces, form)}
      </section>
      <section class="fr-mb-6w" aria-labelledby="envoyer">
        <h2 id="envoyer">Envoyer ma réponse</h2>
        <p>
          <strong>Confirmer</strong> envoie la version modifiée au gestionnaire.
          <strong>Ne pas modifier</strong>
          abandonne ce brouillon : le gestionnaire instruit la version actuelle.
        </p>
        <ul class="fr-btns-group fr-btns-group--inline-md">
          <li>
            <form method="post" action="/dossiers/${s.numeroAsp}/modification/confirmation">
              <input type="hidden" name="version" value="${s.streamVersion}" />
              <button type="submit" class="fr-btn">Confirmer</button>
            </form>
          </li>
          <li>
            <form method="post" action="/dossiers/${s.numeroAsp}/modification/abandon">
              <input type="hidden" name="version" value="${s.streamVersion}" />
              <button type="submit" class="fr-btn fr-btn--tertiary">Ne pas modifier</button>
            </form>
          </li>
        </ul>
      </section>`,
  );
};
