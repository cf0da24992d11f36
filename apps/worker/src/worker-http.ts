import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { register } from 'prom-client';
import { metricsScrapeAllowed, type MetricsSettings } from '@segur/platform';

/**
 * The worker's own little HTTP server (WORKER_HTTP_PORT): `/metrics` for Prometheus (the same
 * METRICS_TOKEN rule as the API) and `/health` for the orchestrator's liveness probe. node:http, not
 * Nest: two read-only routes, no body, and the worker stays an application context.
 */
export const startWorkerHttp = async (
  settings: MetricsSettings,
  host: string,
  port = settings.workerHttpPort,
): Promise<{ server: Server; url: string; close: () => Promise<void> }> => {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}): void => {
      res
        .writeHead(status, { 'Content-Type': type, ...headers })
        .end(req.method === 'HEAD' ? undefined : body);
    };
    const problem = (status: number, code: string, detail: string, headers?: Record<string, string>): void =>
      send(status, 'application/problem+json', JSON.stringify({ status, code, detail }), headers);
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return problem(405, 'METHODE_NON_AUTORISEE', 'GET seulement', { Allow: 'GET, HEAD' });
    if (path === '/health') return send(200, 'application/json', JSON.stringify({ status: 'ok' }));
    if (path !== '/metrics') return problem(404, 'INTROUVABLE', 'Routes du worker : /metrics et /health');
    if (!metricsScrapeAllowed(settings, req.headers.authorization))
      return problem(401, 'NON_AUTHENTIFIE', 'Jeton de métriques manquant ou invalide (METRICS_TOKEN)', {
        'WWW-Authenticate': 'Bearer',
      });
    register.metrics().then(
      (text) => send(200, register.contentType, text),
      (e: unknown) => problem(500, 'ERREUR_INTERNE', `métriques illisibles : ${String(e)}`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' ? 'localhost' : host;
  return {
    server,
    url: `http://${shownHost}:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
