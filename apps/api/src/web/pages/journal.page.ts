import type { Principal } from '@segur/auth';
import { DOSSIER_EVENT_TYPES, EVENT_CATALOGUE } from '@segur/domain';
import type { RecordedEvent } from '@segur/event-store';
import { dateTimeFr } from '../format';
import { html, type Html } from '../html';
import { acteurKey, journalQueryString, type JournalFilter } from '../journal/journal-filter';
import type { JournalIntegrite } from '../journal/journal-integrite';
import { page } from '../layout';
import { integriteFragment } from './integrite.fragment';

const descriptionOf = (type: string): string =>
  (EVENT_CATALOGUE as Readonly<Record<string, { description: string } | undefined>>)[type]?.description ?? '';

const short = (id: string | null | undefined): Html =>
  id
    ? html`<code title="${id}">${id.length > 13 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id}</code>`
    : html`—`;

const select = (
  id: string,
  label: string,
  current: string | null,
  options: readonly (readonly [string, string])[],
): Html =>
  html`<div class="fr-select-group">
    <label class="fr-label" for="${id}">${label}</label>
    <select class="fr-select" id="${id}" name="${id}">
      <option value="" ${current === null ? html`selected` : ''}>Tous</option>
      ${options.map(
        ([value, text]) =>
          html`<option value="${value}" ${current === value ? html`selected` : ''}>${text}</option>`,
      )}
    </select>
  </div>`;

/**
 * The auditor's timeline: every event of the dossier's stream, oldest first, read from the store
 * itself (`GetDossierEventsQuery`, the API's `GET /dossiers/{n}/events`), who, what, when,
 * correlation and causation; each envelope in full behind a `<details>`. Above it, the hash
 * chain's verification (`integrite`), always of the whole stream.
 */
export const journalPage = (
  principal: Principal,
  numeroAsp: string,
  events: readonly RecordedEvent[],
  allEvents: readonly RecordedEvent[],
  filter: JournalFilter,
  integrite: JournalIntegrite,
): Html => {
  const acteurs = [...new Set(allEvents.map(acteurKey))]
    .sort()
    .map((k) => [k, k.replace(':', ' — ')] as const);
  const qs = journalQueryString(filter);
  return page(
    { title: `Journal du dossier ${numeroAsp}`, principal },
    html`<nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
        <ol class="fr-breadcrumb__list">
          <li><a class="fr-breadcrumb__link" href="/dossiers/${numeroAsp}">${numeroAsp}</a></li>
          <li><a class="fr-breadcrumb__link" aria-current="page">Journal</a></li>
        </ol>
      </nav>
      <h1>Journal des événements du dossier ${numeroAsp}</h1>
      ${integriteFragment(integrite)}
      <form
        method="get"
        action="/dossiers/${numeroAsp}/journal"
        class="fr-mb-4w"
        aria-label="Filtrer le journal"
      >
        <div class="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
          <div class="fr-col-12 fr-col-md-5">
            ${select(
              'type',
              'Type d’événement',
              filter.type,
              DOSSIER_EVENT_TYPES.map((t) => [t, t] as const),
            )}
          </div>
          <div class="fr-col-12 fr-col-md-5">${select('acteur', 'Acteur', filter.acteur, acteurs)}</div>
          <div class="fr-col-12 fr-col-md-2">
            <button type="submit" class="fr-btn">Filtrer</button>
          </div>
        </div>
      </form>
      <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left fr-mb-2w">
        <li>
          <a
            class="fr-btn fr-btn--secondary fr-icon-download-line"
            href="/dossiers/${numeroAsp}/journal.csv${qs}"
            download
            >Exporter en CSV</a
          >
        </li>
        <li>
          <a
            class="fr-btn fr-btn--secondary fr-icon-download-line"
            href="/dossiers/${numeroAsp}/journal.json${qs}"
            download
            >Exporter en JSON</a
          >
        </li>
      </ul>
      <div class="fr-table fr-table--no-caption">
        <table id="journal">
          <caption>
            Événements du dossier ${numeroAsp} (${events.length} sur ${allEvents.length})
          </caption>
          <thead>
            <tr>
              <th scope="col">N°</th>
              <th scope="col">Quand</th>
              <th scope="col">Quoi</th>
              <th scope="col">Qui</th>
              <th scope="col">Corrélation</th>
              <th scope="col">Cause</th>
              <th scope="col">Enveloppe</th>
            </tr>
          </thead>
          <tbody>
            ${
              events.length > 0
                ? events.map(
                    (e) =>
                      html`<tr data-type="${e.type}">
                        <td>${e.streamVersion}</td>
                        <td><time datetime="${e.recordedAt}">${dateTimeFr(e.recordedAt)}</time></td>
                        <th scope="row">
                          ${e.type}<br /><span class="fr-text--xs">${descriptionOf(e.type)}</span>
                        </th>
                        <td>
                          ${e.metadata.actor.id}<br /><span class="fr-text--xs"
                            >${e.metadata.actor.role}</span
                          >
                        </td>
                        <td>${short(e.metadata.correlationId)}</td>
                        <td>${short(e.metadata.causationId)}</td>
                        <td>
                          <details>
                            <summary>Voir l’enveloppe</summary>
                            <pre class="fr-text--xs">${JSON.stringify(e, null, 2)}</pre>
                          </details>
                        </td>
                      </tr>`,
                  )
                : html`<tr>
                    <td colspan="7">Aucun événement ne correspond à ces filtres</td>
                  </tr>`
            }
          </tbody>
        </table>
      </div>`,
  );
};
