import type { StoreTransaction } from '../event-store.port';
import type { SqlExecutor } from '../sql-client';
import { appendManyJoined } from './append-many/append-many';
import { readStreamsOn, readStreamsToDecide } from './read/read-streams';
import { readVersions } from './read/stream-versions';
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
    readStreams: async (streamIds) => {
      const out = await readStreamsOn(tx, ctx.mapping, streamIds);
      for (const [id, events] of out) known.set(id, events.at(-1)?.streamVersion ?? 0);
      return out;
    },
    readStreamsToDecide: async (streamIds) => {
      const out = await readStreamsToDecide(tx, ctx.mapping, streamIds);
      for (const [id, s] of out) known.set(id, s.version);
      return out;
    },
    readStreamVersions: async (streamIds) => {
      const out = new Map<string, number>(streamIds.map((id) => [id, 0]));
      if (streamIds.length === 0) return out;
      await readVersions(tx, [...out.keys()], out);
      for (const [id, v] of out) known.set(id, v);
      return out;
    },
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
