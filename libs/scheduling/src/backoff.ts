export interface BackoffOptions {
  /** First retry delay. */
  baseMs: number;
  /** Ceiling: a deadline is never abandoned, it is retried at least this often. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, maxMs: 10 * 60_000 };

/** Exponential: base, 2×base, 4×base…, capped; `attempt` counts from 1. */
export const backoffDelay = (attempt: number, o: BackoffOptions = DEFAULT_BACKOFF): number =>
  Math.min(o.maxMs, o.baseMs * 2 ** Math.max(0, attempt - 1));
