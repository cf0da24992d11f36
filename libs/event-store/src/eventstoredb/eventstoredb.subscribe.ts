import { START, type AllStreamResolvedEvent } from '@eventstore/db-client';
import { backoffDelay } from '@segur/kernel';
import type { RecordedEvent, SubscribeOptions } from '../event-store.port';
import type { EsdbContext } from './eventstoredb.context';
import { deadlineError } from './eventstoredb.deadline';
import { isTransientError } from './eventstoredb.errors';
import { matchesFilter, toServerFilter } from './eventstoredb.filter';
import { toRecordedEvent } from './eventstoredb.mapping';
import { decodePosition, encodePosition } from './eventstoredb.position';

/**
 * Catch-up subscription to `$all`, filtered on the server. A dropped call is resumed from the
 * last delivered position after a capped exponential backoff; events at or before it are skipped,
 * so a resubscription never delivers twice. `batchSize` and `pollIntervalMs` do not apply: ESDB
 * pushes events as they commit.
 */
export async function* subscribeToAll(
  ctx: EsdbContext,
  options: SubscribeOptions = {},
): AsyncGenerator<RecordedEvent> {
  const signal = options.signal ? AbortSignal.any([options.signal, ctx.closing.signal]) : ctx.closing.signal;
  const filter = toServerFilter(options.filter);
  let last = options.from ?? null;
  if (last !== null) decodePosition(last); // a foreign cursor fails now, not at the first drop
  let attempt = 0;

  while (!signal.aborted) {
    const subscription = ctx.client.subscribeToAll({
      fromPosition: last === null ? START : decodePosition(last),
      filter,
    });
    const stop = () => {
      subscription.destroy();
    };
    signal.addEventListener('abort', stop, { once: true });
    // Reset only once the subscription proved useful: a node that accepts then drops at once
    // must still see the delay grow.
    subscription.once('caughtUp', () => {
      attempt = 0;
    });
    // A node that accepts the call but never confirms it (no leader, stuck gossip) would hold the
    // subscription forever: not confirmed in time, it is dropped and resubscribed like any failure.
    const confirmed = ctx.timer(ctx.deadlineMs, () =>
      subscription.destroy(deadlineError('souscription à $all non confirmée', ctx.deadlineMs)),
    );
    subscription.once('confirmation', confirmed);
    try {
      for await (const resolved of subscription as AsyncIterable<AllStreamResolvedEvent>) {
        confirmed();
        attempt = 0;
        const event = resolved.event;
        if (!event || !matchesFilter(event, options.filter)) continue;
        const position = encodePosition(event.position);
        if (last !== null && position <= last) continue;
        const recorded = ctx.upcasters.upcast(toRecordedEvent(event));
        last = position;
        yield recorded;
      }
      // Ending without an error means the server closed the call (a node leaving): resume too.
    } catch (error) {
      if (signal.aborted) break;
      if (!isTransientError(error)) throw error;
    } finally {
      confirmed();
      signal.removeEventListener('abort', stop);
      subscription.destroy();
      // Not awaited: while the client is still discovering a node, cancelling waits for that
      // discovery, and an abort must not.
      void subscription.unsubscribe().catch(() => undefined);
    }
    if (signal.aborted) break;
    await ctx.sleep(backoffDelay(++attempt, ctx.backoff, ctx.random), signal);
  }
}
