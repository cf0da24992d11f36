import type { Principal } from '@segur/auth';
import type { ImportReportView } from '@segur/imports';
import { dateTimeFr } from '../format';
import { html, type Html } from '../html';
import { page } from '../layout';
import { alert } from './modification.parts';

export interface ImportForm {
  kind?: string;
  errors?: { general?: string; kind?: string; file?: string };
}

const STATUS: Readonly<Record<ImportReportView['status'], { label: string; badge: string }>> = {
  accepted: { label: 'Import accepté', badge: 'fr-badge--success' },
  partial: { label: 'Import partiellement accepté', badge: 'fr-badge--warning' },
  rejected: { label: 'Import refusé', badge: 'fr-badge--error' },
  duplicate: { label: 'Fichier déjà importé', badge: 'fr-badge--info' },
};

const RESULT: Readonly<
  Record<ImportReportView['lines'][number]['result'], { label: string; badge: string }>
> = {
  applied: { label: 'Enregistrée', badge: 'fr-badge--success' },
  unchanged: { label: 'Déjà enregistrée', badge: 'fr-badge--info' },
  rejected: { label: 'Refusée', badge: 'fr-badge--error' },
  autoRejected: { label: 'Rejet automatique', badge: 'fr-badge--warning' },
};

const KINDS = [
  { value: 'avance', label: 'Demandes d’avance' },
  { value: 'solde', label: 'Demandes de solde' },
] as const;

/** « Importer un fichier »: kind, JSON file, its PDFs; the progress bar needs the script, the form does not. */
export const importFormPage = (principal: Principal, form: ImportForm = {}): Html => {
  const errors = form.errors ?? {};
  return page(
    { title: 'Importer un fichier', principal, path: '/imports' },
    html`<h1>Importer un fichier de demandes</h1>
      ${errors.general ? alert('error', errors.general, 'erreur') : ''}
      <p>
        Déposez le fichier JSON de vos demandes d’avance ou de solde, avec les pièces justificatives (PDF)
        qu’il cite par leur nom de fichier. Le rapport indique, ligne par ligne, ce qui a été enregistré et
        chaque erreur.
      </p>
      <form method="post" action="/imports" enctype="multipart/form-data" id="formulaire-import" novalidate>
        <fieldset
          class="fr-fieldset ${errors.kind ? 'fr-fieldset--error' : ''}"
          aria-labelledby="type-legend${errors.kind ? ' type-erreur' : ''}"
        >
          <legend class="fr-fieldset__legend" id="type-legend">Type de demandes</legend>
          ${KINDS.map(
            (k) =>
              html`<div class="fr-fieldset__element">
                <div class="fr-radio-group">
                  <input
                    type="radio"
                    id="type-${k.value}"
                    name="type"
                    value="${k.value}"
                    ${(form.kind ?? 'solde') === k.value ? html`checked` : ''}
                  />
                  <label class="fr-label" for="type-${k.value}">${k.label}</label>
                </div>
              </div>`,
          )}
          ${
            errors.kind
              ? html`<div class="fr-messages-group" id="type-erreur">
                  <p class="fr-message fr-message--error">${errors.kind}</p>
                </div>`
              : ''
          }
        </fieldset>
        <div class="fr-upload-group ${errors.file ? 'fr-upload-group--error' : ''}">
          <label class="fr-label" for="fichier-import">
            Fichier des demandes
            <span class="fr-hint-text">Format JSON.</span>
          </label>
          <input
            class="fr-upload"
            type="file"
            id="fichier-import"
            name="file"
            accept="application/json,.json"
            ${errors.file ? html`aria-describedby="fichier-import-erreur"` : ''}
          />
          ${errors.file ? html`<p class="fr-error-text" id="fichier-import-erreur">${errors.file}</p>` : ''}
        </div>
        <div class="fr-upload-group fr-mt-3w">
          <label class="fr-label" for="pieces-import">
            Pièces justificatives
            <span class="fr-hint-text"
              >Fichiers PDF, nommés comme dans le fichier JSON. Plusieurs fichiers possibles.</span
            >
          </label>
          <input
            class="fr-upload"
            type="file"
            id="pieces-import"
            name="pieces"
            accept="application/pdf,.pdf"
            multiple
          />
        </div>
        <div class="fr-mt-3w" id="progression" hidden>
          <label class="fr-label" for="barre-progression">Envoi du fichier</label>
          <progress id="barre-progression" max="100" value="0">0 %</progress>
          <p class="fr-hint-text" id="progression-texte" aria-live="polite"></p>
        </div>
        <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-3w">
          <li><button type="submit" class="fr-btn">Importer</button></li>
        </ul>
      </form>
      <script src="/web/import-progress.js" defer></script>`,
  );
};

/** The line report: every line, its result, and each error at its field. */
export const importReportPage = (principal: Principal, r: ImportReportView): Html => {
  const status = STATUS[r.status];
  const errorCount = r.lines.reduce((n, l) => n + l.errors.length, 0);
  return page(
    { title: `Rapport d’import ${r.importId}`, principal, path: '/imports' },
    html`<nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
        <ol class="fr-breadcrumb__list">
          <li><a class="fr-breadcrumb__link" href="/imports">Importer un fichier</a></li>
          <li><a class="fr-breadcrumb__link" aria-current="page">Rapport</a></li>
        </ol>
      </nav>
      <h1>Rapport d’import</h1>
      <p><span class="fr-badge ${status.badge}" id="statut-import">${status.label}</span></p>
      <p>
        ${r.kind === 'avance' ? 'Demandes d’avance' : 'Demandes de solde'} reçues le
        ${dateTimeFr(r.receivedAt)} : ${r.lines.length} ligne(s), ${errorCount} erreur(s). Identifiant de
        l’import : <code>${r.importId}</code>.
      </p>
      <div class="fr-table" id="rapport-lignes">
        <table>
          <caption>
            Rapport ligne par ligne
          </caption>
          <thead>
            <tr>
              <th scope="col">Ligne</th>
              <th scope="col">Numéro ASP</th>
              <th scope="col">Résultat</th>
              <th scope="col">Champ</th>
              <th scope="col">Erreur</th>
            </tr>
          </thead>
          <tbody>
            ${r.lines.map((l) => {
              const result = RESULT[l.result];
              const first = l.errors[0];
              const rows = Math.max(1, l.errors.length);
              const head = html`<th scope="row" rowspan="${rows}">${l.numLigne ?? '—'}</th>
                <td rowspan="${rows}">${l.numeroASP ?? '—'}</td>
                <td rowspan="${rows}">
                  <span class="fr-badge fr-badge--sm ${result.badge}">${result.label}</span>
                </td>`;
              return html`<tr>
                  ${head}
                  <td>${first ? html`<code>${first.path}</code>` : '—'}</td>
                  <td>${first ? first.message : '—'}</td>
                </tr>
                ${l.errors.slice(1).map(
                  (e) =>
                    html`<tr>
                      <td><code>${e.path}</code></td>
                      <td>${e.message}</td>
                    </tr>`,
                )}`;
            })}
          </tbody>
        </table>
      </div>
      <ul class="fr-btns-group fr-btns-group--inline-md">
        <li><a class="fr-btn" href="/imports">Importer un autre fichier</a></li>
        <li><a class="fr-btn fr-btn--secondary" href="/mes-dossiers">Mes dossiers</a></li>
      </ul>`,
  );
};
