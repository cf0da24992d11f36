import type { EventStore, ReadAllOptions, RecordedEvent, SubscribeOptions } from '@segur/event-store';

export interface PullStats {
  /** Store reads (pages), including those a subscription makes internally. */
  reads: number;
  /** Events a consumer of subscribeToAll has pulled out of it. */
  pulled: number;
  /** Subscriptions still running: a client gone must not leave one behind. */
  open: number;
}

/**
 * The same store seen through a counter. Built on the store as prototype, so that its own
 * subscribeToAll, calling `this.readAll`, goes through the counting readAll too.
 */
export const countingStore = (store: EventStore): { store: EventStore; stats: PullStats } => {
  const stats: PullStats = { reads: 0, pulled: 0, open: 0 };
  const wrapped = Object.create(store) as EventStore;
  wrapped.readAll = async (options: ReadAllOptions) => {
    stats.reads++;
    return store.readAll(options);
  };
  wrapped.subscribeToAll = async function* (options?: SubscribeOptions): AsyncGenerator<RecordedEvent> {
    stats.open++;
    try {
      for await (const event of store.subscribeToAll.call(wrapped, options)) {
        stats.pulled++;
        yield event;
      }
    } finally {
      stats.open--;
    }
  };
  return { store: wrapped, stats };
};
