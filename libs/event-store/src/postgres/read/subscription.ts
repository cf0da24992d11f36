import type { ReadAllPage, RecordedEvent, SubscribeOptions } from '../../event-store.port';
import { backoffDelay, sleep } from '@segur/kernel';
import { WakeUp } from '../../subscription/wake-up';
import { decodePosition } from '../postgres.position';
import { readAllWithMetadataKeys } from '../postgres.sql';
import { isTransient } from '../sql-errors';
import type { StoreContext } from '../store-context';
import { readAll, readPageWithMetadataKeys } from './read-all';

export interface PagesOptions extends SubscribeOptions {
  /**
   * Only these keys of each event's metadata are read (the others are absent from
   * `event.metadata`, whatever its type says), for a reader that knows which ones it uses: a
   * rebuild reads much less JSON. Upcasters see the same partial metadata. Ignored with a filter.
   */
  metadataKeys?: readonly string[];
}

/** Subscriptions reconnect from 100 ms to 10 s, a fifth off at random: N subscribers never in lockstep. */
const RECONNECT_BACKOFF = { baseMs: 100, maxMs: 10_000, jitter: 0.2 };

const subscriptionSignal = (ctx: StoreContext, options: SubscribeOptions): AbortSignal =>
  options.signal ? AbortSignal.any([options.signal, ctx.closing]) : ctx.closing;

export async function* subscribeToAll(
  ctx: StoreContext,
  options: SubscribeOptions,
): AsyncGenerator<RecordedEvent> {
  const signal = subscriptionSignal(ctx, options);
  for await (const page of pages(ctx, options, signal))
    for (const event of page) {
      if (signal.aborted) return;
      yield event;
    }
}

/**
 * subscribeToAll a page at a time (pages of at most `batchSize`, never empty): a consumer that
 * works by batches anyway (a rebuild) saves two async iterations per event.
 */
export const subscribeToAllPages = (
  ctx: StoreContext,
  options: PagesOptions,
): AsyncGenerator<RecordedEvent[]> => pages(ctx, options, subscriptionSignal(ctx, options));

/** Pages after the cursor, then live: woken by NOTIFY, else polled; transient errors retried. */
async function* pages(
  ctx: StoreContext,
  options: PagesOptions,
  signal: AbortSignal,
): AsyncGenerator<RecordedEvent[]> {
  const batchSize = options.batchSize ?? 1_000;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  let cursor = options.from ?? null;
  decodePosition(cursor); // a bad checkpoint is a bug, not a transient error: fail now
  if (options.metadataKeys) readAllWithMetadataKeys(options.metadataKeys); // a bad key too
  const wake = new WakeUp();
  let unlisten: (() => Promise<void>) | null = null;
  let failures = 0;
  try {
    while (!signal.aborted) {
      let page: ReadAllPage;
      try {
        // Listen before reading, so an append committed during the read still wakes us up.
        unlisten ??= await ctx.sql.listen(ctx.channel, wake.notify);
        page =
          options.metadataKeys && !options.filter
            ? await readPageWithMetadataKeys(ctx, cursor, batchSize, options.metadataKeys)
            : await readAll(ctx, { after: cursor, limit: batchSize, filter: options.filter });
        failures = 0;
      } catch (error) {
        if (signal.aborted) break;
        if (!isTransient(error)) throw error;
        ctx.onSubscriptionError?.(error);
        // The listening connection may be the broken one: listen again on the next attempt.
        await unlisten?.().catch(() => undefined);
        unlisten = null;
        await sleep(backoffDelay(++failures, RECONNECT_BACKOFF), signal);
        continue;
      }
      if (page.events.length > 0) yield page.events;
      cursor = page.cursor;
      if (page.events.length < batchSize)
        await wake.waitAfterRead(page.events.length, pollIntervalMs, signal);
    }
  } finally {
    await unlisten?.().catch(() => undefined);
  }
}
