import type { CommandBus, QueryBus } from '@nestjs/cqrs';
import express, { type Express, type Request, type RequestHandler, type Response } from 'express';
import type { Principal } from '@segur/auth';
import {
  AddPieceCommand,
  DeclineModificationCommand,
  EditModificationDraftCommand,
  RemovePieceCommand,
  SubmitModificationCommand,
  fastUuidV7,
} from '@segur/commands';
import type { AppConfig } from '@segur/platform';
import type { SuiviPage } from '@segur/projections';
import { pieceUploadMiddleware } from '../dossiers/piece-upload.interceptor';
import { uploadedPiece } from '../dossiers/uploaded-piece';
import { multerProblem } from '../http/multipart';
import { ProblemError } from '../http/problem';
import type { Html } from './html';
import { errorPage } from './layout';
import { modificationPage, type FormErrors, type ModificationForm } from './pages/modification.page';
import { isSameOrigin } from './same-origin';
import { readSuivi } from './suivi-reads';
import { expectedVersionOf, runWebCommand, type WebCommandResult } from './web-commands';

/** What web-pages.ts shares with the route files it mounts. */
export interface WebRouting {
  http: Express;
  send: (res: Response, status: number, body: Html) => void;
  /** A page route: session, French error pages. */
  page: (handler: (req: Request, res: Response, principal: Principal) => Promise<void>) => RequestHandler;
  queries: () => QueryBus;
  commands: () => CommandBus;
  config: AppConfig;
}

const NUMERO_ASP = /^FIN[A-Z]{3}\d{6}$/;
const PIECE_ID = /^[0-9A-Za-z-]{1,64}$/;

/** Notices after a redirect (Post/Redirect/Get): a fixed list, so a link cannot make a page say anything. */
export const NOTICES: Readonly<Record<string, string>> = {
  enregistre: 'Vos modifications sont enregistrées dans le brouillon. Confirmez-les pour les envoyer.',
  'aucun-changement': 'Aucune valeur n’a changé : rien n’a été enregistré.',
  'piece-ajoutee': 'La pièce est ajoutée au brouillon.',
  'piece-supprimee': 'La pièce est supprimée du brouillon.',
  confirmee:
    'Vos modifications sont envoyées au gestionnaire : votre demande est de nouveau en cours d’instruction.',
  'non-modifiee': 'Votre demande est renvoyée sans modification : le gestionnaire reprend son instruction.',
};

export const CONFLICT_MESSAGE =
  'Votre demande a changé depuis l’affichage de cette page (dans un autre onglet, ou par un envoi automatique). ' +
  'La page montre maintenant la dernière version : vérifiez-la, puis recommencez.';

const capitalised = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** A refused form's problem where the person will look: next to its field, or above the page. */
export const formErrorsOf = (
  problem: ProblemError,
  fieldNames: readonly string[],
  piece: boolean,
): FormErrors => {
  if (problem.code === 'CONFLIT_VERSION') return { general: CONFLICT_MESSAGE };
  const fields: Record<string, string> = {};
  const errors: FormErrors = { fields };
  for (const e of problem.errors ?? []) {
    if (fieldNames.includes(e.path)) fields[e.path] = capitalised(e.message);
    else if (piece && e.path === 'type') errors.type = capitalised(e.message);
  }
  if (piece && ['TROP_VOLUMINEUX', 'TYPE_NON_SUPPORTE', 'REQUETE_INVALIDE'].includes(problem.code))
    errors.file = capitalised(problem.message);
  const placed = Object.keys(fields).length > 0 || errors.type !== undefined || errors.file !== undefined;
  errors.general = placed
    ? 'Le formulaire contient une erreur : corrigez le champ signalé.'
    : capitalised(problem.message);
  return errors;
};

/**
 * The fournisseur's pages that write (docs/web.md): the modification form and its actions. Each form
 * posts to a route here that issues the same command as the JSON API, through the same pipeline
 * (`runWebCommand`), then redirects (Post/Redirect/Get) or shows the page again with the refusal.
 */
export const mountFournisseurRoutes = (w: WebRouting): void => {
  const { http, send } = w;
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 });
  const upload = pieceUploadMiddleware(w.config);

  const suiviOf = (principal: Principal, numeroAsp: string, after?: string): Promise<SuiviPage> =>
    readSuivi(w.queries(), principal, numeroAsp, after);

  /** Who may use the form, and on which dossier: null when a French page was already sent. */
  const guard = (req: Request, res: Response, principal: Principal, write: boolean): string | null => {
    const numeroAsp = String(req.params.numeroAsp);
    if (!NUMERO_ASP.test(numeroAsp)) {
      send(res, 404, errorPage(principal, 'Page introuvable', 'Ce numéro de dossier n’existe pas.'));
      return null;
    }
    if (principal.role !== 'fournisseur') {
      send(
        res,
        403,
        errorPage(principal, 'Accès refusé', 'La modification d’une demande est réservée à son fournisseur.'),
      );
      return null;
    }
    if (write && !isSameOrigin(req)) {
      send(
        res,
        403,
        errorPage(
          principal,
          'Envoi refusé',
          'Ce formulaire ne vient pas d’une page de ce service : rien n’a été enregistré.',
        ),
      );
      return null;
    }
    return numeroAsp;
  };

  const showForm = async (
    res: Response,
    principal: Principal,
    numeroAsp: string,
    status: number,
    formState: ModificationForm,
    after?: string,
  ): Promise<void> => {
    const suivi = await suiviOf(principal, numeroAsp, after);
    if (!suivi.modification || !suivi.allowedActions.includes('modifier'))
      return send(
        res,
        status === 200 ? 409 : status,
        errorPage(
          principal,
          'Modification impossible',
          formState.errors?.general ??
            'Cette demande n’attend pas de modification de votre part (ou son délai est dépassé).',
        ),
      );
    const types = w.config.couloirs[suivi.couloir]?.typesPieces ?? [];
    send(res, status, modificationPage(principal, suivi, types, formState));
  };

  const back = (
    numeroAsp: string,
    notice: string,
    r: WebCommandResult & { ok: true },
    suivi = false,
  ): string => {
    const position = r.outcome.position ? `&apres=${encodeURIComponent(r.outcome.position)}` : '';
    return `/dossiers/${numeroAsp}${suivi ? '' : '/modification'}?succes=${notice}${position}`;
  };

  /** The refusal on the form again, 4xx, with the latest state of the dossier. */
  const refused = (
    res: Response,
    principal: Principal,
    numeroAsp: string,
    problem: ProblemError,
    extra: Omit<ModificationForm, 'errors'> & { fieldNames?: readonly string[]; piece?: boolean } = {},
  ): Promise<void> => {
    const errors = formErrorsOf(problem, extra.fieldNames ?? [], extra.piece ?? false);
    return showForm(res, principal, numeroAsp, problem.status, { ...extra, errors });
  };

  http.get(
    '/dossiers/:numeroAsp/modification',
    w.page(async (req, res, principal) => {
      const numeroAsp = guard(req, res, principal, false);
      if (!numeroAsp) return;
      const key = typeof req.query.succes === 'string' ? req.query.succes : '';
      const after = typeof req.query.apres === 'string' ? req.query.apres : undefined;
      await showForm(res, principal, numeroAsp, 200, { notice: NOTICES[key] }, after);
    }),
  );

  // Enregistrer: the editable fields whose value changed, in one EditModificationDraft (all or nothing).
  http.post(
    '/dossiers/:numeroAsp/modification',
    form,
    w.page(async (req, res, principal) => {
      const numeroAsp = guard(req, res, principal, true);
      if (!numeroAsp) return;
      const body = (req.body ?? {}) as Record<string, unknown>;
      const suivi = await suiviOf(principal, numeroAsp);
      const draft = suivi.modification?.draft.champs ?? {};
      const fieldNames = suivi.informations.champsEditables.map((c) => c.field);
      const values: Record<string, string> = {};
      const fields: Record<string, string> = {};
      for (const field of fieldNames) {
        const v = body[field];
        if (typeof v !== 'string') continue;
        values[field] = v;
        if (v !== (draft[field] ?? '')) fields[field] = v;
      }
      if (Object.keys(fields).length === 0 && suivi.modification)
        return res.redirect(303, `/dossiers/${numeroAsp}/modification?succes=aucun-changement`);
      const r = await runWebCommand(
        w.commands(),
        principal,
        (issuer) => new EditModificationDraftCommand({ numeroAsp, fields }, issuer),
        expectedVersionOf(body.version),
      );
      if (r.ok) return res.redirect(303, back(numeroAsp, 'enregistre', r));
      await refused(res, principal, numeroAsp, r.problem, {
        fieldNames,
        // After a conflict the latest values show; otherwise what the person typed.
        ...(r.problem.code === 'CONFLIT_VERSION' ? {} : { values }),
      });
    }),
  );

  http.post(
    '/dossiers/:numeroAsp/modification/pieces',
    (req: Request, res: Response, next) =>
      // Same multer limits as the JSON route; a limit hit becomes the same problem, shown on the form.
      upload(req, res, (e?: unknown) => {
        if (e) (req as Request & { uploadProblem?: ProblemError }).uploadProblem = multerProblem(e);
        next();
      }),
    w.page(async (req, res, principal) => {
      const numeroAsp = guard(req, res, principal, true);
      if (!numeroAsp) return;
      const body = (req.body ?? {}) as Record<string, unknown>;
      const type = typeof body.type === 'string' ? body.type : '';
      const failed = (problem: ProblemError): Promise<void> =>
        refused(res, principal, numeroAsp, problem, { piece: true, pieceType: type });
      const uploadProblem = (req as Request & { uploadProblem?: ProblemError }).uploadProblem;
      if (uploadProblem) return failed(uploadProblem);
      if (type === '')
        return failed(
          new ProblemError(400, 'REQUETE_INVALIDE', 'type : obligatoire', [
            { path: 'type', code: 'REQUETE_INVALIDE', message: 'Choisissez le type de la pièce' },
          ]),
        );
      let checked;
      try {
        checked = uploadedPiece(req.file, w.config.limits.pieceBytes);
      } catch (e) {
        if (e instanceof ProblemError) return failed(e);
        throw e;
      }
      const piece = {
        pieceId: fastUuidV7(),
        type,
        nomFichier: checked.nomFichier,
        taille: checked.taille,
        sha256: checked.sha256,
      };
      const r = await runWebCommand(
        w.commands(),
        principal,
        (issuer) => new AddPieceCommand({ numeroAsp, piece }, issuer, checked.buffer),
        expectedVersionOf(body.version),
      );
      if (r.ok) return res.redirect(303, back(numeroAsp, 'piece-ajoutee', r));
      await failed(r.problem);
    }),
  );

  http.post(
    '/dossiers/:numeroAsp/modification/pieces/:pieceId/suppression',
    form,
    w.page(async (req, res, principal) => {
      const numeroAsp = guard(req, res, principal, true);
      if (!numeroAsp) return;
      const pieceId = String(req.params.pieceId);
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (!PIECE_ID.test(pieceId))
        return refused(res, principal, numeroAsp, new ProblemError(404, 'PIECE_INCONNUE', 'pièce inconnue'));
      // An earlier version's piece has no button, and the decider refuses it anyway (PIECE_NON_SUPPRIMABLE).
      const r = await runWebCommand(
        w.commands(),
        principal,
        (issuer) => new RemovePieceCommand({ numeroAsp, pieceId }, issuer),
        expectedVersionOf(body.version),
      );
      if (r.ok) return res.redirect(303, back(numeroAsp, 'piece-supprimee', r));
      await refused(res, principal, numeroAsp, r.problem);
    }),
  );

  const finalAction = (
    path: string,
    notice: string,
    command: (numeroAsp: string) => Parameters<typeof runWebCommand>[2],
  ): void => {
    http.post(
      `/dossiers/:numeroAsp/modification/${path}`,
      form,
      w.page(async (req, res, principal) => {
        const numeroAsp = guard(req, res, principal, true);
        if (!numeroAsp) return;
        const body = (req.body ?? {}) as Record<string, unknown>;
        const r = await runWebCommand(
          w.commands(),
          principal,
          command(numeroAsp),
          expectedVersionOf(body.version),
        );
        if (r.ok) return res.redirect(303, back(numeroAsp, notice, r, true));
        await refused(res, principal, numeroAsp, r.problem);
      }),
    );
  };
  finalAction(
    'confirmation',
    'confirmee',
    (numeroAsp) => (issuer) => new SubmitModificationCommand({ numeroAsp }, issuer),
  );
  finalAction(
    'abandon',
    'non-modifiee',
    (numeroAsp) => (issuer) => new DeclineModificationCommand({ numeroAsp }, issuer),
  );
};
