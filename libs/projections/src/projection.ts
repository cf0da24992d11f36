import type { RecordedEvent, SqlExecutor } from '@segur/event-store';

// A projection is a pure function of (read-model transaction, event). The runner commits its
// writes and its checkpoint in the same transaction, so a crash never loses or doubles an event.
// SQL uses UNQUALIFIED table names: a rebuild runs the same code with a shadow schema first on
// the search_path, then swaps the tables in. What makes a rebuild faster is a capability of its own
// (see rebuild-capability.ts): a read model needs none of it.
export interface Projection {
  /** Stable name: checkpoint key and advisory-lock key. */
  readonly name: string;
  /** DDL creating the projection's tables (idempotent: CREATE TABLE IF NOT EXISTS …). */
  readonly migrations: readonly string[];
  /** Tables the projection owns (swapped as a whole on rebuild). */
  readonly tables: readonly string[];
  /** Event types it reacts to; undefined: all. */
  readonly eventTypes?: readonly string[];
  apply(tx: SqlExecutor, event: RecordedEvent): Promise<void>;
  /**
   * Optional batched form of `apply` (events already filtered by `eventTypes`, in order), which must
   * leave the same rows as applying them one by one: a few set-based statements per batch instead
   * of a round trip or two per event, which is what bounds a rebuild or a busy runner.
   */
  applyBatch?(tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<void>;
  /** Side effects allowed only after the batch committed (e.g. scheduling timers). */
  afterCommit?(events: readonly RecordedEvent[]): Promise<void>;
}
