import { ArgumentsHost, Catch, HttpException, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ProblemError, problemTitle, type ProblemDetails, type ProblemFieldError } from './problem';
import { problemOf } from './problem-of';

const CODE_OF_STATUS: Record<number, string> = {
  400: 'REQUETE_INVALIDE',
  401: 'NON_AUTHENTIFIE',
  403: 'ACCES_REFUSE',
  404: 'INTROUVABLE',
  405: 'METHODE_NON_AUTORISEE',
  413: 'TROP_VOLUMINEUX',
  415: 'TYPE_NON_SUPPORTE',
  429: 'TROP_DE_REQUETES',
};

/** Every error leaves as application/problem+json, never with a stack trace. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(thrown: unknown, host: ArgumentsHost): void {
    const exception = problemOf(thrown);
    const res = host.switchToHttp().getResponse<Response>();
    const body = this.toProblem(exception);
    if (body.status >= 500)
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if (exception instanceof ProblemError)
      for (const [k, v] of Object.entries(exception.headers)) res.setHeader(k, v);
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
  }

  private toProblem(e: unknown): ProblemDetails {
    if (e instanceof ProblemError) {
      return {
        type: `urn:segur:probleme:${e.code.toLowerCase()}`,
        title: problemTitle(e.status),
        status: e.status,
        detail: e.message,
        code: e.code,
        ...(e.errors ? { errors: e.errors } : {}),
      };
    }
    if (e instanceof HttpException) {
      const status = e.getStatus();
      const response = e.getResponse();
      const errors: ProblemFieldError[] | undefined =
        typeof response === 'object' &&
        response !== null &&
        Array.isArray((response as { errors?: unknown }).errors)
          ? (response as { errors: ProblemFieldError[] }).errors
          : undefined;
      const code = CODE_OF_STATUS[status] ?? (status >= 500 ? 'ERREUR_INTERNE' : 'ERREUR');
      return {
        type: `urn:segur:probleme:${code.toLowerCase()}`,
        title: problemTitle(status),
        status,
        detail: status >= 500 ? 'Erreur interne' : frenchDetail(status, e.message),
        code,
        ...(errors ? { errors } : {}),
      };
    }
    const bodyParserStatus = (e as { status?: unknown; type?: unknown }).status;
    if (typeof bodyParserStatus === 'number' && bodyParserStatus >= 400 && bodyParserStatus < 500) {
      const type = (e as { type?: string }).type;
      const status = bodyParserStatus;
      const code =
        status === 413 ? 'TROP_VOLUMINEUX' : status === 415 ? 'TYPE_NON_SUPPORTE' : 'JSON_INVALIDE';
      const detail =
        status === 413
          ? 'Corps de requête trop volumineux'
          : type === 'encoding.unsupported' || type === 'charset.unsupported'
            ? 'Encodage non supporté : UTF-8 attendu'
            : 'Corps de requête illisible : JSON UTF-8 valide attendu';
      return {
        type: `urn:segur:probleme:${code.toLowerCase()}`,
        title: problemTitle(status),
        status,
        detail,
        code,
      };
    }
    return {
      type: 'urn:segur:probleme:erreur_interne',
      title: problemTitle(500),
      status: 500,
      detail: 'Erreur interne',
      code: 'ERREUR_INTERNE',
    };
  }
}

const frenchDetail = (status: number, fallback: string): string => {
  switch (status) {
    case 404:
      return 'Ressource introuvable';
    case 401:
      return fallback && /[éèàç]/.test(fallback) ? fallback : 'Jeton d’authentification manquant ou invalide';
    case 403:
      return fallback && /[éèàç]/.test(fallback) ? fallback : 'Rôle non autorisé pour cette action';
    case 413:
      return 'Contenu trop volumineux';
    default:
      return fallback;
  }
};
