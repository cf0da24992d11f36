import { PassThrough } from 'node:stream';
import {
  ANY,
  BACKWARDS,
  END,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  type AppendExpectedRevision,
  type AppendResult as EsdbAppendResult,
  type EventData,
  type EventStoreDBClient,
  type Position,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import { notLeader } from './eventstoredb.grpc-errors';

// Test support. No ESDB server can run here: a stub of the client calls the adapter makes
// (appendToStream, readStream, readAll, subscribeToAll), holding streams and the `$all` log in
// memory. It honours expected revisions as the server does (a concrete revision, NO_STREAM,
// STREAM_EXISTS, ANY), can make followers lag behind the leader (reads without `requiresLeader`
// then miss the latest events), and fails with the client's real error classes where a cluster
// would. The real server is exercised by eventstoredb.esdb.spec.ts.

export type AppendStep = 'ok' | 'commit-then-lose-answer' | Error;

type StoredEvent = EsdbRecordedEvent & { position: Position };

interface ReadOptions {
  fromRevision?: bigint | string;
  fromPosition?: Position | string;
  direction?: string;
  maxCount?: number | bigint;
  requiresLeader?: boolean;
}

export class FakeCluster {
  readonly streams = new Map<string, StoredEvent[]>();
  /** Every event in commit order: `$all`. */
  readonly log: StoredEvent[] = [];
  readonly appendCalls: {
    streamId: string;
    ids: string[];
    expectedRevision: AppendExpectedRevision;
    data: EventData[];
  }[] = [];
  readonly readCalls: { streamId: string; options: ReadOptions }[] = [];
  readonly subscribeCalls: unknown[] = [];
  appendSteps: AppendStep[] = [];
  /** Faults of forward stream reads (the read-back, the search for a committed write). */
  readSteps: (Error | 'short')[] = [];
  /** Faults of backward stream reads (the head read before a chained append). */
  headSteps: Error[] = [];
  /** The server recognises a re-sent write by its event ids (true of ESDB at the expected revision). */
  dedup = true;
  answerPosition = true;
  /** Events a follower has not replicated yet: reads without `requiresLeader` do not see them. */
  followerLag = 0;
  /** Runs as the server receives an append, before its expected revision is checked: a rival writer. */
  beforeAppend: ((streamId: string) => void) | null = null;
  private commit = 1000n;

  /** Writes events as another producer would (no expected revision, no chain). */
  write(streamId: string, data: EventData[]): EsdbAppendResult {
    const stream = this.streams.get(streamId) ?? [];
    for (const e of data) {
      this.commit += 10n;
      const event = {
        streamId,
        id: e.id,
        revision: BigInt(stream.length),
        type: e.type,
        // What the server hands back: the JSON sent, parsed again.
        data: JSON.parse(JSON.stringify(e.data ?? null)) as unknown,
        metadata: e.metadata === undefined ? undefined : (JSON.parse(JSON.stringify(e.metadata)) as unknown),
        isJson: true,
        created: new Date('2026-03-02T09:00:00Z'),
        position: { commit: this.commit, prepare: this.commit },
      } as StoredEvent;
      stream.push(event);
      this.log.push(event);
    }
    this.streams.set(streamId, stream);
    return this.answer(stream);
  }

  /** Rewrites a stored event's data in place, as an administrator with disk access could. */
  tamper(streamId: string, index: number, data: unknown): void {
    const event = this.streams.get(streamId)?.[index];
    if (!event) throw new Error(`no event ${index} in ${streamId}`);
    (event as { data: unknown }).data = data;
  }

  private answer(stream: StoredEvent[]): EsdbAppendResult {
    const last = stream.at(-1)!;
    return {
      success: true,
      nextExpectedRevision: last.revision,
      ...(this.answerPosition ? { position: last.position } : {}),
    };
  }

  private visible(events: StoredEvent[], options: ReadOptions): StoredEvent[] {
    return options.requiresLeader || this.followerLag === 0
      ? events
      : events.filter((e) => !this.log.slice(-this.followerLag).includes(e));
  }

  private checkRevision(streamId: string, expected: AppendExpectedRevision): void {
    const stream = this.streams.get(streamId) ?? [];
    const current = stream.length === 0 ? NO_STREAM : BigInt(stream.length - 1);
    const refused =
      expected === ANY ? false : expected === STREAM_EXISTS ? stream.length === 0 : expected !== current;
    if (refused)
      throw new EsdbWrongExpectedVersionError(undefined, { streamName: streamId, expected, current });
  }

  client(): EventStoreDBClient {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the stub's methods run with the client as `this`
    const cluster = this;
    return {
      async appendToStream(
        streamId: string,
        data: EventData[],
        options: { expectedRevision: AppendExpectedRevision },
      ) {
        cluster.appendCalls.push({
          streamId,
          ids: data.map((e) => e.id),
          expectedRevision: options.expectedRevision,
          data,
        });
        const step = cluster.appendSteps.shift() ?? 'ok';
        if (step instanceof Error) throw step;
        cluster.beforeAppend?.(streamId);
        const stream = cluster.streams.get(streamId) ?? [];
        if (cluster.dedup && stream.some((e) => e.id === data[0]!.id)) return cluster.answer(stream);
        cluster.checkRevision(streamId, options.expectedRevision);
        const result = cluster.write(streamId, data);
        if (step === 'commit-then-lose-answer') throw notLeader();
        return result;
      },
      readStream(streamId: string, options: ReadOptions = {}) {
        cluster.readCalls.push({ streamId, options });
        const backwards = options.direction === BACKWARDS;
        const step = backwards ? cluster.headSteps.shift() : cluster.readSteps.shift();
        const stream = cluster.visible(cluster.streams.get(streamId) ?? [], options);
        const max = options.maxCount === undefined ? Infinity : Number(options.maxCount);
        const from = typeof options.fromRevision === 'bigint' ? Number(options.fromRevision) : null;
        const slice = backwards
          ? [...stream]
              .reverse()
              .filter((e) => options.fromRevision === END || from === null || e.revision <= BigInt(from))
              .slice(0, max)
          : stream.slice(from ?? 0, (from ?? 0) + max);
        return (async function* () {
          if (step instanceof Error) throw step;
          for (const event of step === 'short' ? slice.slice(1) : slice) yield { event };
        })();
      },
      readAll(options: ReadOptions = {}) {
        cluster.readCalls.push({ streamId: '$all', options });
        const log = cluster.visible(cluster.log, options);
        const at = options.fromPosition;
        const from = typeof at === 'object' ? at.commit : null;
        const max = options.maxCount === undefined ? Infinity : Number(options.maxCount);
        const slice =
          options.direction === BACKWARDS
            ? [...log]
                .reverse()
                .filter((e) => at === END || from === null || e.position.commit <= from)
                .slice(0, max)
            : log.filter((e) => at === START || from === null || e.position.commit >= from).slice(0, max);
        const read = (async function* () {
          for (const event of slice) yield { event, commitPosition: event.position.commit };
        })();
        return Object.assign(read, { cancel: async () => undefined });
      },
      subscribeToAll(options: unknown) {
        cluster.subscribeCalls.push(options);
        // Catch-up over everything written so far, then live (left open: the test aborts).
        const subscription = Object.assign(new PassThrough({ objectMode: true }), {
          unsubscribe: async () => undefined,
        });
        for (const event of cluster.log) subscription.write({ event, commitPosition: event.position.commit });
        return subscription;
      },
      async dispose() {},
    } as unknown as EventStoreDBClient;
  }
}
