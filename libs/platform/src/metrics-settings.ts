import { Duration } from 'luxon';
import { ConfigError } from './config.error';

export interface MetricsSettings {
  /** How long `/metrics` reuses its database figures (`METRICS_CACHE_TTL`, ISO-8601, default PT30S). */
  cacheTtlMs: number;
  /** When set (`METRICS_TOKEN`), `/metrics` answers only `Authorization: Bearer <token>`. */
  token: string | null;
}

export const loadMetricsSettings = (env: NodeJS.ProcessEnv): MetricsSettings => {
  const raw =
    env.METRICS_CACHE_TTL === undefined || env.METRICS_CACHE_TTL === '' ? 'PT30S' : env.METRICS_CACHE_TTL;
  const ms = Duration.fromISO(raw).as('milliseconds');
  if (!Number.isFinite(ms) || ms < 0 || ms > 3600_000)
    throw new ConfigError('METRICS_CACHE_TTL', `durée ISO-8601 entre PT0S et PT1H attendue, reçu « ${raw} »`);
  const token = env.METRICS_TOKEN === undefined || env.METRICS_TOKEN === '' ? null : env.METRICS_TOKEN;
  if (token !== null && token.length < 16) throw new ConfigError('METRICS_TOKEN', 'au moins 16 caractères');
  return { cacheTtlMs: Math.round(ms), token };
};
