import { ConfigError } from './config.error';
import { boundedMs } from './config-duration';

/** What one principal may do per window, and how much it may hold open (docs/operations.md). */
export interface RateLimits {
  /** Length of a counting window (`RATE_LIMIT_WINDOW`, ISO-8601, default PT1M). */
  windowMs: number;
  /** Requests per window and principal on each family of routes (`RATE_LIMIT_*`). */
  imports: number;
  commands: number;
  webhooks: number;
  /** Open SSE streams per principal (`FEED_STREAMS_MAX`). */
  feedStreams: number;
  /** Webhook subscriptions per principal (`WEBHOOK_SUBSCRIPTIONS_MAX`). */
  webhookSubscriptions: number;
}

const count = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) <= 0 || Number(raw) > 1_000_000)
    throw new ConfigError(name, `entier entre 1 et 1000000 attendu, reçu « ${raw} »`);
  return Number(raw);
};

export const loadRateLimits = (env: NodeJS.ProcessEnv): RateLimits => {
  const windowMs = boundedMs(env, 'RATE_LIMIT_WINDOW', 'PT1M', [1000, 'PT1S'], [24 * 3600_000, 'PT24H']);
  return {
    windowMs,
    imports: count(env, 'RATE_LIMIT_IMPORTS', 30),
    commands: count(env, 'RATE_LIMIT_COMMANDS', 600),
    webhooks: count(env, 'RATE_LIMIT_WEBHOOKS', 60),
    feedStreams: count(env, 'FEED_STREAMS_MAX', 5),
    webhookSubscriptions: count(env, 'WEBHOOK_SUBSCRIPTIONS_MAX', 20),
  };
};
