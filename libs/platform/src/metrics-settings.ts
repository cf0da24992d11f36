import { timingSafeEqual } from 'node:crypto';
import { ConfigError } from './config.error';
import { boundedMs } from './config-duration';

export interface MetricsSettings {
  /** How long `/metrics` reuses its database figures (`METRICS_CACHE_TTL`, ISO-8601, default PT30S). */
  cacheTtlMs: number;
  /** When set (`METRICS_TOKEN`), `/metrics` answers only `Authorization: Bearer <token>`. */
  token: string | null;
  /**
   * The worker's own HTTP port for `/metrics` and `/health` (`WORKER_HTTP_PORT`, default 9464, the
   * usual Prometheus exporter port; 0: none). The API serves its own on PORT; `npm start` has no
   * separate worker process.
   */
  workerHttpPort: number;
}

export const loadMetricsSettings = (env: NodeJS.ProcessEnv): MetricsSettings => {
  const cacheTtlMs = boundedMs(env, 'METRICS_CACHE_TTL', 'PT30S', [0, 'PT0S'], [3600_000, 'PT1H']);
  const token = env.METRICS_TOKEN === undefined || env.METRICS_TOKEN === '' ? null : env.METRICS_TOKEN;
  if (token !== null && token.length < 16) throw new ConfigError('METRICS_TOKEN', 'au moins 16 caractères');
  const raw = env.WORKER_HTTP_PORT;
  const workerHttpPort = raw === undefined || raw === '' ? 9464 : Number(raw);
  if (!Number.isInteger(workerHttpPort) || workerHttpPort < 0 || workerHttpPort > 65535)
    throw new ConfigError(
      'WORKER_HTTP_PORT',
      `port invalide « ${raw} » (0 : pas de port HTTP pour le worker)`,
    );
  return { cacheTtlMs, token, workerHttpPort };
};

/**
 * Whether a scrape may read `/metrics` (API and worker): always without METRICS_TOKEN, otherwise
 * only with `Authorization: Bearer <token>`, compared in constant time (no leak through timing).
 */
export const metricsScrapeAllowed = (
  settings: MetricsSettings,
  authorization: string | undefined,
): boolean => {
  if (settings.token === null) return true;
  const given = Buffer.from(/^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1] ?? '');
  const expected = Buffer.from(settings.token);
  return given.length === expected.length && timingSafeEqual(given, expected);
};
