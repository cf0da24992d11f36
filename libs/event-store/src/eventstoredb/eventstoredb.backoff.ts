export interface BackoffOptions {
  initialDelayMs: number;
  maxDelayMs: number;
  factor: number;
  /** Share of each delay taken off at random, so N workers do not reconnect in lockstep. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = {
  initialDelayMs: 100,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: 0.2,
};

/** Delay before reconnection attempt `attempt` (0 for the first retry): exponential, capped. */
export const backoffDelay = (
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number => {
  // Cap the exponent too: factor ** attempt overflows to Infinity after a long outage.
  const exponent = Math.min(Math.max(attempt, 0), 64);
  const capped = Math.min(options.maxDelayMs, options.initialDelayMs * options.factor ** exponent);
  return Math.round(capped * (1 - options.jitter * random()));
};

/** Resolves after `ms`, or at once when `signal` aborts (the caller checks `signal.aborted`). */
export const abortableSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
