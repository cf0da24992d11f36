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

/** Longest text field of the form (`type`, a couloir's piece type). */
export const PIECE_FORM_FIELD_BYTES = 200;

/**
 * multer for one piece (`file`) and its `type`, buffered in memory within `PIECE_MAX_BYTES`: the
 * JSON route and the web page's form share it, so both refuse the same uploads.
 */
export const pieceUploadMiddleware = (config: AppConfig): RequestHandler =>
  multer({
    storage: multer.memoryStorage(),
    limits: {
      ...MULTIPART_COMMON_LIMITS,
      fileSize: config.limits.pieceBytes,
      files: 1,
      fields: 2,
      fieldSize: PIECE_FORM_FIELD_BYTES,
      parts: 3,
    },
  }).single('file');

/**
 * One piece (`file`) and its `type`, buffered in memory within `PIECE_MAX_BYTES`: at most one file,
 * two text fields of 200 bytes. Runs after the auth guard; its bytes reach the blob store only once
 * the command is accepted (AddPieceHandler).
 */
@Injectable()
export class PieceUploadInterceptor implements NestInterceptor {
  private readonly upload: RequestHandler;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.upload = pieceUploadMiddleware(config);
  }

  async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = ctx.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    if (!req.is('multipart/form-data'))
      throw new ProblemError(
        415,
        'TYPE_NON_SUPPORTE',
        'une pièce est envoyée en multipart/form-data (partie « file » + champ « type »)',
      );
    await new Promise<void>((resolve, reject) =>
      this.upload(req, res, (e?: unknown) => (e ? reject(multerProblem(e)) : resolve())),
    );
    return next.handle();
  }
}
