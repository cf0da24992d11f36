import {
  Inject,
  Injectable,
  SetMetadata,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, RequestHandler, Response } from 'express';
import { json } from 'express';
import type { Observable } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '@segur/platform';

export const LARGE_JSON_KEY = 'segur:large-json';

/** The route takes a JSON body up to IMPORT_MAX_BYTES instead of JSON_MAX_BYTES (imports only). */
export const LargeJsonBody = (): MethodDecorator & ClassDecorator => SetMetadata(LARGE_JSON_KEY, true);

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * Parses a JSON body after the guards: a caller without a valid token or the right role is refused
 * before a byte of its body is read or buffered (an interceptor runs after every guard, before the
 * route's pipes read `req.body`). The limit is small everywhere but on the import routes.
 */
@Injectable()
export class JsonBodyInterceptor implements NestInterceptor {
  private readonly small: RequestHandler;
  private readonly large: RequestHandler;

  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.small = json({ limit: config.limits.jsonBodyBytes, strict: true, type: JSON_TYPES });
    this.large = json({ limit: config.limits.importBytes, strict: true, type: JSON_TYPES });
  }

  async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const large = this.reflector.getAllAndOverride<boolean | undefined>(LARGE_JSON_KEY, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    const parse = large ? this.large : this.small;
    await new Promise<void>((resolve, reject) => {
      // body-parser's errors carry status and type, which ProblemFilter turns into 400/413/415.
      parse(req, res, (err?: unknown) =>
        err === undefined || err === null
          ? resolve()
          : reject(err instanceof Error ? err : new Error('corps de requête illisible')),
      );
    });
    return next.handle();
  }
}
