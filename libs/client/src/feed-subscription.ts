import type { FeedEvent, FeedFilter } from './feed-event';

export interface FeedSubscriptionOptions {
  /** The engine's root URL, e.g. `https://segur.example.fr`. */
  baseUrl: string;
  /** A bearer token of role `service` (or `auditeur`), or a function giving a fresh one. */
  token: string | (() => string | Promise<string>);
  /** The position saved last time, or null to start from the beginning. Called once at start. */
  loadCursor: () => Promise<string | null> | string | null;
  /**
   * Called after each event was handled, with its position: persist it (in the same transaction as
   * your own effect if you can). A crash before it replays that one event: deduplicate on `id`.
   */
  saveCursor: (position: string) => Promise<void> | void;
  /** Processes one event; an error stops nothing: the same event is retried after a backoff. */
  handle: (event: FeedEvent) => Promise<void> | void;
  filter?: FeedFilter;
  /** Events a page (1–1000, default 500). */
  pageSize?: number;
  /** At the head of the feed, how long to wait before asking again (default 2 s). */
  idleMs?: number;
  /** Exponential backoff between failed attempts, doubled up to `maxMs` (default 500 ms → 60 s). */
  backoff?: { initialMs: number; maxMs: number };
  /** Told about each failure before the backoff (logging, metrics). */
  onError?: (error: unknown, attempt: number) => void;
  /** Stops the subscription; `subscribeToFeed` then resolves. */
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

/** A refusal retrying cannot fix (bad token, bad cursor, wrong filter): the subscription stops. */
export class FeedRefusedError extends Error {
  constructor(
    readonly status: number,
    readonly problem: unknown,
  ) {
    const detail =
      typeof problem === 'object' && problem !== null && 'detail' in problem
        ? String(problem.detail)
        : `HTTP ${status}`;
    super(`flux d’événements refusé (${status}) : ${detail}`);
    this.name = 'FeedRefusedError';
  }
}

// 408 and 429 say "later"; other 4xx say "never as asked".
const isPermanent = (status: number): boolean =>
  status >= 400 && status < 500 && status !== 408 && status !== 429;

/** Resolves after `ms`, or at once when the signal aborts. */
const pause = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

const pageUrl = (options: FeedSubscriptionOptions, after: string | null): string => {
  const query = new URLSearchParams({ limit: String(options.pageSize ?? 500) });
  if (after) query.set('after', after);
  if (options.filter?.types?.length) query.set('types', options.filter.types.join(','));
  if (options.filter?.numeroAsp) query.set('numeroAsp', options.filter.numeroAsp);
  if (options.filter?.category) query.set('category', options.filter.category);
  return `${options.baseUrl.replace(/\/+$/, '')}/api/v1/events?${query.toString()}`;
};

/**
 * Follows the feed from the saved cursor until `signal` aborts: pages of NDJSON, each event handled
 * then its position saved, in order; network errors, 5xx, 429 and handler errors are retried with
 * backoff from the last saved position, never skipped. Rejects only on a permanent refusal
 * (`FeedRefusedError`: 400, 401, 403…).
 */
export const subscribeToFeed = async (options: FeedSubscriptionOptions): Promise<void> => {
  const doFetch = options.fetch ?? fetch;
  const { initialMs, maxMs } = options.backoff ?? { initialMs: 500, maxMs: 60_000 };
  const signal = options.signal;
  let cursor = await options.loadCursor();
  let failures = 0;
  while (!signal?.aborted) {
    try {
      const token = typeof options.token === 'function' ? await options.token() : options.token;
      const res = await doFetch(pageUrl(options, cursor), {
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/x-ndjson' },
        ...(signal ? { signal } : {}),
      });
      const text = await res.text();
      if (!res.ok) {
        if (isPermanent(res.status)) throw new FeedRefusedError(res.status, safeJson(text));
        throw new Error(`flux d’événements : HTTP ${res.status}`);
      }
      failures = 0; // the engine answered: a handler failure below starts a new series
      const events = text
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as FeedEvent);
      for (const event of events) {
        if (signal?.aborted) return;
        await options.handle(event);
        await options.saveCursor(event.position);
        cursor = event.position;
      }
      if (events.length === 0) await pause(options.idleMs ?? 2_000, signal);
    } catch (error) {
      if (error instanceof FeedRefusedError) throw error;
      if (signal?.aborted) return;
      failures += 1;
      options.onError?.(error, failures);
      await pause(Math.min(maxMs, initialMs * 2 ** (failures - 1)), signal);
    }
  }
};

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};
