import { ConfigError } from './config.error';
import { boundedMs } from './config-duration';

export interface MetricsSettings {
  /** How long `/metrics` reuses its database figures (`METRICS_CACHE_TTL`, ISO-8601, default PT30S). */
  cacheTtlMs: number;
  /** When set (`METRICS_TOKEN`), `/metrics` answers only `Authorization: Bearer <token>`. */
  token: string | null;
}

export const loadMetricsSettings = (env: NodeJS.ProcessEnv): MetricsSettings => {
  const cacheTtlMs = boundedMs(env, 'METRICS_CACHE_TTL', 'PT30S', [0, 'PT0S'], [3600_000, 'PT1H']);
  const token = env.METRICS_TOKEN === undefined || env.METRICS_TOKEN === '' ? null : env.METRICS_TOKEN;
  if (token !== null && token.length < 16) throw new ConfigError('METRICS_TOKEN', 'au moins 16 caractères');
  return { cacheTtlMs, token };
};
