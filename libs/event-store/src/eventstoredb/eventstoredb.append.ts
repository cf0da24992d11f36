import { FORWARDS, START, type EventData, type Position } from '@eventstore/db-client';
import { settleBounded } from '@segur/kernel';
import { v7 as uuidv7 } from 'uuid';
import {
  WrongExpectedVersionError,
  type AppendManyItem,
  type AppendManyResult,
  type AppendResult,
  type ExpectedVersion,
  type NewEvent,
  type RecordedEvent,
} from '../event-store.port';
import { validateAppend } from '../expected-version';
import {
  CHAIN_RACE_ROUNDS,
  ChainHeadContendedError,
  chainedData,
  headMeets,
  readChainHead,
} from './eventstoredb.chain-head';
import { AUDIT_CHECKPOINT_STREAM } from './eventstoredb.checkpoint-stream';
import type { EsdbContext } from './eventstoredb.context';
import { isResendableAppendError, isTransientError } from './eventstoredb.errors';
import {
  revisionFromVersion,
  toEventData,
  toExpectedRevision,
  toWrongExpectedVersionError,
  versionFromRevision,
} from './eventstoredb.mapping';
import { encodePosition } from './eventstoredb.position';

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

type IdentifiedEvent = NewEvent & { id: string };

const withIds = (events: readonly NewEvent[]): IdentifiedEvent[] =>
  events.map((event) => ({ ...event, id: event.id ?? uuidv7() }));

/** What one send (with its re-sends) came to. */
type Sent =
  | { kind: 'appended'; nextExpectedVersion: number; position: Position | undefined }
  | { kind: 'found'; recorded: RecordedEvent[] }
  | { kind: 'conflict'; error: WrongExpectedVersionError };

/** The append paths of the EventStoreDB store: single appends and `appendMany`. */
export class EsdbAppender {
  constructor(private readonly ctx: EsdbContext) {}

  async appendToStream(
    streamId: string,
    events: NewEvent[],
    expectedVersion: ExpectedVersion,
  ): Promise<AppendResult> {
    validateAppend(streamId, events, expectedVersion);
    refuseReservedStream(streamId);
    return this.append(streamId, withIds(events), expectedVersion);
  }

  /**
   * ESDB has no transaction spanning streams: each stream is appended on its own, all or nothing,
   * and a conflict or failure on one leaves the others written. Items naming the same stream run in
   * input order, one after the other, so they see each other's writes as a single caller would.
   */
  async appendMany(items: AppendManyItem[]): Promise<AppendManyResult[]> {
    // A malformed item fails the call before anything is written, as with every other adapter.
    for (const item of items) {
      validateAppend(item.streamId, item.events, item.expectedVersion);
      refuseReservedStream(item.streamId);
    }
    const byStream = new Map<string, number[]>();
    items.forEach((item, index) =>
      byStream.set(item.streamId, [...(byStream.get(item.streamId) ?? []), index]),
    );

    const results = new Array<AppendManyResult | undefined>(items.length);
    let failure: { cause: unknown } | undefined;
    await settleBounded([...byStream.values()], this.ctx.appendConcurrency, async (indexes) => {
      for (const index of indexes) {
        const item = items[index] as AppendManyItem;
        try {
          // Ids fixed once: a try re-sent after a transient failure carries the same ones.
          const result = await this.append(item.streamId, withIds(item.events), item.expectedVersion);
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
   * With the chain on: a round reads the head from the leader, computes the links once, and sends
   * them at the head's exact revision (re-sent unchanged after a transient failure). A refusal at
   * that revision is the caller's conflict when the caller named a version; for 'any' and
   * 'stream_exists' it is another writer that moved the head first: a new round, at most
   * CHAIN_RACE_ROUNDS. With the chain off: one send at the caller's expected revision, as before.
   */
  private async append(
    streamId: string,
    events: readonly IdentifiedEvent[],
    expectedVersion: ExpectedVersion,
  ): Promise<AppendResult> {
    const recordedAt = this.ctx.clock().toISOString();
    const data = events.map((event) => toEventData(event, event.id, recordedAt));
    if (!this.ctx.auditChain) {
      const sent = await this.send(
        streamId,
        events,
        data,
        toExpectedRevision(expectedVersion),
        expectedVersion,
      );
      if (sent.kind === 'conflict') throw sent.error;
      return this.settle(streamId, events, recordedAt, sent);
    }
    const callerNamedVersion = typeof expectedVersion === 'number' || expectedVersion === 'no_stream';
    for (let round = 1; ; round++) {
      const head = await readChainHead(this.ctx, streamId);
      if (!headMeets(head, expectedVersion))
        throw new WrongExpectedVersionError(streamId, expectedVersion, head.version);
      const chained = chainedData(streamId, head, events, data);
      const sent = await this.send(streamId, events, chained, head.revision, expectedVersion);
      if (sent.kind !== 'conflict') return this.settle(streamId, events, recordedAt, sent);
      if (callerNamedVersion) throw sent.error;
      if (round >= CHAIN_RACE_ROUNDS) throw new ChainHeadContendedError(streamId, round);
    }
  }

  /**
   * Sends the append, re-sending the same data (same ids, same links) after NotLeader / Unavailable
   * / DeadlineExceeded: a follower may have forwarded the first try to the old leader, which
   * committed it before the answer was lost; the server recognises the ids and answers success
   * instead of writing twice. A conflict after such a re-send is checked against the stream: our
   * own events there mean the write went through.
   */
  private async send(
    streamId: string,
    events: readonly IdentifiedEvent[],
    data: readonly EventData[],
    expectedRevision: ReturnType<typeof toExpectedRevision>,
    expectedVersion: ExpectedVersion,
  ): Promise<Sent> {
    let mayBeWritten = false;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.ctx.client.appendToStream(streamId, [...data], { expectedRevision });
        // With `throwOnAppendFailure=false` in the connection string the client reports instead of throwing.
        if (!result.success) {
          throw new WrongExpectedVersionError(
            streamId,
            expectedVersion,
            versionFromRevision(result.nextExpectedRevision),
          );
        }
        return {
          kind: 'appended',
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
          return written ? { kind: 'found', recorded: written } : { kind: 'conflict', error: conflict };
        }
        if (!isResendableAppendError(error) || attempt >= this.ctx.appendAttempts) throw error;
        mayBeWritten = true;
        await this.ctx.pause(attempt);
      }
    }
  }

  /** The result of a write: read back for exact positions, or the append's answer standing in. */
  private async settle(
    streamId: string,
    events: readonly IdentifiedEvent[],
    recordedAt: string,
    sent: Exclude<Sent, { kind: 'conflict' }>,
  ): Promise<AppendResult> {
    if (sent.kind === 'found') return this.resultOf(streamId, sent.recorded);
    const { nextExpectedVersion, position } = sent;
    const recorded = await this.readBack(streamId, nextExpectedVersion, events.length).catch(
      (error: unknown) => {
        // Written all the same: stand in with the append's own position (one position for the
        // whole write, given to every event), or say precisely that it is written.
        if (!position) throw new AppendedButNotReadBackError(streamId, nextExpectedVersion, error);
        const encoded = encodePosition(position);
        return events.map((event, i): RecordedEvent => ({
          id: event.id,
          type: event.type,
          schemaVersion: event.schemaVersion ?? 1,
          streamId,
          streamVersion: nextExpectedVersion - events.length + 1 + i,
          position: encoded,
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
   * Retried on its own after a transient failure or a short answer: a failed read-back never makes
   * a written append look failed.
   */
  private async readBack(
    streamId: string,
    nextExpectedVersion: number,
    count: number,
  ): Promise<RecordedEvent[]> {
    for (let attempt = 1; ; attempt++) {
      let failure: unknown;
      try {
        const recorded = await this.ctx.collectStream(streamId, {
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
      if (attempt >= this.ctx.appendAttempts) throw failure;
      await this.ctx.pause(attempt);
    }
  }

  /**
   * Our events, in order and contiguous, if the stream holds them (an earlier try was committed).
   * From the leader: a lagging follower would hide a committed write, and the next chained round
   * would then send the same ids again with other links.
   */
  private async findWritten(
    streamId: string,
    events: readonly { id: string }[],
  ): Promise<RecordedEvent[] | null> {
    const stream = await this.ctx.collectStream(streamId, {
      fromRevision: START,
      direction: FORWARDS,
      requiresLeader: true,
    });
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
      events: recorded.map((event) => this.ctx.upcasters.upcast(event)),
    };
  }
}

/** The checkpoints' stream is written by the audit log alone (a forged checkpoint would not verify, but would clutter it). */
const refuseReservedStream = (streamId: string): void => {
  if (streamId === AUDIT_CHECKPOINT_STREAM)
    throw new Error(`Le flux ${streamId} est réservé aux points de contrôle de la piste d’audit`);
};
