import {
  StreamNotFoundError,
  type EventStoreDBClient,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import { backoffDelay, sleep, type BackoffOptions } from '@segur/kernel';
import type { RecordedEvent } from '../event-store.port';
import { NO_UPCASTERS, type Upcasters } from '../upcasters';
import {
  DEFAULT_DEADLINE_MS,
  deadlineOf,
  realTimer,
  withinDeadline,
  type Timer,
} from './eventstoredb.deadline';
import { toRecordedEvent } from './eventstoredb.mapping';

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
   * the read-back that follows it and of the head read that precedes it.
   */
  appendAttempts?: number;
  /** Delays between those tries. */
  retryBackoff?: Partial<BackoffOptions>;
  /**
   * Longest a read (a stream, a page of `$all`, the head) or a subscription's confirmation may take;
   * default: the connection string's `defaultDeadline`, else the client's default.
   */
  deadlineMs?: number;
  /**
   * false: events are appended without the audit hash chain (`$audit` links) and without reading the
   * stream's head first, as before the chain existed. For the cost bench; default true.
   */
  auditChain?: boolean;
  timer?: Timer;
  clock?: () => Date;
  random?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** Resubscription after a dropped connection: 100 ms doubling to 30 s, up to a fifth off at random. */
export const RESUBSCRIBE_BACKOFF: BackoffOptions = { baseMs: 100, maxMs: 30_000, jitter: 0.2 };

/** Re-sent appends and read-backs: a leader election takes a few hundred ms to seconds. */
export const APPEND_RETRY_BACKOFF: BackoffOptions = { baseMs: 100, maxMs: 2_000, jitter: 0.2 };

type ReadStreamOptions = Parameters<EventStoreDBClient['readStream']>[1];

/**
 * What every part of the EventStoreDB adapter shares (append, reads, subscription, audit log): the
 * client, the settings, and the reads bounded by the deadline.
 */
export class EsdbContext {
  readonly closing = new AbortController();
  readonly upcasters: Upcasters;
  readonly appendConcurrency: number;
  readonly readConcurrency: number;
  readonly backoff: BackoffOptions;
  readonly appendAttempts: number;
  readonly retryBackoff: BackoffOptions;
  readonly deadlineMs: number;
  readonly auditChain: boolean;
  readonly timer: Timer;
  readonly clock: () => Date;
  readonly random: () => number;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;

  constructor(
    readonly client: EventStoreDBClient,
    connection: string | null,
    options: EventStoreDbEventStoreOptions,
  ) {
    this.upcasters = options.upcasters ?? NO_UPCASTERS;
    this.appendConcurrency = options.appendConcurrency ?? 8;
    this.readConcurrency = options.readConcurrency ?? 16;
    this.backoff = { ...RESUBSCRIBE_BACKOFF, ...options.backoff };
    this.appendAttempts = options.appendAttempts ?? 5;
    this.retryBackoff = { ...APPEND_RETRY_BACKOFF, ...options.retryBackoff };
    this.deadlineMs =
      options.deadlineMs ?? (connection === null ? DEFAULT_DEADLINE_MS : deadlineOf(connection));
    this.auditChain = options.auditChain !== false;
    this.timer = options.timer ?? realTimer;
    this.clock = options.clock ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? sleep;
  }

  /** The delay before try `attempt + 1` of an append, a read-back or a head read. */
  pause(attempt: number): Promise<void> {
    return this.sleep(backoffDelay(attempt, this.retryBackoff, this.random), this.closing.signal);
  }

  /** A client read bounded by the deadline; the gRPC call is cancelled when it expires. */
  deadlined<T>(read: AsyncIterable<T> & { cancel?: () => Promise<void> }, what: string): AsyncIterable<T> {
    return withinDeadline(read, this.deadlineMs, this.timer, what, () => read.cancel?.());
  }

  /** A stream's events as ESDB stores them (metadata with `$audit`), none for a missing stream. */
  async collectRaw(streamId: string, options: ReadStreamOptions): Promise<EsdbRecordedEvent[]> {
    const events: EsdbRecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, options);
      for await (const resolved of this.deadlined(read, `lecture de ${streamId}`)) {
        if (resolved.event) events.push(resolved.event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  /** A stream's events as readers see them, not upcast yet. */
  async collectStream(streamId: string, options: ReadStreamOptions): Promise<RecordedEvent[]> {
    return (await this.collectRaw(streamId, options)).map(toRecordedEvent);
  }
}
