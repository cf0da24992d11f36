import { dateTimeFr } from '../format';
import { html, type Html } from '../html';
import type { IntegriteEvent, JournalIntegrite } from '../journal/journal-integrite';

const eventLabel = (e: IntegriteEvent): Html =>
  html`version ${e.streamVersion ?? '—'}, type ${e.type ?? 'inconnu'}, identifiant
    <code>${e.id}</code>${e.position ? html`, position <code>${e.position}</code>` : ''}`;

const body = (v: JournalIntegrite): Html => {
  switch (v.state) {
    case 'integre':
      return html`<div class="fr-alert fr-alert--success fr-alert--sm" role="status">
        <p>
          <strong>Chaîne intègre</strong> : les ${v.events} événements du dossier ont été recalculés sans
          écart, jusqu’à la version
          ${v.streamVersion}${v.position ? html` (position <code>${v.position}</code>)` : ''}.
        </p>
        <p>
          ${
            v.checkpoint
              ? html`Dernier point de contrôle signé vérifié : n° ${v.checkpoint.id} du
                ${dateTimeFr(v.checkpoint.createdAt)}${
                  v.checkpoint.position ? html` (position <code>${v.checkpoint.position}</code>)` : ''
                }.`
              : 'Aucun point de contrôle signé pour l’instant : seule la chaîne de hachage est vérifiée.'
          }
        </p>
      </div>`;
    case 'rompue':
      return html`<div class="fr-alert fr-alert--error" role="alert">
        <h2 class="fr-alert__title">Chaîne rompue</h2>
        <p>
          Premier maillon rompu :
          ${v.event ? html`l’événement ${eventLabel(v.event)}` : 'un point de contrôle signé'}.
        </p>
        <p>${v.difference}</p>
        ${
          v.expected !== null || v.found !== null
            ? html`<p class="fr-text--sm">
                Attendu : <code>${v.expected ?? '—'}</code><br />Trouvé : <code>${v.found ?? '—'}</code>
              </p>`
            : ''
        }
        <p class="fr-text--sm">${v.detail}</p>
      </div>`;
    case 'non-chainee':
      return html`<div class="fr-alert fr-alert--warning fr-alert--sm" role="status">
        <p>
          <strong>Chaîne non vérifiable</strong> : des événements de ce dossier ont été écrits avant la chaîne
          de hachage${v.event ? html` (à partir de l’événement ${eventLabel(v.event)})` : ''} et ne sont pas
          encore chaînés.
          ${
            v.cannotChain === undefined
              ? html`Un exploitant les chaîne une fois avec <code>npm run cli -- audit chain</code>.`
              : v.cannotChain
          }
        </p>
      </div>`;
    case 'non-disponible':
      return html`<div class="fr-alert fr-alert--info fr-alert--sm" role="status">
        <p>
          <strong>Vérification de l’intégrité non disponible</strong> : le magasin d’événements de ce service
          n’offre pas la piste d’audit. ${v.detail}.
        </p>
      </div>`;
  }
};

/**
 * The journal's integrity badge (docs/audit.md): the outcome of `VerifyDossierAuditQuery` over the
 * dossier's whole stream, whatever the filters. The state is written in words (the alert's colour
 * only repeats it) and in `data-integrite` for tests and tools.
 */
export const integriteFragment = (v: JournalIntegrite): Html =>
  html`<div id="integrite" class="fr-mb-4w" data-integrite="${v.state}">${body(v)}</div>`;
