import type { Request, Response } from 'express';
import { v7 as uuidv7 } from 'uuid';
import type { Principal } from '@segur/auth';
import {
  GetImportReportQuery,
  ImportAvanceCommand,
  ImportSoldeCommand,
  type ImportReportView,
} from '@segur/imports';
import { importBodyOf } from '../imports/import-body';
import { checkImportLength, importUploadMiddleware } from '../imports/import-upload.interceptor';
import { multerProblem } from '../http/multipart';
import { ProblemError } from '../http/problem';
import { problemOf } from '../http/problem-of';
import type { SegurRequest } from '../http/request-context';
import type { WebRouting } from './fournisseur-routes';
import { errorPage } from './layout';
import { importFormPage, importReportPage } from './pages/imports.page';
import { IMPORT_PROGRESS_SCRIPT } from './import-progress.script';
import { isSameOrigin } from './same-origin';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IMPORTERS: readonly string[] = ['fournisseur', 'assistance'];
const capitalised = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The import page (docs/web.md): the same multer limits, the same body reading and the same
 * ImportAvance / ImportSolde commands as `POST /api/v1/imports/{avance|solde}`, then the report.
 */
export const mountImportRoutes = (w: WebRouting): void => {
  const { http, send } = w;
  const upload = importUploadMiddleware(w.config);

  const refuse = (res: Response, principal: Principal): boolean => {
    if (IMPORTERS.includes(principal.role)) return false;
    send(
      res,
      403,
      errorPage(principal, 'Accès refusé', 'L’import est réservé aux fournisseurs et à l’assistance.'),
    );
    return true;
  };

  http.get('/web/import-progress.js', (_req: Request, res: Response) => {
    res
      .status(200)
      .set({ 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' })
      .send(IMPORT_PROGRESS_SCRIPT);
  });

  http.get(
    '/imports',
    w.page(async (_req, res, principal) => {
      if (refuse(res, principal)) return;
      send(res, 200, importFormPage(principal));
    }),
  );

  http.post(
    '/imports',
    w.page(async (req, res, principal) => {
      if (refuse(res, principal)) return;
      if (!isSameOrigin(req))
        return send(
          res,
          403,
          errorPage(
            principal,
            'Envoi refusé',
            'Ce formulaire ne vient pas d’une page de ce service : rien n’a été importé.',
          ),
        );
      const failed = (
        status: number,
        errors: { general?: string; kind?: string; file?: string },
        kind?: string,
      ) => send(res, status, importFormPage(principal, { errors, ...(kind ? { kind } : {}) }));
      // Read only after the role and origin checks: nothing is buffered for a refused request.
      try {
        if (!req.is('multipart/form-data'))
          throw new ProblemError(415, 'TYPE_NON_SUPPORTE', 'Formulaire multipart attendu');
        checkImportLength(req, w.config);
        await new Promise<void>((resolve, reject) =>
          upload(req, res, (e?: unknown) => (e ? reject(multerProblem(e)) : resolve())),
        );
      } catch (e) {
        if (e instanceof ProblemError) return failed(e.status, { general: capitalised(e.message) });
        throw e;
      }
      const kindField = (req.body as Record<string, unknown> | undefined)?.type;
      const kind = kindField === 'avance' || kindField === 'solde' ? kindField : null;
      if (!kind) return failed(400, { kind: 'Choisissez le type de demandes : avance ou solde.' });
      const files = (req.files as Express.Multer.File[] | undefined) ?? [];
      if (!files.some((f) => f.fieldname === 'file' && f.size > 0))
        return failed(400, { file: 'Choisissez le fichier JSON des demandes.' }, kind);
      let report: ImportReportView;
      try {
        const body = importBodyOf(req as SegurRequest);
        const data = { file: body.file, pieces: body.pieces, principal, correlationId: uuidv7() };
        report = await w
          .commands()
          .execute(kind === 'avance' ? new ImportAvanceCommand(data) : new ImportSoldeCommand(data));
      } catch (e) {
        const problem = problemOf(e);
        if (!(problem instanceof ProblemError)) throw problem;
        const where = problem.errors?.[0];
        const detail = capitalised(problem.message) + (where ? ` (${where.path} : ${where.message})` : '');
        return failed(problem.status, { file: detail }, kind);
      }
      res.redirect(303, `/imports/${report.importId}`);
    }),
  );

  http.get(
    '/imports/:importId',
    w.page(async (req, res, principal) => {
      const importId = String(req.params.importId);
      const report = UUID.test(importId)
        ? await w
            .queries()
            .execute<GetImportReportQuery, ImportReportView | null>(
              new GetImportReportQuery(importId, principal),
            )
        : null;
      if (!report)
        return send(
          res,
          404,
          errorPage(principal, 'Rapport introuvable', 'Cet import n’existe pas ou ne vous concerne pas.'),
        );
      send(res, 200, importReportPage(principal, report));
    }),
  );
};
