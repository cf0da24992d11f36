// The three ways appendMany writes its items; append-many.ts picks one.
import {
  WrongExpectedVersionError,
  type AppendManyItem,
  type AppendManyResult,
} from '../../event-store.port';
import { satisfiesExpectedVersion } from '../../expected-version';
import type { SqlExecutor } from '../../sql-client';
import { expectedCode } from '../append/expected-code';
import { STREAM_VERSIONS } from '../postgres.sql';
import { versionsOf, type VersionRow } from '../read/stream-versions';
import type { PreparedEvent, RowMapping } from '../row-mapping';
import { insertEvents } from './insert-events';

/**
 * One way of writing appendMany's items on `on`: each item's result, a success or its conflict.
 * `events` false: results without recorded events (AppendManyOptions.returnEvents).
 */
export type AppendManyStrategy = (
  on: SqlExecutor,
  mapping: RowMapping,
  items: AppendManyItem[],
  prepared: PreparedEvent[][],
  events: boolean,
) => Promise<AppendManyResult[]>;

/** An item's result when its stream, at version `current`, does not meet the item's expected version. */
const conflict = (item: AppendManyItem, current: number): AppendManyResult => ({
  streamId: item.streamId,
  ok: false,
  error: new WrongExpectedVersionError(item.streamId, item.expectedVersion, current),
});

/**
 * appendMany in one transaction: read every stream's version in one query, decide in memory which
 * items meet their expected version (a stream listed twice is checked against its earlier item),
 * then insert all accepted events in one statement. Conflicts are decided before any write, so no
 * savepoint is needed; a writer racing in between makes the insert fail on the unique index, and
 * the caller retries the whole call, which then sees that stream's new version.
 */
export const appendManyIn: AppendManyStrategy = async (tx, mapping, items, prepared, events) => {
  const ids = [...new Set(items.map((i) => i.streamId))];
  const r = await tx.query<VersionRow>(STREAM_VERSIONS, [ids]);
  const version = versionsOf(r.rows);
  const base = new Array<number | undefined>(items.length);
  const results = new Array<AppendManyResult>(items.length);
  items.forEach((item, i) => {
    const current = version.get(item.streamId) ?? 0;
    if (satisfiesExpectedVersion(item.expectedVersion, current)) {
      base[i] = current;
      version.set(item.streamId, current + item.events.length);
    } else results[i] = conflict(item, current);
  });
  const accepted = items.flatMap((_, i) => (base[i] === undefined ? [] : [i]));
  if (!accepted.length) return results;
  const inserted = await insertEvents(
    tx,
    mapping,
    accepted,
    items,
    prepared,
    base as number[],
    false,
    events,
  );
  for (const i of accepted) results[i] = inserted[i] as AppendManyResult;
  return results;
};

/** The items left without a result: their rows did not come back. */
const missedOf = (results: AppendManyResult[], count: number): number[] => {
  const missed: number[] = [];
  for (let i = 0; i < count; i++) if (results[i] === undefined) missed.push(i);
  return missed;
};

/**
 * Exact expected versions on distinct streams (the import's case: versions it has just read): the
 * check rides in the insert, one auto-committed statement instead of BEGIN, a version query, the
 * insert and COMMIT. Only the streams that missed their version are read again, for the error.
 */
export const appendManyChecked: AppendManyStrategy = async (on, mapping, items, prepared, events) => {
  const all = items.map((_, i) => i);
  const base = items.map((item) => expectedCode(item.expectedVersion));
  const results = await insertEvents(on, mapping, all, items, prepared, base, true, events);
  const missed = missedOf(results, items.length);
  if (missed.length === 0) return results;
  const ids = missed.map((i) => (items[i] as AppendManyItem).streamId);
  const r = await on.query<VersionRow>(STREAM_VERSIONS, [ids]);
  const version = versionsOf(r.rows);
  for (const i of missed) {
    const item = items[i] as AppendManyItem;
    results[i] = conflict(item, version.get(item.streamId) ?? 0);
  }
  return results;
};

/**
 * Exact expected versions on distinct streams, each the version the caller's transaction read:
 * no version check but the unique index (see appendManyJoined). Every row goes in, or the
 * statement fails on that index.
 */
export const appendManyAsRead: AppendManyStrategy = async (on, mapping, items, prepared, events) => {
  const all = items.map((_, i) => i);
  const base = items.map((item) => expectedCode(item.expectedVersion));
  const results = await insertEvents(on, mapping, all, items, prepared, base, false, events);
  if (missedOf(results, items.length).length > 0) throw new Error('appendMany : ligne insérée non rendue');
  return results;
};
