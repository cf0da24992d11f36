import type { Request, Response } from 'express';
import { DOSSIER_EVENT_TYPES, EVENT_CATALOGUE, eventDataJsonSchema, eventSchemaPath } from '@segur/domain';
import { problemTitle } from '../http/problem';
import { buildAsyncApiDocument } from './asyncapi-document';

interface HttpRoutes {
  get: (path: string, handler: (req: Request, res: Response) => void) => unknown;
}

/**
 * The event contract, public like `/openapi.json` (a contract, no data): `/asyncapi.json` and each
 * event type's data schema at the CloudEvents `dataschema` address. Built once at start-up.
 */
export const mountEventContracts = (http: HttpRoutes, publicUrl: string): void => {
  const base = publicUrl.replace(/\/+$/, '');
  const asyncApi = buildAsyncApiDocument(base);
  const schemas = new Map(
    DOSSIER_EVENT_TYPES.map((t) => [
      eventSchemaPath(t, EVENT_CATALOGUE[t].schemaVersion),
      eventDataJsonSchema(t, base),
    ]),
  );
  http.get('/asyncapi.json', (_req, res) => {
    res.json(asyncApi);
  });
  http.get('/schemas/events/:file', (req, res) => {
    const schema = schemas.get(req.path);
    if (schema) {
      res.type('application/schema+json').send(JSON.stringify(schema));
      return;
    }
    res
      .status(404)
      .type('application/problem+json')
      .send(
        JSON.stringify({
          type: 'urn:segur:probleme:introuvable',
          title: problemTitle(404),
          status: 404,
          code: 'INTROUVABLE',
          detail: 'Schéma inconnu : voir /asyncapi.json pour la liste des types et versions publiés',
        }),
      );
  });
};
