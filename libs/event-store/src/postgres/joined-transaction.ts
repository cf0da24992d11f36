import type { StoreTransaction } from '../event-store.port';
import type { SqlExecutor } from '../sql-client';
import { appendManyJoined } from './append-many/append-many';
import { readStreamsIn, readStreamsToDecideIn } from './read/read-streams';
import { readStreamVersionsIn } from './read/stream-versions';
import type { StoreContext } from './store-context';

/**
 * Reads and appends in a transaction of the caller's, on the store's database (see
 * StoreTransaction): plain statements on `tx`, appends under a savepoint, subscribers woken by
 * `committed()` once the caller has committed.
 */
export const joinTransaction = (ctx: StoreContext, tx: SqlExecutor): StoreTransaction => {
  let appended = false;
  // Each stream's version as read (or appended) in this transaction: see appendManyJoined.
  const known = new Map<string, number>();
  return {
    readStreams: (streamIds) => readStreamsIn(tx, ctx.mapping, streamIds, known),
    readStreamsToDecide: (streamIds) => readStreamsToDecideIn(tx, ctx.mapping, streamIds, known),
    readStreamVersions: (streamIds) => readStreamVersionsIn(tx, streamIds, known),
    appendMany: async (items, options = {}) => {
      const results = await appendManyJoined(ctx, tx, items, options, known);
      for (const r of results) if (r.ok) known.set(r.streamId, r.result.nextExpectedVersion);
      if (results.some((r) => r.ok)) appended = true;
      return results;
    },
    committed: () => {
      if (appended) ctx.notifier.appended();
      appended = false;
    },
  };
};
