import { ForeignCursorError, cursorOrigin } from '../foreign-cursor.error';
import {
  WrongExpectedVersionError,
  type AppendManyItem,
  type AppendManyResult,
  type AppendResult,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type ReadAllOptions,
  type ReadAllPage,
  type RecordedEvent,
  type SubscribeOptions,
} from '../event-store.port';
import {
  assertExpectedVersion,
  eventIdOf,
  matchesFilter,
  schemaVersionOf,
  validateAppend,
} from '../expected-version';
import { WakeUp } from '../subscription/wake-up';
import type { AuditLog, AuditableStore } from '../audit/audit-log.port';
import { GENESIS_HASH, chainHash } from '../audit/chain-hash';
import { MemoryAuditLog, type ChainedRecord } from './memory-audit-log';
import { NO_UPCASTERS, type Upcasters } from '../upcasters';

export interface InMemoryEventStoreOptions {
  upcasters?: Upcasters;
  clock?: () => Date;
}

// Same width as the other adapters' parts: plain string order is numeric order.
const encodePosition = (index: number): string => String(index).padStart(20, '0');
const decodePosition = (position: string | null | undefined): number => {
  if (position === null || position === undefined) return 0;
  if (!/^\d{20}$/.test(position)) {
    const origin = cursorOrigin(position);
    if (origin === 'postgres' || origin === 'eventstoredb')
      throw new ForeignCursorError(position, 'memory', origin);
    throw new RangeError(`Curseur mémoire invalide : "${position}"`);
  }
  return Number(position);
};

/** For unit tests: the port's semantics without I/O. Positions count from 1. */
export class InMemoryEventStore implements EventStore, AuditableStore {
  readonly name = 'memory';
  // Each event with its hash chain links, as the SQL store keeps them in its rows.
  private readonly chained: ChainedRecord[] = [];
  private readonly chains = new Map<string, ChainedRecord[]>();
  private readonly audit = new MemoryAuditLog(this.chained, this.chains);
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly listeners = new Set<WakeUp>();
  private readonly upcasters: Upcasters;
  private readonly clock: () => Date;
  private readonly closing = new AbortController();

  constructor(options: InMemoryEventStoreOptions = {}) {
    this.upcasters = options.upcasters ?? NO_UPCASTERS;
    this.clock = options.clock ?? (() => new Date());
  }

  async readStream(streamId: string, options: { fromVersion?: number } = {}): Promise<RecordedEvent[]> {
    const from = Math.max(options.fromVersion ?? 1, 1);
    return (this.streams.get(streamId) ?? []).slice(from - 1).map((e) => this.upcasters.upcast(e));
  }

  async readStreams(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    const out = new Map<string, RecordedEvent[]>();
    for (const id of streamIds)
      out.set(
        id,
        (this.streams.get(id) ?? []).map((e) => this.upcasters.upcast(e)),
      );
    return out;
  }

  async streamVersion(streamId: string): Promise<number> {
    return this.streams.get(streamId)?.length ?? 0;
  }

  async appendToStream(
    streamId: string,
    events: NewEvent[],
    options: { expectedVersion: ExpectedVersion },
  ): Promise<AppendResult> {
    validateAppend(streamId, events, options.expectedVersion);
    // Checked and written in one synchronous step: concurrent callers are serialised by the event loop.
    const result = this.write(streamId, events, options.expectedVersion);
    this.wakeSubscribers();
    return result;
  }

  async appendMany(items: AppendManyItem[]): Promise<AppendManyResult[]> {
    for (const item of items) validateAppend(item.streamId, item.events, item.expectedVersion);
    const results = items.map((item): AppendManyResult => {
      try {
        return {
          streamId: item.streamId,
          ok: true,
          result: this.write(item.streamId, item.events, item.expectedVersion),
        };
      } catch (error) {
        if (error instanceof WrongExpectedVersionError) return { streamId: item.streamId, ok: false, error };
        throw error;
      }
    });
    this.wakeSubscribers();
    return results;
  }

  async readAll(options: ReadAllOptions): Promise<ReadAllPage> {
    const after = options.after ?? null;
    const events: RecordedEvent[] = [];
    for (let i = decodePosition(after); i < this.log.length && events.length < options.limit; i++) {
      const event = this.log[i] as RecordedEvent;
      if (matchesFilter(event, options.filter)) events.push(this.upcasters.upcast(event));
    }
    return { events, cursor: events.at(-1)?.position ?? after };
  }

  async *subscribeToAll(options: SubscribeOptions = {}): AsyncGenerator<RecordedEvent> {
    const signal = options.signal
      ? AbortSignal.any([options.signal, this.closing.signal])
      : this.closing.signal;
    const batchSize = options.batchSize ?? 500;
    const wake = new WakeUp();
    this.listeners.add(wake);
    try {
      let cursor = options.from ?? null;
      while (!signal.aborted) {
        const page = await this.readAll({ after: cursor, limit: batchSize, filter: options.filter });
        for (const event of page.events) {
          if (signal.aborted) return;
          yield event;
          cursor = event.position;
        }
        if (page.events.length < batchSize) await wake.wait(options.pollIntervalMs ?? 1_000, signal);
      }
    } finally {
      this.listeners.delete(wake);
    }
  }

  async headPosition(): Promise<string | null> {
    return this.log.at(-1)?.position ?? null;
  }

  async close(): Promise<void> {
    this.closing.abort();
  }

  /** The hash chain and signed checkpoints, as the SQL store offers them (docs/audit.md). */
  auditLog(): AuditLog {
    return this.audit;
  }

  private write(streamId: string, events: NewEvent[], expected: ExpectedVersion): AppendResult {
    const stream = this.streams.get(streamId) ?? [];
    assertExpectedVersion(streamId, expected, stream.length);
    const recordedAt = this.clock().toISOString();
    const recorded = events.map((e, i): RecordedEvent => ({
      id: eventIdOf(e),
      type: e.type,
      schemaVersion: schemaVersionOf(e),
      streamId,
      streamVersion: stream.length + i + 1,
      position: encodePosition(this.log.length + i + 1),
      recordedAt,
      // Stored as JSON would be, so tests cannot pass by sharing mutable objects with the caller.
      data: structuredClone(e.data),
      metadata: structuredClone(e.metadata),
    }));
    stream.push(...recorded);
    this.streams.set(streamId, stream);
    const chain = this.chains.get(streamId) ?? [];
    for (const event of recorded) {
      const prevHash = chain.at(-1)?.hash ?? GENESIS_HASH;
      const link = { event, prevHash, hash: chainHash(prevHash, event.streamVersion, event) };
      chain.push(link);
      this.chained.push(link);
    }
    this.chains.set(streamId, chain);
    this.log.push(...recorded);
    const last = recorded.at(-1) as RecordedEvent;
    return {
      streamId,
      nextExpectedVersion: last.streamVersion,
      lastPosition: last.position,
      events: recorded.map((r) => this.upcasters.upcast(r)),
    };
  }

  private wakeSubscribers(): void {
    for (const wake of this.listeners) wake.notify();
  }
}
