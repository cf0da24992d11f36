import type { NextFunction, Request, Response } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { Histogram } from 'prom-client';
import { collectProcessMetrics, logContext, metricOnce } from '@segur/platform';
import { correlationIdOf, type SegurRequest } from './request-context';

const PROBES = new Set(['/health', '/ready', '/metrics']);

const httpDuration = (): Histogram<'method' | 'route' | 'status_code'> =>
  metricOnce(
    'segur_http_request_duration_seconds',
    () =>
      new Histogram({
        name: 'segur_http_request_duration_seconds',
        help: 'Durée des requêtes HTTP, par méthode, route (son modèle, pas l’URL) et statut',
        labelNames: ['method', 'route', 'status_code'] as const,
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      }),
  );

/**
 * The route's pattern (`/api/v1/dossiers/:numeroAsp`), never the raw URL: a label per numéro ASP
 * would grow the registry without bound. Unmatched requests share one value.
 */
const routeOf = (req: Request): string => {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : 'non_route';
};

/**
 * Before any route: the correlation id (the caller's `X-Correlation-Id` when sane, a new one
 * otherwise) answered on every response and carried by every log line of the request; one request
 * log line at the end (pino-http, without headers: they hold tokens); the duration histogram.
 */
export const requestObservability = (logger: Logger) => {
  collectProcessMetrics();
  const duration = httpDuration();
  const http = pinoHttp({
    logger,
    genReqId: (req) => correlationIdOf(req as SegurRequest),
    customAttributeKeys: { reqId: 'correlationId' },
    // The mixin already adds correlationId to every line: not twice through req.log's bindings.
    quietReqLogger: true,
    autoLogging: { ignore: (req) => PROBES.has((req.url ?? '').split('?')[0] ?? '') },
    serializers: {
      req: (req: { method?: string; url?: string }) => ({ method: req.method, url: req.url }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, err) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    customSuccessMessage: (req, res, ms) =>
      `${req.method} ${req.url} ${res.statusCode} (${Math.round(ms)} ms)`,
    customErrorMessage: (req, res) => `${req.method} ${req.url} ${res.statusCode}`,
  });
  return (req: Request, res: Response, next: NextFunction): void => {
    const correlationId = correlationIdOf(req as SegurRequest);
    res.setHeader('X-Correlation-Id', correlationId);
    const end = duration.startTimer({ method: req.method });
    res.once('finish', () => end({ route: routeOf(req), status_code: String(res.statusCode) }));
    logContext.run({ correlationId }, () => http(req, res, next));
  };
};
