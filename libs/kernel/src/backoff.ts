export interface BackoffOptions {
  /** Delay of the first retry. */
  baseMs: number;
  /** Ceiling: whatever the number of failures, a retry comes at least this often. */
  maxMs: number;
  /**
   * Share of each delay taken off at random (0 to 1; 0 by default), so that many clients that
   * failed together do not retry in the same instant.
   */
  jitter?: number;
}

/**
 * The one retry delay of the engine: base, 2×base, 4×base…, capped at `maxMs`, minus up to
 * `jitter` of it at random. `attempt` counts the retries from 1.
 */
export const backoffDelay = (
  attempt: number,
  o: BackoffOptions,
  random: () => number = Math.random,
): number => {
  // The exponent is capped too: 2 ** attempt overflows to Infinity after a long outage.
  const exponent = Math.min(Math.max(attempt - 1, 0), 52);
  const capped = Math.min(o.maxMs, o.baseMs * 2 ** exponent);
  const jitter = o.jitter ?? 0;
  return Math.max(1, Math.round(jitter > 0 ? capped * (1 - jitter * random()) : capped));
};
