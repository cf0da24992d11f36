import type { BackoffOptions } from '@segur/kernel';

/** A failed deadline is retried from 1 s, doubling to 10 min: it is never abandoned. */
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, maxMs: 10 * 60_000 };
