import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  type AllStreamResolvedEvent,
  type Position,
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
import { isResendableAppendError, isTransientError } from './eventstoredb.errors';
import {
  DEFAULT_DEADLINE_MS,
  deadlineError,
  deadlineOf,
  realTimer,
  withinDeadline,
  type Timer,
} from './eventstoredb.deadline';
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
  /**
   * Tries of one append when the cluster answers NotLeader / Unavailable / DeadlineExceeded (the
   * same events, the same ids: the server recognises a write it already has), and, separately, of
   * the read-back that follows it.
   */
  appendAttempts?: number;
  /** Delays between those tries. */
  retryBackoff?: Partial<BackoffOptions>;
  /**
   * Longest a read (a stream, a page of `$all`, the head) or a subscription's confirmation may take;
   * default: the connection string's `defaultDeadline`, else the client's default.
   */
  deadlineMs?: number;
  timer?: Timer;
  clock?: () => Date;
  random?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * The events are written, but reading them back failed even after retries, and the append's
 * answer carried no position to stand in: the caller must not write them again.
 */
export class AppendedButNotReadBackError extends Error {
  constructor(
    readonly streamId: string,
    readonly nextExpectedVersion: number,
    override readonly cause: unknown,
  ) {
    super(
      `Événements écrits dans ${streamId} (version ${nextExpectedVersion}) mais relecture impossible : ${String(cause)}`,
    );
    this.name = 'AppendedButNotReadBackError';
  }
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

const withIds = (events: readonly NewEvent[]): (NewEvent & { id: string })[] =>
  events.map((event) => ({ ...event, id: event.id ?? uuidv7() }));

/** Resubscription after a dropped connection: 100 ms doubling to 30 s, up to a fifth off at random. */
export const RESUBSCRIBE_BACKOFF: BackoffOptions = { baseMs: 100, maxMs: 30_000, jitter: 0.2 };

/** Re-sent appends and read-backs: a leader election takes a few hundred ms to seconds. */
export const APPEND_RETRY_BACKOFF: BackoffOptions = { baseMs: 100, maxMs: 2_000, jitter: 0.2 };

export class EventStoreDbEventStore implements EventStore {
  readonly name = 'eventstoredb';
  private readonly client: EventStoreDBClient;
  private readonly ownsClient: boolean;
  private readonly closing = new AbortController();
  private readonly upcasters: Upcasters;
  private readonly appendConcurrency: number;
  private readonly readConcurrency: number;
  private readonly backoff: BackoffOptions;
  private readonly appendAttempts: number;
  private readonly retryBackoff: BackoffOptions;
  private readonly deadlineMs: number;
  private readonly timer: Timer;
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
    this.appendAttempts = options.appendAttempts ?? 5;
    this.retryBackoff = { ...APPEND_RETRY_BACKOFF, ...options.retryBackoff };
    this.deadlineMs =
      options.deadlineMs ?? (typeof connection === 'string' ? deadlineOf(connection) : DEFAULT_DEADLINE_MS);
    this.timer = options.timer ?? realTimer;
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
    validateAppend(streamId, events, options.expectedVersion);
    return this.appendWithRetry(streamId, withIds(events), options.expectedVersion);
  }

  /**
   * Sends the append, re-sending the same events (same ids) after NotLeader / Unavailable /
   * DeadlineExceeded: a follower may have forwarded the first try to the old leader, which committed
   * it before the answer was lost; the server recognises the ids and answers success instead of
   * writing twice. A conflict after such a re-send is checked against the stream: our own events
   * there mean the write went through. Then the read-back, retried on its own: a failed read-back
   * never makes a written append look failed.
   */
  private async appendWithRetry(
    streamId: string,
    events: readonly (NewEvent & { id: string })[],
    expectedVersion: ExpectedVersion,
  ): Promise<AppendResult> {
    const expectedRevision = toExpectedRevision(expectedVersion);
    const recordedAt = this.clock().toISOString();
    const data = events.map((event) => toEventData(event, event.id, recordedAt));
    let mayBeWritten = false;
    let answer: { nextExpectedVersion: number; position: Position | undefined } | undefined;
    for (let attempt = 1; answer === undefined; attempt++) {
      try {
        const result = await this.client.appendToStream(streamId, data, { expectedRevision });
        // With `throwOnAppendFailure=false` in the connection string the client reports instead of throwing.
        if (!result.success) {
          throw new WrongExpectedVersionError(
            streamId,
            expectedVersion,
            versionFromRevision(result.nextExpectedRevision),
          );
        }
        answer = {
          nextExpectedVersion: versionFromRevision(result.nextExpectedRevision),
          position: result.position,
        };
      } catch (error) {
        const conflict =
          error instanceof WrongExpectedVersionError
            ? error
            : toWrongExpectedVersionError(error, streamId, expectedVersion);
        if (conflict) {
          const written = mayBeWritten ? await this.findWritten(streamId, events) : null;
          if (written) return this.resultOf(streamId, written);
          throw conflict;
        }
        if (!isResendableAppendError(error) || attempt >= this.appendAttempts) throw error;
        mayBeWritten = true;
        await this.sleep(backoffDelay(attempt, this.retryBackoff, this.random), this.closing.signal);
      }
    }
    const recorded = await this.readBack(streamId, answer.nextExpectedVersion, events.length).catch(
      (error: unknown) => {
        // Written all the same: stand in with the append's own position (one position for the
        // whole write, given to every event), or say precisely that it is written.
        if (!answer.position)
          throw new AppendedButNotReadBackError(streamId, answer.nextExpectedVersion, error);
        const position = encodePosition(answer.position);
        return events.map((event, i): RecordedEvent => ({
          id: event.id,
          type: event.type,
          schemaVersion: event.schemaVersion ?? 1,
          streamId,
          streamVersion: answer.nextExpectedVersion - events.length + 1 + i,
          position,
          recordedAt,
          data: event.data,
          metadata: event.metadata,
        }));
      },
    );
    return this.resultOf(streamId, recorded);
  }

  /**
   * The append answer holds one position for the whole write, not one per event: the events are
   * read back (from the leader, which has them) to give every one its exact `$all` position.
   * Retried on its own after a transient failure or a short answer.
   */
  private async readBack(
    streamId: string,
    nextExpectedVersion: number,
    count: number,
  ): Promise<RecordedEvent[]> {
    for (let attempt = 1; ; attempt++) {
      let failure: unknown;
      try {
        const recorded = await this.collectStream(streamId, {
          fromRevision: revisionFromVersion(nextExpectedVersion - count + 1),
          direction: FORWARDS,
          maxCount: count,
          requiresLeader: true,
        });
        if (recorded.length === count) return recorded;
        failure = new Error(
          `Relecture de ${streamId} après écriture : ${recorded.length}/${count} événements`,
        );
      } catch (error) {
        if (!isTransientError(error)) throw error;
        failure = error;
      }
      if (attempt >= this.appendAttempts) throw failure;
      await this.sleep(backoffDelay(attempt, this.retryBackoff, this.random), this.closing.signal);
    }
  }

  /** Our events, in order and contiguous, if the stream holds them (an earlier try was committed). */
  private async findWritten(
    streamId: string,
    events: readonly { id: string }[],
  ): Promise<RecordedEvent[] | null> {
    const stream = await this.collectStream(streamId, { fromRevision: START, direction: FORWARDS });
    const first = stream.findIndex((e) => e.id === events[0]?.id);
    if (first < 0) return null;
    const found = stream.slice(first, first + events.length);
    return found.length === events.length && found.every((e, i) => e.id === events[i]?.id) ? found : null;
  }

  private resultOf(streamId: string, recorded: RecordedEvent[]): AppendResult {
    const last = recorded.at(-1)!;
    return {
      streamId,
      nextExpectedVersion: last.streamVersion,
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
    // Ids fixed once: a try re-sent after a transient failure carries the same ones.
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
          const result = await this.appendWithRetry(
            item.streamId,
            withIds(item.events),
            item.expectedVersion,
          );
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
        for await (const resolved of this.deadlined(read, 'lecture de $all')) {
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
      // A node that accepts the call but never confirms it (no leader, stuck gossip) would hold the
      // subscription forever: not confirmed in time, it is dropped and resubscribed like any failure.
      const confirmed = this.timer(this.deadlineMs, () =>
        subscription.destroy(deadlineError('souscription à $all non confirmée', this.deadlineMs)),
      );
      subscription.once('confirmation', confirmed);
      try {
        for await (const resolved of subscription as AsyncIterable<AllStreamResolvedEvent>) {
          confirmed();
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
        confirmed();
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
      for await (const resolved of this.deadlined(read, 'lecture de la tête de $all')) {
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

  /** A client read bounded by the deadline; the gRPC call is cancelled when it expires. */
  private deadlined<T>(
    read: AsyncIterable<T> & { cancel?: () => Promise<void> },
    what: string,
  ): AsyncIterable<T> {
    return withinDeadline(read, this.deadlineMs, this.timer, what, () => read.cancel?.());
  }

  private async collectStream(
    streamId: string,
    options: Parameters<EventStoreDBClient['readStream']>[1],
  ): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, options);
      for await (const resolved of this.deadlined(read, `lecture de ${streamId}`)) {
        if (resolved.event) events.push(toRecordedEvent(resolved.event));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }
}
