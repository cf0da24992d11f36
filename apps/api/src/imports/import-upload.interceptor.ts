import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import type { Observable } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '@segur/platform';
import { MULTIPART_COMMON_LIMITS, multerProblem } from '../http/multipart';
import { ProblemError } from '../http/problem';

/** Pieces one multipart import may carry; far above any real line's needs, low enough to bound work. */
export const MAX_IMPORT_PARTS = 2000;

/** multer for a multipart import, within the configured limits (the API's route and the web form). */
export const importUploadMiddleware = (config: AppConfig): RequestHandler =>
  multer({
    storage: multer.memoryStorage(),
    limits: {
      ...MULTIPART_COMMON_LIMITS,
      // A piece's own limit is checked afterwards (413 naming the piece); this bounds any part.
      fileSize: config.limits.requestBytes,
      files: MAX_IMPORT_PARTS,
      parts: MAX_IMPORT_PARTS + 10,
      fieldSize: config.limits.requestBytes,
      fields: 10,
    },
  }).any();

/** A multipart import's declared length, refused before a byte is read when missing or too large. */
export const checkImportLength = (req: Request, config: AppConfig): void => {
  const length = Number(req.headers['content-length']);
  // Without a length the request could only be bounded while reading it; multipart imports
  // are sent by tools (and browsers) that always set it.
  if (!Number.isFinite(length) || req.headers['content-length'] === undefined)
    throw new ProblemError(
      411,
      'LONGUEUR_REQUISE',
      'en-tête Content-Length obligatoire pour un import multipart',
    );
  if (length > config.limits.requestBytes)
    throw new ProblemError(
      413,
      'TROP_VOLUMINEUX',
      `requête trop volumineuse : ${length} octets pour ${config.limits.requestBytes} au plus`,
    );
};

/**
 * Accepts the two forms of an import (docs/api.md): a JSON body (parsed by JsonBodyInterceptor, up to IMPORT_MAX_BYTES) or
 * multipart/form-data, buffered in memory within the configured limits. Runs after the auth
 * guard, so nothing is read for a caller that will get 401 or 403.
 */
@Injectable()
export class ImportUploadInterceptor implements NestInterceptor {
  private readonly upload: RequestHandler;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.upload = importUploadMiddleware(config);
  }

  async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = ctx.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    if (req.is('multipart/form-data')) {
      checkImportLength(req, this.config);
      await new Promise<void>((resolve, reject) =>
        this.upload(req, res, (e?: unknown) => (e ? reject(multerProblem(e)) : resolve())),
      );
    } else if (!req.is('application/json') && !req.is('application/*+json')) {
      throw new ProblemError(
        415,
        'TYPE_NON_SUPPORTE',
        'un import est envoyé en application/json ou en multipart/form-data (partie « file » + une partie par pièce)',
      );
    }
    return next.handle();
  }
}
