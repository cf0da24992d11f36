import { Duration } from 'luxon';
import { ConfigError } from './config.error';

/**
 * A setting written as an ISO-8601 duration (`PT30S`, `P1D`), in milliseconds, within bounds given
 * with their labels for the error message; `fallback` when unset or empty.
 */
export const boundedMs = (
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: string,
  [min, minLabel]: [number, string],
  [max, maxLabel]: [number, string],
): number => {
  const raw = env[name] === undefined || env[name] === '' ? fallback : env[name];
  const ms = Duration.fromISO(raw).as('milliseconds');
  if (!Number.isFinite(ms) || ms < min || ms > max)
    throw new ConfigError(name, `durée ISO-8601 entre ${minLabel} et ${maxLabel} attendue, reçu « ${raw} »`);
  return Math.round(ms);
};
