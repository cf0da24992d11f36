import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  type AllStreamResolvedEvent,
  type ReadRevision,
} from '@eventstore/db-client';
import { v7 as uuidv7 } from 'uuid';
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
import { validateAppend } from '../expected-version';
import { NO_UPCASTERS, type Upcasters } from '../upcasters';
import { backoffDelay, settleBounded, sleep, type BackoffOptions } from '@segur/kernel';
import { isTransientError } from './eventstoredb.errors';
import { isSystemEventType, matchesFilter, toServerFilter } from './eventstoredb.filter';
import {
  revisionFromVersion,
  toEventData,
  toExpectedRevision,
  toRecordedEvent,
  toWrongExpectedVersionError,
  versionFromRevision,
} from './eventstoredb.mapping';
import { decodePosition, encodePosition } from './eventstoredb.position';

export interface EventStoreDbEventStoreOptions {
  /** Applied to every event returned, on every read path. */
  upcasters?: Upcasters;
  /** Streams appended at once by `appendMany`. */
  appendConcurrency?: number;
  /** Streams read at once by `readStreams`. */
  readConcurrency?: number;
  /** Resubscription schedule of `subscribeToAll` after a dropped connection. */
  backoff?: Partial<BackoffOptions>;
  clock?: () => Date;
  random?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** Thrown by `appendMany` when a stream fails for a reason other than a version conflict. */
export class AppendManyFailedError extends Error {
  constructor(
    /** Per item, in input order: what happened, or undefined for the items that failed. */
    readonly results: (AppendManyResult | undefined)[],
    override readonly cause: unknown,
  ) {
    super(`appendMany : échec hors conflit de version (${String(cause)}) ; les autres flux restent écrits`);
    this.name = 'AppendManyFailedError';
  }
}

const HEAD_SCAN_PAGE = 32;

/** Resubscription after a dropped connection: 100 ms doubling to 30 s, up to a fifth off at random. */
export const RESUBSCRIBE_BACKOFF: BackoffOptions = { baseMs: 100, maxMs: 30_000, jitter: 0.2 };

export class EventStoreDbEventStore implements EventStore {
  readonly name = 'eventstoredb';
  private readonly client: EventStoreDBClient;
  private readonly ownsClient: boolean;
  private readonly closing = new AbortController();
  private readonly upcasters: Upcasters;
  private readonly appendConcurrency: number;
  private readonly readConcurrency: number;
  private readonly backoff: BackoffOptions;
  private readonly clock: () => Date;
  private readonly random: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;

  /** `connection`: an `esdb://` / `esdb+discover://` connection string, or a client the caller owns. */
  constructor(connection: string | EventStoreDBClient, options: EventStoreDbEventStoreOptions = {}) {
    this.ownsClient = typeof connection === 'string';
    this.client =
      typeof connection === 'string' ? EventStoreDBClient.connectionString(connection) : connection;
    this.upcasters = options.upcasters ?? NO_UPCASTERS;
    this.appendConcurrency = options.appendConcurrency ?? 8;
    this.readConcurrency = options.readConcurrency ?? 16;
    this.backoff = { ...RESUBSCRIBE_BACKOFF, ...options.backoff };
    this.clock = options.clock ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? sleep;
  }

  async readStream(streamId: string, options: { fromVersion?: number } = {}): Promise<RecordedEvent[]> {
    const { fromVersion } = options;
    const fromRevision: ReadRevision =
      fromVersion === undefined || fromVersion <= 1 ? START : revisionFromVersion(fromVersion);
    const events = await this.collectStream(streamId, { fromRevision, direction: FORWARDS });
    return events.map((event) => this.upcasters.upcast(event));
  }

  /** EventStoreDB reads one stream per call: a bounded number in flight over the one gRPC channel. */
  async readStreams(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    const ids = [...new Set(streamIds)];
    const settled = await settleBounded(ids, this.readConcurrency, (id) => this.readStream(id));
    const out = new Map<string, RecordedEvent[]>();
    settled.forEach((r, i) => {
      if (r.status === 'rejected') throw r.reason;
      out.set(ids[i] as string, r.value);
    });
    return out;
  }

  async streamVersion(streamId: string): Promise<number> {
    const [last] = await this.collectStream(streamId, {
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
    const { expectedVersion } = options;
    validateAppend(streamId, events, expectedVersion);
    const expectedRevision = toExpectedRevision(expectedVersion);

    const recordedAt = this.clock().toISOString();
    const data = events.map((event) => toEventData(event, event.id ?? uuidv7(), recordedAt));
    let result;
    try {
      result = await this.client.appendToStream(streamId, data, { expectedRevision });
    } catch (error) {
      throw toWrongExpectedVersionError(error, streamId, expectedVersion) ?? error;
    }
    // With `throwOnAppendFailure=false` in the connection string the client reports instead of throwing.
    if (!result.success) {
      throw new WrongExpectedVersionError(
        streamId,
        expectedVersion,
        versionFromRevision(result.nextExpectedRevision),
      );
    }
    const nextExpectedVersion = versionFromRevision(result.nextExpectedRevision);
    // The append answer holds one position for the whole write, not one per event: read the events
    // back (from the leader, which has them) to give every one its exact `$all` position.
    const recorded = await this.collectStream(streamId, {
      fromRevision: revisionFromVersion(nextExpectedVersion - events.length + 1),
      direction: FORWARDS,
      maxCount: events.length,
      requiresLeader: true,
    });
    const last = recorded.at(-1);
    if (recorded.length !== events.length || !last) {
      throw new Error(
        `Relecture de ${streamId} après écriture : ${recorded.length}/${events.length} événements`,
      );
    }
    return {
      streamId,
      nextExpectedVersion,
      lastPosition: last.position,
      events: recorded.map((event) => this.upcasters.upcast(event)),
    };
  }

  /**
   * ESDB has no transaction spanning streams: each stream is appended on its own, all or nothing,
   * and a conflict or failure on one leaves the others written. Items naming the same stream run in
   * input order, one after the other, so they see each other's writes as a single caller would.
   */
  async appendMany(items: AppendManyItem[]): Promise<AppendManyResult[]> {
    // A malformed item fails the call before anything is written, as with every other adapter.
    for (const item of items) validateAppend(item.streamId, item.events, item.expectedVersion);
    const byStream = new Map<string, number[]>();
    items.forEach((item, index) =>
      byStream.set(item.streamId, [...(byStream.get(item.streamId) ?? []), index]),
    );

    const results = new Array<AppendManyResult | undefined>(items.length);
    let failure: { cause: unknown } | undefined;
    await settleBounded([...byStream.values()], this.appendConcurrency, async (indexes) => {
      for (const index of indexes) {
        const item = items[index] as AppendManyItem;
        try {
          const result = await this.appendToStream(item.streamId, item.events, {
            expectedVersion: item.expectedVersion,
          });
          results[index] = { streamId: item.streamId, ok: true, result };
        } catch (error) {
          if (!(error instanceof WrongExpectedVersionError)) {
            failure ??= { cause: error };
            return;
          }
          results[index] = { streamId: item.streamId, ok: false, error };
        }
      }
    });
    if (failure) throw new AppendManyFailedError(results, failure.cause);
    return results as AppendManyResult[];
  }

  /**
   * Client 6.2.1 cannot filter a `$all` read on the server (only subscriptions take a filter; reads
   * gained one in the KurrentDB client), so pages are scanned in chunks and filtered here.
   */
  async readAll(options: ReadAllOptions): Promise<ReadAllPage> {
    const { limit, filter } = options;
    const after = options.after ?? null;
    const events: RecordedEvent[] = [];
    if (limit <= 0) return { events, cursor: after };

    const chunk = Math.min(Math.max(limit * 2, 64), 4096);
    // ESDB reads from a position inclusively, our cursor is exclusive: `floor` is the last position
    // already dealt with, skipped when a chunk hands it back.
    let floor = after;
    for (;;) {
      let scanned = 0;
      let lastScanned = floor;
      const read = this.client.readAll({
        fromPosition: floor === null ? START : decodePosition(floor),
        direction: FORWARDS,
        maxCount: chunk,
      });
      try {
        for await (const resolved of read as AsyncIterable<AllStreamResolvedEvent>) {
          scanned++;
          const event = resolved.event;
          if (!event) continue;
          const position = encodePosition(event.position);
          if (floor !== null && position <= floor) continue;
          lastScanned = position;
          if (!matchesFilter(event, filter)) continue;
          events.push(this.upcasters.upcast(toRecordedEvent(event)));
          if (events.length === limit) break;
        }
      } finally {
        if (events.length === limit) await read.cancel();
      }
      if (events.length === limit || scanned < chunk || lastScanned === floor) break;
      floor = lastScanned;
    }
    return { events, cursor: events.at(-1)?.position ?? after };
  }

  /**
   * Catch-up subscription to `$all`, filtered on the server. A dropped call is resumed from the
   * last delivered position after a capped exponential backoff; events at or before it are skipped,
   * so a resubscription never delivers twice. `batchSize` and `pollIntervalMs` do not apply: ESDB
   * pushes events as they commit.
   */
  async *subscribeToAll(options: SubscribeOptions = {}): AsyncGenerator<RecordedEvent> {
    const signal = options.signal
      ? AbortSignal.any([options.signal, this.closing.signal])
      : this.closing.signal;
    const filter = toServerFilter(options.filter);
    let last = options.from ?? null;
    if (last !== null) decodePosition(last); // a foreign cursor fails now, not at the first drop
    let attempt = 0;

    while (!signal.aborted) {
      const subscription = this.client.subscribeToAll({
        fromPosition: last === null ? START : decodePosition(last),
        filter,
      });
      const stop = () => {
        subscription.destroy();
      };
      signal.addEventListener('abort', stop, { once: true });
      // Reset only once the subscription proved useful: a node that accepts then drops at once
      // must still see the delay grow.
      subscription.once('caughtUp', () => {
        attempt = 0;
      });
      try {
        for await (const resolved of subscription as AsyncIterable<AllStreamResolvedEvent>) {
          attempt = 0;
          const event = resolved.event;
          if (!event || !matchesFilter(event, options.filter)) continue;
          const position = encodePosition(event.position);
          if (last !== null && position <= last) continue;
          const recorded = this.upcasters.upcast(toRecordedEvent(event));
          last = position;
          yield recorded;
        }
        // Ending without an error means the server closed the call (a node leaving): resume too.
      } catch (error) {
        if (signal.aborted) break;
        if (!isTransientError(error)) throw error;
      } finally {
        signal.removeEventListener('abort', stop);
        subscription.destroy();
        // Not awaited: while the client is still discovering a node, cancelling waits for that
        // discovery, and an abort must not.
        void subscription.unsubscribe().catch(() => undefined);
      }
      if (signal.aborted) break;
      await this.sleep(backoffDelay(++attempt, this.backoff, this.random), signal);
    }
  }

  /** The last non-system event: subscribers never see system events, so they could never reach one. */
  async headPosition(): Promise<string | null> {
    // Backwards reads include their start position: `ceiling` is skipped when a page repeats it.
    let ceiling: string | null = null;
    for (;;) {
      let scanned = 0;
      let oldest: string | null = null;
      const read = this.client.readAll({
        fromPosition: ceiling === null ? END : decodePosition(ceiling),
        direction: BACKWARDS,
        maxCount: HEAD_SCAN_PAGE,
      });
      for await (const resolved of read as AsyncIterable<AllStreamResolvedEvent>) {
        scanned++;
        const event = resolved.event;
        if (!event) continue;
        const position = encodePosition(event.position);
        if (ceiling !== null && position >= ceiling) continue;
        if (!isSystemEventType(event.type)) {
          await read.cancel();
          return position;
        }
        oldest = position;
      }
      if (scanned < HEAD_SCAN_PAGE || oldest === null) return null;
      ceiling = oldest;
    }
  }

  async close(): Promise<void> {
    this.closing.abort();
    if (this.ownsClient) await this.client.dispose();
  }

  private async collectStream(
    streamId: string,
    options: Parameters<EventStoreDBClient['readStream']>[1],
  ): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, options)) {
        if (resolved.event) events.push(toRecordedEvent(resolved.event));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }
}
