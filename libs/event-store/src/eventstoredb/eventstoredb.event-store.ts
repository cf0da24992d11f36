import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  type ReadRevision,
} from '@eventstore/db-client';
import { settleBounded } from '@segur/kernel';
import type { AuditLog, AuditableStore } from '../audit/audit-log.port';
import type {
  AppendManyItem,
  AppendManyResult,
  AppendResult,
  EventStore,
  ExpectedVersion,
  NewEvent,
  ReadAllOptions,
  ReadAllPage,
  RecordedEvent,
  SubscribeOptions,
} from '../event-store.port';
import { EsdbAppender } from './eventstoredb.append';
import { EventStoreDbAuditLog } from './eventstoredb.audit-log';
import { EsdbContext, type EventStoreDbEventStoreOptions } from './eventstoredb.context';
import { revisionFromVersion } from './eventstoredb.mapping';
import { headPosition, readAll } from './eventstoredb.read-all';
import { subscribeToAll } from './eventstoredb.subscribe';

// The store itself: each concern lives in its own file (context, append, chain head, $all reads,
// subscription, audit log), this class only wires them to the EventStore port.
export { AppendManyFailedError, AppendedButNotReadBackError } from './eventstoredb.append';
export { CHAIN_RACE_ROUNDS, ChainHeadContendedError } from './eventstoredb.chain-head';
export {
  APPEND_RETRY_BACKOFF,
  RESUBSCRIBE_BACKOFF,
  type EventStoreDbEventStoreOptions,
} from './eventstoredb.context';

export class EventStoreDbEventStore implements EventStore, AuditableStore {
  readonly name = 'eventstoredb';
  private readonly ownsClient: boolean;
  private readonly ctx: EsdbContext;
  private readonly appender: EsdbAppender;

  /** `connection`: an `esdb://` / `esdb+discover://` connection string, or a client the caller owns. */
  constructor(connection: string | EventStoreDBClient, options: EventStoreDbEventStoreOptions = {}) {
    this.ownsClient = typeof connection === 'string';
    const client =
      typeof connection === 'string' ? EventStoreDBClient.connectionString(connection) : connection;
    this.ctx = new EsdbContext(client, typeof connection === 'string' ? connection : null, options);
    this.appender = new EsdbAppender(this.ctx);
  }

  async readStream(streamId: string, options: { fromVersion?: number } = {}): Promise<RecordedEvent[]> {
    const { fromVersion } = options;
    const fromRevision: ReadRevision =
      fromVersion === undefined || fromVersion <= 1 ? START : revisionFromVersion(fromVersion);
    const events = await this.ctx.collectStream(streamId, { fromRevision, direction: FORWARDS });
    return events.map((event) => this.ctx.upcasters.upcast(event));
  }

  /** EventStoreDB reads one stream per call: a bounded number in flight over the one gRPC channel. */
  async readStreams(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    const ids = [...new Set(streamIds)];
    const settled = await settleBounded(ids, this.ctx.readConcurrency, (id) => this.readStream(id));
    const out = new Map<string, RecordedEvent[]>();
    settled.forEach((r, i) => {
      if (r.status === 'rejected') throw r.reason;
      out.set(ids[i] as string, r.value);
    });
    return out;
  }

  async streamVersion(streamId: string): Promise<number> {
    const [last] = await this.ctx.collectStream(streamId, {
      fromRevision: END,
      direction: BACKWARDS,
      maxCount: 1,
    });
    return last?.streamVersion ?? 0;
  }

  async appendToStream(
    streamId: string,
    events: NewEvent[],
    options: { expectedVersion: ExpectedVersion },
  ): Promise<AppendResult> {
    return this.appender.appendToStream(streamId, events, options.expectedVersion);
  }

  async appendMany(items: AppendManyItem[]): Promise<AppendManyResult[]> {
    return this.appender.appendMany(items);
  }

  async readAll(options: ReadAllOptions): Promise<ReadAllPage> {
    return readAll(this.ctx, options);
  }

  subscribeToAll(options: SubscribeOptions = {}): AsyncGenerator<RecordedEvent> {
    return subscribeToAll(this.ctx, options);
  }

  async headPosition(): Promise<string | null> {
    return headPosition(this.ctx);
  }

  /** The audit trail on this store (docs/audit.md): chains in `$audit`, checkpoints in their own stream. */
  auditLog(): AuditLog {
    return new EventStoreDbAuditLog(this.ctx);
  }

  async close(): Promise<void> {
    this.ctx.closing.abort();
    if (this.ownsClient) await this.ctx.client.dispose();
  }
}
