import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { PinoNestLogger, type Infrastructure } from '@segur/platform';
import { ApiModule, type ApiModuleOptions } from './api.module';
import { migrateIdempotency } from './http/idempotency.migrations';
import { createValidationPipe } from './http/validation.pipe';
import { requestObservability } from './http/request-observability';
import { mountWebPages } from './web/web-pages';
import { finishOpenApiDocument } from './openapi/openapi-document';
import { mountEventContracts } from './asyncapi/event-contract-routes';

export const API_PREFIX = 'api/v1';

/** Builds the HTTP app on an opened infrastructure (main, `npm start`, e2e tests). */
export const createApiApp = async (
  infra: Infrastructure,
  options: ApiModuleOptions = {},
): Promise<NestExpressApplication> => {
  await migrateIdempotency(infra.sql);
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(infra, options), {
    logger: new PinoNestLogger(infra.logger),
    bodyParser: false,
  });
  app.disable('x-powered-by');
  app.use(requestObservability(infra.logger));
  app.set('trust proxy', 'loopback');
  // No body parser here: JSON is read by JsonBodyInterceptor once the token and role are checked.
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'ready', 'metrics'] });
  app.useGlobalPipes(createValidationPipe());

  const generated = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Ségur numérique — dossiers de financement')
      .setDescription(
        'Moteur de workflow event-sourcé des demandes de financement (avance, solde, modification). ' +
          'Erreurs en application/problem+json (RFC 9457) avec un `code` stable.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  const doc = finishOpenApiDocument(generated);
  const http = app.getHttpAdapter().getInstance();
  http.get('/openapi.json', (_req: unknown, res: { json: (b: unknown) => void }) => res.json(doc));
  mountEventContracts(http, infra.config.publicUrl);
  SwaggerModule.setup('docs', app, doc as unknown as OpenAPIObject, {
    useGlobalPrefix: false,
    jsonDocumentUrl: 'openapi-swagger.json',
  });
  mountWebPages(app, infra);
  return app;
};
