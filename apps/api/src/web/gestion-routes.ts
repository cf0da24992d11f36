import type { NestExpressApplication } from '@nestjs/platform-express';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import express, { type Express, type Request, type Response } from 'express';
import { BACK_OFFICE, type Principal } from '@segur/auth';
import type { CommandOutcome } from '@segur/commands';
import { DOSSIER_STREAM_PREFIX } from '@segur/domain';
import type { RecordedEvent } from '@segur/event-store';
import { Refusal } from '@segur/kernel';
import type { Infrastructure } from '@segur/platform';
import { modificationsToCsv, summaryToCsv, type SuiviPage } from '@segur/projections';
import {
  GetDossierEventsQuery,
  GetModificationReportQuery,
  GetReportSummaryQuery,
  GetSuiviQuery,
  ListDeadlinesQuery,
} from '@segur/queries';
import { issuerFor } from '../dossiers/command-http.service';
import { pipeSse } from '../feed/sse-pipe';
import { SseStreams } from '../feed/sse-streams';
import { ProblemError } from '../http/problem';
import { problemOf } from '../http/problem-of';
import { correlationIdOf } from '../http/request-context';
import { isSameOrigin } from './same-origin';
import { gestionActionOf } from './gestion/gestion-actions';
import type { Html } from './html';
import { byActeur, journalCsv, journalFilterOf, journalQueryString } from './journal/journal-filter';
import { verifyIntegrite } from './journal/journal-integrite';
import { errorPage, REPORTING_ROLES } from './layout';
import { LIVE_SCRIPT } from './live/live-script';
import { gestionDossierPage, type ActionFailure } from './pages/gestion-dossier.page';
import { journalPage } from './pages/journal.page';
import { rapportsPage } from './pages/rapports.page';

const NUMERO_ASP = /^FIN[A-Z]{3}\d{6}$/;
/** The API's `GET /dossiers/{n}/events` roles. */
const JOURNAL_ROLES: readonly string[] = ['gestionnaire', 'auditeur', 'assistance'];
/** Fired reminders read for the reporting page's rate (ListDeadlinesQuery's own bound). */
const REMINDERS_CAP = 500;
const CURSOR = /^[0-9A-Za-z:._-]{1,200}$/;

type SignedInHandler = (req: Request, res: Response, principal: Principal) => Promise<void>;

/** What web-pages.ts shares with the back-office routes: its route wrapper, sign-in guard and sender. */
export interface WebRouteKit {
  app: NestExpressApplication;
  infra: Infrastructure;
  http: Express;
  page: (handler: SignedInHandler) => express.RequestHandler;
  send: (res: Response, status: number, body: Html) => void;
  verify: (req: Request) => Promise<Principal | null>;
}

const param = (req: Request, name: string): string => String(req.params[name] ?? '');
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * The back office's pages (docs/web.md): a dossier's instruction page and its action forms, the
 * auditor's timeline and its exports, reporting, and the live feeds the pages listen to. Reads go
 * through the QueryBus, writes through the CommandBus with the issuer the JSON routes build.
 */
export const mountGestionRoutes = (kit: WebRouteKit): void => {
  const { app, infra, http, page, send } = kit;
  const queries = (): QueryBus => app.get(QueryBus, { strict: false });
  const commands = (): CommandBus => app.get(CommandBus, { strict: false });
  const streams = (): SseStreams => app.get(SseStreams, { strict: false });

  const refused = (res: Response, principal: Principal, detail: string): void =>
    send(res, 403, errorPage(principal, 'Accès refusé', detail));
  const notFound = (res: Response, principal: Principal): void =>
    send(
      res,
      404,
      errorPage(
        principal,
        'Page introuvable',
        'La page que vous cherchez n’existe pas ou n’est pas disponible.',
      ),
    );

  /** `?apres=<position>`: the page waits (bounded) for the read models to hold that write; a bad one is ignored. */
  const readSuivi = async (numeroAsp: string, principal: Principal, apres?: string): Promise<SuiviPage> => {
    const position = apres && CURSOR.test(apres) ? apres : undefined;
    try {
      return await queries().execute(new GetSuiviQuery(numeroAsp, principal, position));
    } catch (e) {
      if (position && e instanceof Refusal && e.kind !== 'not-found')
        return queries().execute(new GetSuiviQuery(numeroAsp, principal));
      throw e;
    }
  };
  const headPosition = (): Promise<string | null> => infra.store.headPosition();

  http.get('/web/direct.js', (_req: Request, res: Response) => {
    res
      .status(200)
      .set({
        'Content-Type': 'text/javascript; charset=utf-8',
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
      })
      .send(LIVE_SCRIPT);
  });

  // ── Instruction page and actions ─────────────────────────────────────────────────────────────
  http.get(
    '/gestion/dossiers/:numeroAsp',
    page(async (req, res, principal) => {
      if (!BACK_OFFICE.includes(principal.role))
        return refused(res, principal, 'L’instruction des dossiers est réservée aux agents.');
      const numeroAsp = param(req, 'numeroAsp');
      if (!NUMERO_ASP.test(numeroAsp)) return notFound(res, principal);
      const liveFrom = await headPosition();
      const suivi = await readSuivi(numeroAsp, principal, text(req.query.apres));
      const done = text(req.query.fait);
      send(res, 200, gestionDossierPage(principal, suivi, { ...(done ? { done } : {}), liveFrom }));
    }),
  );

  const formBody = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 });
  http.post(
    '/gestion/dossiers/:numeroAsp/:action',
    page(async (req, res, principal) => {
      // Refused before the body is read: only a gestionnaire acts, and only from our own pages.
      if (principal.role !== 'gestionnaire')
        return refused(res, principal, 'Seul un gestionnaire peut instruire un dossier.');
      if (!isSameOrigin(req))
        return refused(res, principal, 'Formulaire refusé : il ne provient pas de ce site.');
      const numeroAsp = param(req, 'numeroAsp');
      const action = gestionActionOf(param(req, 'action'));
      if (!NUMERO_ASP.test(numeroAsp) || !action) return notFound(res, principal);
      const parsed = await new Promise<boolean>((resolve) =>
        formBody(req, res, (e?: unknown) => resolve(!e)),
      );
      if (!parsed)
        return send(
          res,
          400,
          errorPage(principal, 'Formulaire refusé', 'Le formulaire envoyé est trop volumineux ou mal formé.'),
        );
      const body = (req.body ?? {}) as Record<string, unknown>;
      const values: Record<string, string> = {};
      for (const f of action.fields)
        values[f.name] = typeof body[f.name] === 'string' ? (body[f.name] as string) : '';
      const version =
        typeof body.version === 'string' && /^\d{1,9}$/.test(body.version) ? Number(body.version) : undefined;

      let outcome: CommandOutcome;
      try {
        if (version === undefined)
          throw new ProblemError(
            400,
            'REQUETE_INVALIDE',
            'Version du dossier absente du formulaire : rechargez la page.',
          );
        const command = action.command(numeroAsp, values);
        outcome = await commands().execute(command(issuerFor(principal, correlationIdOf(req), version)));
      } catch (e) {
        const problem = problemOf(e);
        if (!(problem instanceof ProblemError)) throw e;
        if (problem.status === 404) throw new Refusal('not-found', 'INTROUVABLE', problem.message);
        const failure: ActionFailure = {
          slug: action.slug,
          detail:
            problem.code === 'CONFLIT_VERSION'
              ? 'Le dossier a changé depuis l’affichage de cette page : vérifiez sa situation ci-dessus, puis recommencez.'
              : problem.message,
          errors: problem.errors ?? [],
          values,
        };
        const suivi = await readSuivi(numeroAsp, principal);
        return send(
          res,
          problem.status,
          gestionDossierPage(principal, suivi, { failure, liveFrom: await headPosition() }),
        );
      }
      const next = new URLSearchParams({ fait: action.slug });
      if (outcome.position) next.set('apres', outcome.position);
      res.redirect(303, `/gestion/dossiers/${numeroAsp}?${next.toString()}`);
    }),
  );

  // ── Auditor's timeline ───────────────────────────────────────────────────────────────────────
  const journal = async (req: Request) => {
    const numeroAsp = param(req, 'numeroAsp');
    if (!NUMERO_ASP.test(numeroAsp)) return null;
    const filter = journalFilterOf(req.query);
    const all = await queries().execute(
      new GetDossierEventsQuery(numeroAsp, { types: null, from: null, to: null }),
    );
    const typed = filter.type ? all.events.filter((e) => e.type === filter.type) : all.events;
    return { numeroAsp, filter, all: all.events, events: byActeur(typed, filter) };
  };
  const journalRoute = (
    render: (
      res: Response,
      principal: Principal,
      j: NonNullable<Awaited<ReturnType<typeof journal>>>,
    ) => void | Promise<void>,
  ) =>
    page(async (req, res, principal) => {
      if (!JOURNAL_ROLES.includes(principal.role))
        return refused(
          res,
          principal,
          'Le journal des événements est réservé aux agents qui instruisent et auditent.',
        );
      const j = await journal(req);
      if (!j) return notFound(res, principal);
      await render(res, principal, j);
    });
  http.get(
    '/dossiers/:numeroAsp/journal',
    journalRoute(async (res, principal, j) => {
      const integrite = await verifyIntegrite(queries(), j.numeroAsp, j.all);
      send(res, 200, journalPage(principal, j.numeroAsp, j.events, j.all, j.filter, integrite));
    }),
  );
  const download = (res: Response, type: string, filename: string, body: string): void => {
    res
      .status(200)
      .set({
        'Content-Type': type,
        'Content-Disposition': `attachment; filename="${filename}"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      })
      .send(body);
  };
  http.get(
    '/dossiers/:numeroAsp/journal.json',
    journalRoute((res, _p, j) =>
      download(
        res,
        'application/json; charset=utf-8',
        `journal-${j.numeroAsp}.json`,
        JSON.stringify(
          { numeroAsp: j.numeroAsp, filtre: journalQueryString(j.filter), events: j.events },
          null,
          2,
        ),
      ),
    ),
  );
  http.get(
    '/dossiers/:numeroAsp/journal.csv',
    journalRoute((res, _p, j) =>
      download(res, 'text/csv; charset=utf-8', `journal-${j.numeroAsp}.csv`, journalCsv(j.events)),
    ),
  );

  // ── Reporting ────────────────────────────────────────────────────────────────────────────────
  const reportingRoute = (handler: SignedInHandler) =>
    page(async (req, res, principal) => {
      if (!REPORTING_ROLES.includes(principal.role))
        return refused(res, principal, 'Les rapports sont réservés aux gestionnaires et aux auditeurs.');
      await handler(req, res, principal);
    });
  http.get(
    '/rapports',
    reportingRoute(async (_req, res, principal) => {
      const [summary, modifications, fired] = await Promise.all([
        queries().execute(new GetReportSummaryQuery(null)),
        queries().execute(new GetModificationReportQuery()),
        queries().execute(new ListDeadlinesQuery({ status: 'FIRED', limit: REMINDERS_CAP })),
      ]);
      const remindersSent = fired.deadlines.filter((d) => d.kind === 'REMINDER').length;
      send(
        res,
        200,
        rapportsPage(principal, {
          summary,
          modifications,
          remindersSent,
          remindersCapped: fired.deadlines.length >= REMINDERS_CAP,
        }),
      );
    }),
  );
  http.get(
    '/rapports/synthese.csv',
    reportingRoute(async (_req, res) =>
      download(
        res,
        'text/csv; charset=utf-8',
        'synthese.csv',
        summaryToCsv(await queries().execute(new GetReportSummaryQuery(null))),
      ),
    ),
  );
  http.get(
    '/rapports/modifications.csv',
    reportingRoute(async (_req, res) =>
      download(
        res,
        'text/csv; charset=utf-8',
        'modifications.csv',
        modificationsToCsv(await queries().execute(new GetModificationReportQuery())),
      ),
    ),
  );

  // ── Live feeds of the pages ──────────────────────────────────────────────────────────────────
  /**
   * The pages' SSE: cookie-authenticated (a browser's EventSource cannot send a bearer token), the
   * API feed's stream code and its FEED_STREAMS_MAX per principal, and only what the person may see:
   * one dossier it may read, or (back office) every dossier. Each event says only which dossier
   * changed, its type and position: the page then re-reads itself through the usual queries.
   */
  const liveFeed = async (
    req: Request,
    res: Response,
    streamPrefix: string,
    principal: Principal,
  ): Promise<void> => {
    const asked = text(req.header('last-event-id')) ?? text(req.query.after);
    let from: string | null;
    if (asked !== undefined) {
      if (!CURSOR.test(asked)) return void res.status(400).type('text/plain').send('curseur invalide');
      try {
        await infra.store.readAll({ after: asked, limit: 1 });
      } catch (e) {
        if (e instanceof RangeError) return void res.status(400).type('text/plain').send('curseur invalide');
        throw e;
      }
      from = asked;
    } else from = await infra.store.headPosition();
    const max = infra.config.rateLimits.feedStreams;
    const release = streams().acquire(principal, max);
    if (!release)
      return void res
        .status(429)
        .set('Retry-After', '30')
        .type('text/plain')
        .send(`${max} flux ouverts au plus (FEED_STREAMS_MAX)`);
    try {
      await pipeSse(res, infra.store, streams(), {
        from,
        filter: { streamPrefix },
        eventName: () => 'changement',
        data: (e: RecordedEvent) =>
          JSON.stringify({
            numeroAsp: e.streamId.slice(DOSSIER_STREAM_PREFIX.length),
            type: e.type,
            position: e.position,
          }),
      });
    } finally {
      release();
    }
  };
  const feedAuth =
    (handler: (req: Request, res: Response, principal: Principal) => Promise<void>) =>
    (req: Request, res: Response, next: express.NextFunction): void => {
      kit
        .verify(req)
        .then((principal) => {
          if (!principal) return void res.status(401).type('text/plain').send('session absente ou expirée');
          return handler(req, res, principal);
        })
        .catch((e: unknown) => {
          if (res.headersSent) return res.end();
          if (e instanceof Refusal && e.kind === 'not-found')
            return void res.status(404).type('text/plain').send('introuvable');
          if (e instanceof Refusal && e.kind === 'forbidden')
            return void res.status(403).type('text/plain').send('accès refusé');
          if (e instanceof ProblemError) return void res.status(e.status).type('text/plain').send(e.message);
          next(e);
        });
    };
  http.get(
    '/flux/dossiers/:numeroAsp',
    feedAuth(async (req, res, principal) => {
      const numeroAsp = param(req, 'numeroAsp');
      if (!NUMERO_ASP.test(numeroAsp)) return void res.status(404).type('text/plain').send('introuvable');
      // Tenancy decided where the API decides it: another SIRET's dossier is not found (404).
      await queries().execute(new GetSuiviQuery(numeroAsp, principal));
      await liveFeed(req, res, `${DOSSIER_STREAM_PREFIX}${numeroAsp}`, principal);
    }),
  );
  http.get(
    '/flux/gestion',
    feedAuth(async (req, res, principal) => {
      if (!BACK_OFFICE.includes(principal.role))
        return void res.status(403).type('text/plain').send('accès refusé');
      await liveFeed(req, res, DOSSIER_STREAM_PREFIX, principal);
    }),
  );
};
