import type { Principal } from '@segur/auth';
import { html, type Html, type HtmlPart } from './html';

const ROLE_LABELS: Readonly<Record<string, string>> = {
  fournisseur: 'Fournisseur',
  gestionnaire: 'Gestionnaire',
  assistance: 'Assistance',
  auditeur: 'Auditeur',
  service: 'Service',
};

const who = (p: Principal): string =>
  p.role === 'fournisseur'
    ? `${ROLE_LABELS[p.role]} — SIRET ${p.sirets.join(', ')}`
    : (ROLE_LABELS[p.role] ?? p.role);

const tools = (principal: Principal | null): Html =>
  principal
    ? html`<ul class="fr-btns-group">
        <li>
          <p class="fr-tag fr-icon-account-circle-line fr-tag--icon-left fr-mr-2w">${who(principal)}</p>
        </li>
        <li>
          <form method="post" action="/deconnexion">
            <button type="submit" class="fr-btn fr-icon-logout-box-r-line">Se déconnecter</button>
          </form>
        </li>
      </ul>`
    : html`<ul class="fr-btns-group">
        <li><a class="fr-btn fr-icon-lock-line" href="/connexion">Se connecter</a></li>
      </ul>`;

/** Who reads the reporting page (the API's `GET /reports/*` roles). */
export const REPORTING_ROLES: readonly string[] = ['gestionnaire', 'auditeur'];

const nav = (principal: Principal | null, current: string): Html => {
  if (!principal) return html``;
  const links: [string, string][] =
    principal.role === 'fournisseur'
      ? [
          ['/mes-dossiers', 'Mes dossiers'],
          ['/imports', 'Importer un fichier'],
        ]
      : [
          ['/gestion', 'File de travail'],
          ['/mes-dossiers', 'Tous les dossiers'],
          ...(REPORTING_ROLES.includes(principal.role)
            ? ([['/rapports', 'Rapports']] as [string, string][])
            : []),
        ];
  return html`<div class="fr-header__menu">
    <div class="fr-container">
      <nav class="fr-nav" id="navigation" role="navigation" aria-label="Menu principal">
        <ul class="fr-nav__list">
          ${links.map(
            ([href, label]) =>
              html`<li class="fr-nav__item">
                <a class="fr-nav__link" href="${href}" ${href === current ? html`aria-current="page"` : ''}
                  >${label}</a
                >
              </li>`,
          )}
        </ul>
      </nav>
    </div>
  </div>`;
};

export interface PageOptions {
  title: string;
  principal: Principal | null;
  /** The path of this page, to mark the current menu entry. */
  path?: string;
  /** Our own scripts this page needs besides the DSFR's (the CSP allows only same-origin files). */
  scripts?: readonly string[];
}

/**
 * The DSFR shell every page shares: skip links, header with the « République française » block,
 * main landmark, footer. Assets come from the `@gouvfr/dsfr` package served under /dsfr.
 */
export const page = (options: PageOptions, content: HtmlPart): Html =>
  html`<!doctype html>
    <html lang="fr" data-fr-scheme="light">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no" />
        <meta name="format-detection" content="telephone=no" />
        <title>${options.title} — Ségur numérique</title>
        <link rel="stylesheet" href="/dsfr/dsfr.min.css" />
        <link rel="stylesheet" href="/dsfr/utility/icons/icons.min.css" />
        <link rel="icon" href="/dsfr/favicon/favicon.svg" type="image/svg+xml" />
      </head>
      <body>
        <div class="fr-skiplinks">
          <nav class="fr-container" role="navigation" aria-label="Accès rapide">
            <ul class="fr-skiplinks__list">
              <li><a class="fr-link" href="#contenu">Contenu</a></li>
              ${options.principal ? html`<li><a class="fr-link" href="#navigation">Menu</a></li>` : ''}
              <li><a class="fr-link" href="#pied-de-page">Pied de page</a></li>
            </ul>
          </nav>
        </div>
        <header role="banner" class="fr-header">
          <div class="fr-header__body">
            <div class="fr-container">
              <div class="fr-header__body-row">
                <div class="fr-header__brand fr-enlarge-link">
                  <div class="fr-header__brand-top">
                    <div class="fr-header__logo">
                      <p class="fr-logo">République<br />française</p>
                    </div>
                  </div>
                  <div class="fr-header__service">
                    <a href="/" title="Accueil — Ségur numérique">
                      <p class="fr-header__service-title">Ségur numérique</p>
                    </a>
                    <p class="fr-header__service-tagline">Suivi des demandes de financement</p>
                  </div>
                </div>
                <div class="fr-header__tools">
                  <div class="fr-header__tools-links">${tools(options.principal)}</div>
                </div>
              </div>
            </div>
          </div>
          ${nav(options.principal, options.path ?? '')}
        </header>
        <main id="contenu" role="main" tabindex="-1">
          <div class="fr-container fr-my-6w">${content}</div>
        </main>
        <footer class="fr-footer" role="contentinfo" id="pied-de-page">
          <div class="fr-container">
            <div class="fr-footer__body">
              <div class="fr-footer__brand fr-enlarge-link">
                <a href="/" title="Retour à l’accueil — Ségur numérique">
                  <p class="fr-logo">République<br />française</p>
                </a>
              </div>
              <div class="fr-footer__content">
                <p class="fr-footer__content-desc">
                  Suivi des demandes de financement du Ségur numérique : avance, solde et modifications.
                </p>
                <ul class="fr-footer__content-list">
                  <li class="fr-footer__content-item">
                    <a class="fr-footer__content-link" href="https://www.legifrance.gouv.fr"
                      >legifrance.gouv.fr</a
                    >
                  </li>
                  <li class="fr-footer__content-item">
                    <a class="fr-footer__content-link" href="https://www.gouvernement.fr">gouvernement.fr</a>
                  </li>
                  <li class="fr-footer__content-item">
                    <a class="fr-footer__content-link" href="https://www.service-public.fr"
                      >service-public.fr</a
                    >
                  </li>
                  <li class="fr-footer__content-item">
                    <a class="fr-footer__content-link" href="https://www.data.gouv.fr">data.gouv.fr</a>
                  </li>
                </ul>
              </div>
            </div>
            <div class="fr-footer__bottom">
              <ul class="fr-footer__bottom-list">
                <li class="fr-footer__bottom-item">
                  <span class="fr-footer__bottom-link">Accessibilité : non conforme (audit à venir)</span>
                </li>
              </ul>
              <div class="fr-footer__bottom-copy">
                <p>Sauf mention contraire, tous les contenus de ce site sont sous licence etalab-2.0</p>
              </div>
            </div>
          </div>
        </footer>
        <script type="module" src="/dsfr/dsfr.module.min.js"></script>
        <script nomodule src="/dsfr/dsfr.nomodule.min.js"></script>
        ${(options.scripts ?? []).map((src) => html`<script defer src="${src}"></script>`)}
      </body>
    </html>`;

/** A French error page (404, 403, 401…): same shell, a heading and what to do next. */
export const errorPage = (principal: Principal | null, title: string, detail: string): Html =>
  page(
    { title, principal },
    html`<h1>${title}</h1>
      <p class="fr-text--lead">${detail}</p>
      <ul class="fr-btns-group fr-btns-group--inline-md">
        <li><a class="fr-btn" href="/">Retour à l’accueil</a></li>
      </ul>`,
  );
