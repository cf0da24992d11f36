import { setMaxListeners } from 'node:events';
import type {
  AppendCompanion,
  AppendManyItem,
  AppendManyOptions,
  AppendManyResult,
  AppendResult,
  AppendsAlongside,
  JoinsTransactions,
  EventStore,
  ExpectedVersion,
  NewEvent,
  ReadAllOptions,
  ReadAllPage,
  RecordedEvent,
  StoreTransaction,
  SubscribeOptions,
} from '../event-store.port';
import type { SqlClient, SqlExecutor } from '../sql-client';
import { NO_UPCASTERS, type Upcasters } from '../upcasters';
import { appendMany } from './append-many/append-many';
import { append } from './append/append';
import { appendGroup } from './append/append-group';
import { CompanionStatements } from './append/append-statement';
import { joinTransaction } from './joined-transaction';
import { AppendGroups, type AppendGroupsOptions } from './postgres.append-groups';
import { eventsChannel } from './postgres.migrations';
import { PostgresNotifier } from './postgres.notifier';
import { headPosition, readAll } from './read/read-all';
import { readStream, readStreams } from './read/read-streams';
import { streamVersion } from './read/stream-versions';
import { subscribeToAll, subscribeToAllPages, type PagesOptions } from './read/subscription';
import { RowMapping } from './row-mapping';
import { PostgresAuditLog } from './postgres-audit-log';
import type { AuditLog, AuditableStore } from '../audit/audit-log.port';
import { isVersionRace } from './sql-errors';
import type { StoreContext } from './store-context';

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
  /**
   * Bench only (docs/performance.md measures the chain's cost with it): false appends events
   * without their digest, left unchained. Never offered as a setting: a production store always
   * chains (docs/audit.md).
   */
  auditChain?: boolean;
}

/**
 * The event store on PostgreSQL, through a SqlClient: the same SQL runs on `pg` (server mode) and
 * PGlite (embedded mode). Call `migrate(sql)` once before use.
 *
 * Global order is (transaction_id, global_position), read only below the snapshot's xmin (see
 * postgres.migrations.ts): a subscriber never skips an event committed late by a concurrent
 * transaction. The price: any long write transaction in the cluster delays what readers see until
 * it ends (not what writers can do), so keep transactions short.
 */
export class PostgresEventStore implements EventStore, AppendsAlongside, JoinsTransactions, AuditableStore {
  readonly name: string;
  private readonly ctx: StoreContext;
  private readonly closing = new AbortController();

  constructor(sql: SqlClient, options: PostgresEventStoreOptions = {}) {
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
      chain: options.auditChain !== false,
      companions: new CompanionStatements(),
      groups: new AppendGroups((group) => appendGroup(ctx, group), isVersionRace, options.groupCommit),
    };
    this.ctx = ctx;
  }

  readStream(streamId: string, options: { fromVersion?: number } = {}): Promise<RecordedEvent[]> {
    return readStream(this.ctx, streamId, options);
  }

  readStreams(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    return readStreams(this.ctx, streamIds);
  }

  streamVersion(streamId: string): Promise<number> {
    return streamVersion(this.ctx.sql, streamId);
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

  appendMany(items: AppendManyItem[], options: AppendManyOptions = {}): Promise<AppendManyResult[]> {
    return appendMany(this.ctx, items, options);
  }

  /** Reads and appends in a transaction of the caller's, on this store's database (see StoreTransaction). */
  joinTransaction(tx: SqlExecutor): StoreTransaction {
    return joinTransaction(this.ctx, tx);
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
    return headPosition(this.ctx.sql);
  }

  /** The hash chain and the signed checkpoints beside the events (docs/audit.md). */
  auditLog(): AuditLog {
    return new PostgresAuditLog(this.ctx.sql);
  }

  /** Ends this store's subscriptions; the SqlClient belongs to the caller, who closes it. */
  async close(): Promise<void> {
    this.closing.abort();
  }
}
