import type { SqlClient, SqlExecutor } from '../sql-client';
import type { CompanionStatements } from './append/append-statement';
import type { AppendGroups } from './postgres.append-groups';
import type { PostgresNotifier } from './postgres.notifier';
import type { AppendedRow, PreparedEvent, RowMapping } from './row-mapping';

/**
 * One PostgresEventStore's state, built once by its constructor and handed to the functions that
 * do its work (appends, reads, subscriptions): what used to be the class's private fields.
 */
export interface StoreContext {
  readonly sql: SqlClient;
  /** Rows into events: the store's upcasters and its recorded-at cache. */
  readonly mapping: RowMapping;
  /** Wakes subscribers after a commit that appended (see PostgresNotifier). */
  readonly notifier: PostgresNotifier;
  /** The test hook PostgresEventStoreOptions.beforeCommit. */
  readonly beforeCommit: ((tx: SqlExecutor) => Promise<void>) | undefined;
  /** Group commit of exact-version single-stream appends (see postgres.append-groups.ts). */
  readonly groups: AppendGroups<PreparedEvent, AppendedRow>;
  /** The statements of appends with a companion, built once per name. */
  readonly companions: CompanionStatements;
  /** The NOTIFY channel subscriptions listen on. */
  readonly channel: string;
  /** Aborted by close(): ends every subscription of this store. */
  readonly closing: AbortSignal;
  /** PostgresEventStoreOptions.onSubscriptionError. */
  readonly onSubscriptionError: ((error: unknown) => void) | undefined;
  /** Events carry their digest, chained by the es_events_chain trigger (false: bench only). */
  readonly chain: boolean;
  /** readAllWithMetadataKeys' statement per set of keys. */
  readonly metadataReads: Record<string, string>;
}
