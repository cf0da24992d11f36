/** Exponential backoff with jitter, capped: N subscribers never reconnect in lockstep. */
export const reconnectDelay = (attempt: number, baseMs = 100, maxMs = 10_000): number => {
  const capped = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 20));
  return Math.round(capped * (0.8 + 0.2 * Math.random()));
};

/** Resolves after `ms`, or at once when `signal` aborts (callers re-check `signal.aborted`). */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
