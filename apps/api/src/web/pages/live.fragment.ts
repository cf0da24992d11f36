import { html, type Html } from '../html';

/**
 * Where the live notice appears (docs/web.md, "Live"): an empty polite live region the script
 * `/web/direct.js` fills with the DSFR notice « Ce dossier a changé » when the stream `stream`
 * sends a change after `from` (the store's head when the page was built). The zones marked
 * `data-direct-zone` are then refreshed in place. Without JavaScript nothing happens: the page stays
 * as it was served.
 */
export const liveRegion = (o: { stream: string; from: string | null; message?: string }): Html =>
  html`<div
    id="direct"
    class="fr-mb-2w"
    role="status"
    aria-live="polite"
    data-direct-stream="${o.stream}"
    data-direct-from="${o.from ?? ''}"
    data-direct-message="${o.message ?? 'Ce dossier a changé'}"
  ></div>`;
