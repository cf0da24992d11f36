import { dirname } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import express, { type NextFunction, type Request, type Response } from 'express';
import { BACK_OFFICE, JwtVerifier, type Principal } from '@segur/auth';
import { isValidSiret, STATUT_LABELS, type Statut } from '@segur/domain';
import { Refusal } from '@segur/kernel';
import type { Infrastructure } from '@segur/platform';
import type { DossierListPage } from '@segur/projections';
import { ListDossiersQuery } from '@segur/queries';
import { mountFournisseurRoutes, NOTICES } from './fournisseur-routes';
import { mountImportRoutes } from './import-routes';
import { suiviWithHistory } from './suivi-reads';
import type { Html } from './html';
import { mountGestionRoutes } from './gestion-routes';
import { errorPage, page } from './layout';
import { html } from './html';
import { DEV_ROLES, devSignInPage, type DevRole } from './pages/dev-sign-in.page';
import { dossiersListPage } from './pages/dossiers-list.page';
import { suiviPage } from './pages/suivi.page';
import { workQueuePage, type WorkQueueSection } from './pages/work-queue.page';
import { clearSession, principalOfRequest, setSession } from './session';
import { OidcSignIn, SignInFailure } from './oidc/oidc-sign-in';

const NUMERO_ASP = /^FIN[A-Z]{3}\d{6}$/;
const QUEUE_ORDER: Statut[] = ['A_MODIFIER', 'EN_COURS', 'VALIDEE', 'REJETEE', 'PAIEMENT_EFFECTUE'];
const QUEUE_LIMIT = 50;
const CURSOR = /^[0-9A-Za-z:._-]{1,200}$/;

// Pages carry personal data: never cached, never framed; only our own assets run.
const CSP = [
  "default-src 'self'",
  "img-src 'self' data:",
  "script-src 'self'",
  "style-src 'self'",
  "font-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

const send = (res: Response, status: number, body: Html): void => {
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
    })
    .send(body.value);
};

type PageHandler = (req: Request, res: Response, principal: Principal | null) => Promise<void>;

/**
 * The web pages (docs/web.md): server-rendered DSFR markup on plain Express routes of the api. They
 * read through the same QueryBus as the JSON routes, with the principal of the session token, so
 * roles and tenancy are decided in one place for both.
 */
export const mountWebPages = (app: NestExpressApplication, infra: Infrastructure): void => {
  const embedded = infra.config.embedded;
  // With OIDC configured, /connexion is the provider's whatever the mode; the development sign-in
  // exists only in embedded mode without it.
  const oidc = infra.config.oidc ? new OidcSignIn(infra.config.oidc) : null;
  const devSignIn = embedded && !oidc;
  const http = app.getHttpAdapter().getInstance();
  const dsfrDist = dirname(require.resolve('@gouvfr/dsfr/dist/dsfr.min.css'));
  http.use('/dsfr', express.static(dsfrDist, { index: false, maxAge: '1d', fallthrough: false }));

  const verifier = (): JwtVerifier => app.get(JwtVerifier, { strict: false });
  const queries = (): QueryBus => app.get(QueryBus, { strict: false });

  const route =
    (handler: PageHandler) =>
    (req: Request, res: Response, next: NextFunction): void => {
      let principal: Principal | null = null;
      principalOfRequest(req, verifier())
        .then((p) => {
          principal = p;
          return handler(req, res, p);
        })
        .catch((e: unknown) => {
          if (e instanceof Refusal && e.kind === 'not-found')
            return send(res, 404, errorPage(principal, 'Dossier introuvable', e.message));
          infra.logger.error({ err: e, path: req.path }, 'page web en échec');
          if (res.headersSent) return next(e);
          send(
            res,
            500,
            errorPage(
              principal,
              'Erreur inattendue',
              'La page n’a pas pu être affichée. Réessayez dans un instant.',
            ),
          );
        });
    };

  /** Signed-in pages: without a session, to the sign-in (OIDC or embedded) or the home page. */
  const signedIn =
    (handler: (req: Request, res: Response, p: Principal) => Promise<void>): PageHandler =>
    async (req, res, principal) => {
      if (!principal) return res.redirect(303, devSignIn || oidc ? '/connexion' : '/');
      await handler(req, res, principal);
    };

  const notFoundPage = (principal: Principal | null): Html =>
    errorPage(
      principal,
      'Page introuvable',
      'La page que vous cherchez n’existe pas ou n’est pas disponible.',
    );

  http.get(
    '/',
    route(async (_req, res, principal) => {
      if (principal)
        return res.redirect(303, BACK_OFFICE.includes(principal.role) ? '/gestion' : '/mes-dossiers');
      if (devSignIn) return res.redirect(303, '/connexion');
      // With OIDC, no automatic redirect: after « Se déconnecter » the provider's own session would
      // sign the person straight back in.
      send(
        res,
        200,
        page(
          { title: 'Accueil', principal: null },
          oidc
            ? html`<h1>Suivi des demandes de financement</h1>
                <p class="fr-text--lead">Connectez-vous avec votre compte pour suivre vos demandes.</p>
                <ul class="fr-btns-group fr-btns-group--inline-md">
                  <li><a class="fr-btn" href="/connexion">Se connecter</a></li>
                </ul>`
            : html`<h1>Suivi des demandes de financement</h1>
                <p class="fr-text--lead">
                  La connexion par un fournisseur d’identité (OpenID Connect) n’est pas configurée sur ce
                  serveur. L’API reste utilisable avec un jeton.
                </p>`,
        ),
      );
    }),
  );

  const signInFailed = (res: Response, e: unknown): void => {
    if (!(e instanceof SignInFailure)) throw e;
    infra.logger.warn({ err: e.cause ?? e, status: e.status }, 'connexion OIDC refusée');
    send(res, e.status, errorPage(null, e.title, e.detail));
  };

  // Development sign-in: embedded mode without OIDC only. Anywhere else it does not exist (404), so
  // no deployment can be entered by picking a role.
  http.get(
    '/connexion',
    route(async (req, res) => {
      if (oidc) return oidc.start(req, res).catch((e: unknown) => signInFailed(res, e));
      return devSignIn ? send(res, 200, devSignInPage()) : send(res, 404, notFoundPage(null));
    }),
  );
  http.get(
    '/connexion/retour',
    route(async (req, res) => {
      if (!oidc) return send(res, 404, notFoundPage(null));
      try {
        const idToken = await oidc.finish(req, res);
        // The very verifier of the API and the pages: a person without a role here gets no session.
        let principal: Principal;
        try {
          principal = await verifier().verify(idToken);
        } catch (e) {
          throw new SignInFailure(
            403,
            'Accès refusé',
            'Votre compte n’a pas de rôle sur ce portail (ou pas de SIRET pour un fournisseur). Contactez l’assistance.',
            e,
          );
        }
        const exp = (
          JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString()) as {
            exp: number;
          }
        ).exp;
        setSession(req, res, idToken, Math.max(1, exp - Math.floor(Date.now() / 1000)));
        res.redirect(303, BACK_OFFICE.includes(principal.role) ? '/gestion' : '/mes-dossiers');
      } catch (e) {
        signInFailed(res, e);
      }
    }),
  );
  http.post(
    '/connexion',
    express.urlencoded({ extended: false, limit: '2kb', parameterLimit: 10 }),
    route(async (req, res) => {
      if (!devSignIn) return send(res, 404, notFoundPage(null));
      const body = (req.body ?? {}) as Record<string, unknown>;
      const role = typeof body.role === 'string' ? body.role : '';
      const siret = typeof body.siret === 'string' ? body.siret.replace(/\s/g, '') : '';
      const known = DEV_ROLES.some((r) => r.value === role);
      const errors: { role?: string; siret?: string } = {};
      if (!known) errors.role = 'Choisissez un rôle dans la liste.';
      if (role === 'fournisseur' && !isValidSiret(siret))
        errors.siret = 'Saisissez un SIRET valide : 14 chiffres dont la clé de contrôle est juste.';
      if (errors.role || errors.siret) return send(res, 400, devSignInPage({ role, siret, errors }));
      const devRole = role as DevRole;
      const token = verifier().sign(
        devRole === 'fournisseur'
          ? { sub: `dev-fournisseur-${siret}`, role: devRole, siret }
          : { sub: `dev-${devRole}`, role: devRole },
      );
      setSession(req, res, token);
      res.redirect(303, '/');
    }),
  );
  http.post('/deconnexion', (req: Request, res: Response) => {
    clearSession(req, res);
    res.redirect(303, '/');
  });

  http.get(
    '/mes-dossiers',
    route(
      signedIn(async (req, res, principal) => {
        const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 200) : '';
        const list = await queries().execute<ListDossiersQuery, DossierListPage>(
          new ListDossiersQuery({ ...(q ? { q } : {}), limit: 100 }, principal),
        );
        send(res, 200, dossiersListPage(principal, list, q));
      }),
    ),
  );

  http.get(
    '/dossiers/:numeroAsp',
    route(
      signedIn(async (req, res, principal) => {
        const numeroAsp = String(req.params.numeroAsp);
        if (!NUMERO_ASP.test(numeroAsp)) return send(res, 404, notFoundPage(principal));
        const apres =
          typeof req.query.apres === 'string' && CURSOR.test(req.query.apres) ? req.query.apres : undefined;
        const liveFrom = await infra.store.headPosition();
        const suivi = await suiviWithHistory(queries(), principal, numeroAsp, apres);
        const notice = typeof req.query.succes === 'string' ? NOTICES[req.query.succes] : undefined;
        const historique = req.query.onglet === 'historique';
        send(
          res,
          200,
          suiviPage(principal, suivi.suivi, { versions: suivi.versions, notice, historique, liveFrom }),
        );
      }),
    ),
  );

  const routing = {
    http,
    send,
    page: (handler: Parameters<typeof signedIn>[0]) => route(signedIn(handler)),
    queries,
    commands: () => app.get(CommandBus, { strict: false }),
    config: infra.config,
  };
  mountFournisseurRoutes(routing);
  mountImportRoutes(routing);

  http.get(
    '/gestion',
    route(
      signedIn(async (req, res, principal) => {
        if (!BACK_OFFICE.includes(principal.role))
          return send(
            res,
            403,
            errorPage(
              principal,
              'Accès refusé',
              'La file de travail est réservée aux agents qui instruisent.',
            ),
          );
        // The live script re-reads the page with `?apres=<position>` of the change it was told of.
        const apres =
          typeof req.query.apres === 'string' && CURSOR.test(req.query.apres) ? req.query.apres : undefined;
        const liveFrom = await infra.store.headPosition();
        const sections: WorkQueueSection[] = [];
        for (const statut of QUEUE_ORDER) {
          const list = await queries().execute<ListDossiersQuery, DossierListPage>(
            new ListDossiersQuery({ statut, limit: QUEUE_LIMIT }, principal, apres),
          );
          sections.push({
            statut,
            label: STATUT_LABELS[statut],
            items: list.items,
            more: list.nextCursor !== null,
          });
        }
        send(res, 200, workQueuePage(principal, sections, new Date(), liveFrom));
      }),
    ),
  );

  // The back office's pages: instruction and actions, timeline, reporting, live feeds.
  mountGestionRoutes({
    app,
    infra,
    http,
    page: (handler) => route(signedIn(handler)),
    send,
    verify: (req) => principalOfRequest(req, verifier()),
  });
};
