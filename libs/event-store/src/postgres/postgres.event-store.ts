import { setMaxListeners } from 'node:events';
import {
  WrongExpectedVersionError,
  type AppendCompanion,
  type AppendManyItem,
  type AppendManyOptions,
  type AppendManyResult,
  type AppendResult,
  type AppendsAlongside,
  type JoinsTransactions,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type ReadAllOptions,
  type ReadAllPage,
  type RecordedEvent,
  type StoreTransaction,
  type SubscribeOptions,
} from '../event-store.port';
import { satisfiesExpectedVersion, validateAppend } from '../expected-version';
import type { SqlClient, SqlExecutor } from '../sql-client';
import { NO_UPCASTERS, type Upcasters } from '../upcasters';
import { AppendGroups, type AppendGroupsOptions } from './postgres.append-groups';
import { eventsChannel } from './postgres.migrations';
import { PostgresNotifier } from './postgres.notifier';
import { encodePosition } from './postgres.position';
import { prepare, RowMapping, type AppendedRow, type PreparedEvent } from './row-mapping';
import { headPosition, readAll } from './read/read-all';
import { readStream, readStreams, readStreamsOn, readStreamsToDecide } from './read/read-streams';
import { readVersions, streamVersion } from './read/stream-versions';
import { subscribeToAll, subscribeToAllPages, type PagesOptions } from './read/subscription';
import { append } from './append/append';
import { appendGroup } from './append/append-group';
import { CompanionStatements } from './append/append-statement';
import { expectedCode } from './append/expected-code';
import { InsertColumns } from './append/insert-columns';
import { isRetryableAppend, isVersionRace } from './sql-errors';
import type { StoreContext } from './store-context';
import { INSERT_EVENTS, INSERT_EVENTS_CHECKED, STREAM_VERSIONS } from './postgres.sql';

export type { PagesOptions } from './read/subscription';

export interface PostgresEventStoreOptions {
  upcasters?: Upcasters;
  /**
   * Test hook: runs inside the append transaction, after the rows are inserted and before COMMIT
   * (the torture test sleeps there to force late commits). When set, single appends use an explicit
   * transaction instead of one auto-committed statement.
   */
  beforeCommit?: (tx: SqlExecutor) => Promise<void>;
  /** Called with each error a subscription recovers from (logging, metrics). */
  onSubscriptionError?: (error: unknown) => void;
  /** Group commit of concurrent single-stream appends (see postgres.append-groups.ts). */
  groupCommit?: AppendGroupsOptions;
}

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

/**
 * The event store on PostgreSQL, through a SqlClient: the same SQL runs on `pg` (server mode) and
 * PGlite (embedded mode). Call `migrate(sql)` once before use.
 *
 * Global order is (transaction_id, global_position), read only below the snapshot's xmin (see
 * postgres.migrations.ts): a subscriber never skips an event committed late by a concurrent
 * transaction. The price: any long write transaction in the cluster delays what readers see until
 * it ends (not what writers can do), so keep transactions short.
 */
export class PostgresEventStore implements EventStore, AppendsAlongside, JoinsTransactions {
  readonly name: string;
  private readonly ctx: StoreContext;
  private readonly mapping: RowMapping;
  private readonly notifier: PostgresNotifier;
  private readonly closing = new AbortController();

  constructor(
    private readonly sql: SqlClient,
    private readonly options: PostgresEventStoreOptions = {},
  ) {
    this.name = sql.kind === 'pg' ? 'postgres' : 'pglite';
    // Every live subscription listens to `closing`: many by design, not a leak.
    setMaxListeners(0, this.closing.signal);
    const channel = eventsChannel(sql.schema);
    const ctx: StoreContext = {
      sql,
      mapping: new RowMapping(options.upcasters ?? NO_UPCASTERS),
      notifier: new PostgresNotifier(sql, channel),
      beforeCommit: options.beforeCommit,
      channel,
      closing: this.closing.signal,
      onSubscriptionError: options.onSubscriptionError,
      metadataReads: {},
      companions: new CompanionStatements(),
      groups: new AppendGroups((group) => appendGroup(ctx, group), isVersionRace, options.groupCommit),
    };
    this.ctx = ctx;
    this.mapping = this.ctx.mapping;
    this.notifier = this.ctx.notifier;
  }

  readStream(streamId: string, options: { fromVersion?: number } = {}): Promise<RecordedEvent[]> {
    return readStream(this.ctx, streamId, options);
  }

  readStreams(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    return readStreams(this.ctx, streamIds);
  }

  streamVersion(streamId: string): Promise<number> {
    return streamVersion(this.sql, streamId);
  }

  appendToStream(
    streamId: string,
    events: NewEvent[],
    options: { expectedVersion: ExpectedVersion },
  ): Promise<AppendResult> {
    return append(this.ctx, streamId, events, options.expectedVersion, null);
  }

  /** The append and the companion's write in one statement: one round trip, one commit. */
  appendToStreamAlongside(
    streamId: string,
    events: NewEvent[],
    options: { expectedVersion: ExpectedVersion },
    companion: AppendCompanion,
  ): Promise<AppendResult> {
    return append(this.ctx, streamId, events, options.expectedVersion, companion);
  }

  async appendMany(items: AppendManyItem[], options: AppendManyOptions = {}): Promise<AppendManyResult[]> {
    for (const item of items) validateAppend(item.streamId, item.events, item.expectedVersion);
    if (items.length === 0) return [];
    const prepared = items.map((item) => item.events.map(prepare));
    const oneStatement = !this.options.beforeCommit && exactVersions(items);
    const events = options.returnEvents !== false;
    for (let attempt = 0; ; attempt++) {
      try {
        const results = oneStatement
          ? await this.appendManyChecked(items, prepared, this.sql, events)
          : await this.sql.transaction(async (tx) => {
              const results = await this.appendManyIn(tx, items, prepared, events);
              if (this.options.beforeCommit) await this.options.beforeCommit(tx);
              return results;
            });
        if (results.some((r) => r.ok)) this.notifier.appended();
        return results;
      } catch (error) {
        // A concurrent appender got in between our version check and our insert: check again.
        if (attempt >= 5 || !isRetryableAppend(error)) throw error;
      }
    }
  }

  /** Reads and appends in a transaction of the caller's, on this store's database (see StoreTransaction). */
  joinTransaction(tx: SqlExecutor): StoreTransaction {
    let appended = false;
    // Each stream's version as read (or appended) in this transaction: see appendManyJoined.
    const known = new Map<string, number>();
    return {
      readStreams: async (streamIds) => {
        const out = await readStreamsOn(tx, this.mapping, streamIds);
        for (const [id, events] of out) known.set(id, events.at(-1)?.streamVersion ?? 0);
        return out;
      },
      readStreamsToDecide: async (streamIds) => {
        const out = await readStreamsToDecide(tx, this.mapping, streamIds);
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
        const results = await this.appendManyJoined(tx, items, options, known);
        for (const r of results) if (r.ok) known.set(r.streamId, r.result.nextExpectedVersion);
        if (results.some((r) => r.ok)) appended = true;
        return results;
      },
      committed: () => {
        if (appended) this.notifier.appended();
        appended = false;
      },
    };
  }

  /**
   * appendMany inside the caller's transaction. A race lost to a concurrent appender (unique index)
   * or a deadlock would abort the caller's whole transaction: the attempt runs under a savepoint,
   * rolled back to and retried, which then sees that stream's new version and reports its conflict.
   *
   * When every item expects exactly the version this transaction read (or appended) for its stream,
   * the first attempt inserts without the per-row version subquery: versions only grow, so the
   * stream is at that version or beyond, and the unique (stream_id, stream_version) index alone
   * tells the two apart (version + 1 goes in, or a concurrent appender took it: race, retried
   * checked). A deadline burst's 1,000-stream append saves ~3.5 ms of PostgreSQL per batch.
   */
  private async appendManyJoined(
    tx: SqlExecutor,
    items: AppendManyItem[],
    options: AppendManyOptions,
    known: ReadonlyMap<string, number>,
  ): Promise<AppendManyResult[]> {
    for (const item of items) validateAppend(item.streamId, item.events, item.expectedVersion);
    const events = options.returnEvents !== false;
    if (items.length === 0) return [];
    const prepared = items.map((item) => item.events.map(prepare));
    const oneStatement = exactVersions(items);
    const asRead =
      oneStatement && items.every((item) => known.get(item.streamId) === expectedCode(item.expectedVersion));
    for (let attempt = 0; ; attempt++) {
      await tx.query('SAVEPOINT es_append_many');
      try {
        const results =
          asRead && attempt === 0
            ? await this.appendManyAsRead(items, prepared, tx, events)
            : oneStatement
              ? await this.appendManyChecked(items, prepared, tx, events)
              : await this.appendManyIn(tx, items, prepared, events);
        await tx.query('RELEASE SAVEPOINT es_append_many');
        return results;
      } catch (error) {
        await tx.query('ROLLBACK TO SAVEPOINT es_append_many');
        if (attempt >= 5 || !isRetryableAppend(error)) throw error;
      }
    }
  }

  readAll(options: ReadAllOptions): Promise<ReadAllPage> {
    return readAll(this.ctx, options);
  }

  subscribeToAll(options: SubscribeOptions = {}): AsyncGenerator<RecordedEvent> {
    return subscribeToAll(this.ctx, options);
  }

  /** subscribeToAll a page at a time (see subscribeToAllPages in read/subscription.ts). */
  subscribeToAllPages(options: PagesOptions = {}): AsyncGenerator<RecordedEvent[]> {
    return subscribeToAllPages(this.ctx, options);
  }

  headPosition(): Promise<string | null> {
    return headPosition(this.sql);
  }

  /** Ends this store's subscriptions; the SqlClient belongs to the caller, who closes it. */
  async close(): Promise<void> {
    this.closing.abort();
  }

  /**
   * appendMany in one transaction: read every stream's version in one query, decide in memory which
   * items meet their expected version (a stream listed twice is checked against its earlier item),
   * then insert all accepted events in one statement. Conflicts are decided before any write, so no
   * savepoint is needed; a writer racing in between makes the insert fail on the unique index, and
   * the caller retries the whole call, which then sees that stream's new version.
   */
  private async appendManyIn(
    tx: SqlExecutor,
    items: AppendManyItem[],
    prepared: PreparedEvent[][],
    events = true,
  ): Promise<AppendManyResult[]> {
    const ids = [...new Set(items.map((i) => i.streamId))];
    const r = await tx.query<{ stream_id: string; version: string }>(STREAM_VERSIONS, [ids]);
    const version = new Map(r.rows.map((row) => [row.stream_id, Number(row.version)]));
    const base = new Array<number | undefined>(items.length);
    const results = new Array<AppendManyResult>(items.length);
    items.forEach((item, i) => {
      const current = version.get(item.streamId) ?? 0;
      if (satisfiesExpectedVersion(item.expectedVersion, current)) {
        base[i] = current;
        version.set(item.streamId, current + item.events.length);
      } else {
        const error = new WrongExpectedVersionError(item.streamId, item.expectedVersion, current);
        results[i] = { streamId: item.streamId, ok: false, error };
      }
    });
    const accepted = items.flatMap((_, i) => (base[i] === undefined ? [] : [i]));
    if (!accepted.length) return results;
    const rows = await this.insertEvents(tx, accepted, items, prepared, base as number[], false);
    const inserted = this.resultsOf(accepted, items, prepared, base as number[], rows, events);
    for (const i of accepted) results[i] = inserted[i] as AppendManyResult;
    return results;
  }

  /**
   * Exact expected versions on distinct streams (the import's case: versions it has just read): the
   * check rides in the insert, one auto-committed statement instead of BEGIN, a version query, the
   * insert and COMMIT. Only the streams that missed their version are read again, for the error.
   */
  private async appendManyChecked(
    items: AppendManyItem[],
    prepared: PreparedEvent[][],
    on: SqlExecutor = this.sql,
    events = true,
  ): Promise<AppendManyResult[]> {
    const all = items.map((_, i) => i);
    const base = items.map((item) => expectedCode(item.expectedVersion));
    const rows = await this.insertEvents(on, all, items, prepared, base, true);
    const results = this.resultsOf(all, items, prepared, base, rows, events);
    const missed = all.filter((i) => results[i] === undefined);
    if (missed.length === 0) return results;
    const ids = missed.map((i) => (items[i] as AppendManyItem).streamId);
    const r = await on.query<{ stream_id: string; version: string }>(STREAM_VERSIONS, [ids]);
    const version = new Map(r.rows.map((row) => [row.stream_id, Number(row.version)]));
    for (const i of missed) {
      const item = items[i] as AppendManyItem;
      const current = version.get(item.streamId) ?? 0;
      const error = new WrongExpectedVersionError(item.streamId, item.expectedVersion, current);
      results[i] = { streamId: item.streamId, ok: false, error };
    }
    return results;
  }

  /**
   * Exact expected versions on distinct streams, each the version the caller's transaction read:
   * no version check but the unique index (see appendManyJoined). Every row goes in, or the
   * statement fails on that index.
   */
  private async appendManyAsRead(
    items: AppendManyItem[],
    prepared: PreparedEvent[][],
    on: SqlExecutor,
    events: boolean,
  ): Promise<AppendManyResult[]> {
    const all = items.map((_, i) => i);
    const base = items.map((item) => expectedCode(item.expectedVersion));
    const rows = await this.insertEvents(on, all, items, prepared, base, false);
    const results = this.resultsOf(all, items, prepared, base, rows, events);
    if (all.some((i) => results[i] === undefined)) throw new Error('appendMany : ligne insérée non rendue');
    return results;
  }

  /** Results of the accepted items whose rows came back; the others stay unset. */
  private resultsOf(
    accepted: number[],
    items: AppendManyItem[],
    prepared: PreparedEvent[][],
    base: number[],
    rows: AppendedRow[],
    events = true,
  ): AppendManyResult[] {
    const results = new Array<AppendManyResult>(items.length);
    const byStreamVersion = new Map(rows.map((row) => [`${row.stream_version} ${row.stream_id}`, row]));
    for (const i of accepted) {
      const item = items[i] as AppendManyItem;
      const from = base[i] as number;
      if (!byStreamVersion.has(`${from + 1} ${item.streamId}`)) continue;
      if (!events) {
        const to = from + item.events.length;
        const last = byStreamVersion.get(`${to} ${item.streamId}`) as AppendedRow;
        const lastPosition = encodePosition(last.tx, last.global_position);
        results[i] = {
          streamId: item.streamId,
          ok: true,
          result: { streamId: item.streamId, nextExpectedVersion: to, lastPosition, events: [] },
        };
        continue;
      }
      const streamRows = item.events.map(
        (_, k) => byStreamVersion.get(`${from + k + 1} ${item.streamId}`) as AppendedRow,
      );
      results[i] = {
        streamId: item.streamId,
        ok: true,
        result: this.mapping.appendResult(item.streamId, prepared[i] as PreparedEvent[], streamRows),
      };
    }
    return results;
  }

  /** All accepted streams' events in one multi-row INSERT … SELECT FROM unnest(…). */
  private async insertEvents(
    tx: SqlExecutor,
    accepted: number[],
    items: AppendManyItem[],
    prepared: PreparedEvent[][],
    base: number[],
    checked: boolean,
  ): Promise<AppendedRow[]> {
    const columns = new InsertColumns(checked);
    for (const i of accepted)
      columns.add((items[i] as AppendManyItem).streamId, base[i] as number, prepared[i] as PreparedEvent[]);
    const r = await tx.query<AppendedRow>(checked ? INSERT_EVENTS_CHECKED : INSERT_EVENTS, columns.params());
    return r.rows;
  }
}
