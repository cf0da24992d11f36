import type { AppendManyItem, AppendManyOptions, AppendManyResult } from '../../event-store.port';
import { validateAppend } from '../../expected-version';
import type { SqlExecutor } from '../../sql-client';
import { expectedCode } from '../append/expected-code';
import { preparer, type PreparedEvent } from '../row-mapping';
import { isRetryableAppend } from '../sql-errors';
import type { StoreContext } from '../store-context';
import { appendManyAsRead, appendManyChecked, appendManyIn } from './strategies';

/** Each item expects an exact version (a number or no stream) of a stream no other item names. */
const exactVersions = (items: readonly AppendManyItem[]): boolean => {
  const seen = new Set<string>();
  for (const item of items) {
    if (typeof item.expectedVersion !== 'number' && item.expectedVersion !== 'no_stream') return false;
    if (seen.has(item.streamId)) return false;
    seen.add(item.streamId);
  }
  return true;
};

/** Every item checked as appendToStream does (before any I/O), then its events prepared. */
const prepareItems = (ctx: StoreContext, items: AppendManyItem[]): PreparedEvent[][] => {
  for (const item of items) validateAppend(item.streamId, item.events, item.expectedVersion);
  return items.map((item) => item.events.map(preparer(item.streamId, ctx.chain)));
};

/** The store's appendMany: one auto-committed statement when it can (see appendManyChecked), else a transaction. */
export const appendMany = async (
  ctx: StoreContext,
  items: AppendManyItem[],
  options: AppendManyOptions,
): Promise<AppendManyResult[]> => {
  const prepared = prepareItems(ctx, items);
  if (items.length === 0) return [];
  const hook = ctx.beforeCommit;
  const oneStatement = !hook && exactVersions(items);
  const events = options.returnEvents !== false;
  for (let attempt = 0; ; attempt++) {
    try {
      const results = oneStatement
        ? await appendManyChecked(ctx.sql, ctx.mapping, items, prepared, events)
        : await ctx.sql.transaction(async (tx) => {
            const results = await appendManyIn(tx, ctx.mapping, items, prepared, events);
            if (hook) await hook(tx);
            return results;
          });
      if (results.some((r) => r.ok)) ctx.notifier.appended();
      return results;
    } catch (error) {
      // A concurrent appender got in between our version check and our insert: check again.
      if (attempt >= 5 || !isRetryableAppend(error)) throw error;
    }
  }
};

/**
 * appendMany inside the caller's transaction. A race lost to a concurrent appender (unique index)
 * or a deadlock would abort the caller's whole transaction: the attempt runs under a savepoint,
 * rolled back to and retried, which then sees that stream's new version and reports its conflict.
 *
 * When every item expects exactly the version this transaction read (or appended) for its stream,
 * the first attempt inserts without the per-row version subquery: versions only grow, so the
 * stream is at that version or beyond, and the unique (stream_id, stream_version) index alone
 * tells the two apart (version + 1 goes in, or a concurrent appender took it: race, retried
 * checked). This saves PostgreSQL work on every batch of a deadline burst.
 */
export const appendManyJoined = async (
  ctx: StoreContext,
  tx: SqlExecutor,
  items: AppendManyItem[],
  options: AppendManyOptions,
  known: ReadonlyMap<string, number>,
): Promise<AppendManyResult[]> => {
  const prepared = prepareItems(ctx, items);
  if (items.length === 0) return [];
  const events = options.returnEvents !== false;
  const oneStatement = exactVersions(items);
  const asRead =
    oneStatement && items.every((item) => known.get(item.streamId) === expectedCode(item.expectedVersion));
  for (let attempt = 0; ; attempt++) {
    await tx.query('SAVEPOINT es_append_many');
    try {
      const results =
        asRead && attempt === 0
          ? await appendManyAsRead(tx, ctx.mapping, items, prepared, events)
          : oneStatement
            ? await appendManyChecked(tx, ctx.mapping, items, prepared, events)
            : await appendManyIn(tx, ctx.mapping, items, prepared, events);
      await tx.query('RELEASE SAVEPOINT es_append_many');
      return results;
    } catch (error) {
      await tx.query('ROLLBACK TO SAVEPOINT es_append_many');
      if (attempt >= 5 || !isRetryableAppend(error)) throw error;
    }
  }
};
