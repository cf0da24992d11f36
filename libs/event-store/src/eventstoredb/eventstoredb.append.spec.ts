import {
  NO_STREAM,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  type AppendExpectedRevision,
  type AppendResult as EsdbAppendResult,
  type EventData,
  type EventStoreDBClient,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import { WrongExpectedVersionError, type NewEvent } from '../event-store.port';
import { AppendedButNotReadBackError, EventStoreDbEventStore } from './eventstoredb.event-store';
import { accessDenied, deadlineExceeded, notLeader, unavailable } from './eventstoredb.grpc-errors';
import { encodePosition } from './eventstoredb.position';

// No ESDB server can run here: a stub of the two client calls an append makes (appendToStream and
// the read-back's readStream), holding streams in memory, that fails with the client's real error
// classes where a cluster would. The real server is exercised by eventstoredb.esdb.spec.ts.

type Step = 'ok' | 'commit-then-lose-answer' | Error;

class FakeCluster {
  readonly streams = new Map<string, EsdbRecordedEvent[]>();
  readonly appendCalls: { streamId: string; ids: string[] }[] = [];
  appendSteps: Step[] = [];
  readSteps: (Error | 'short')[] = [];
  /** The server recognises a re-sent write by its event ids (true of ESDB at the expected revision). */
  dedup = true;
  answerPosition = true;
  private commit = 1000n;

  private write(streamId: string, data: EventData[]): EsdbAppendResult {
    const stream = this.streams.get(streamId) ?? [];
    for (const e of data) {
      this.commit += 10n;
      stream.push({
        streamId,
        id: e.id,
        revision: BigInt(stream.length),
        type: e.type,
        data: e.data,
        metadata: e.metadata,
        isJson: true,
        created: new Date('2026-03-02T09:00:00Z'),
        position: { commit: this.commit, prepare: this.commit },
      } as EsdbRecordedEvent);
    }
    this.streams.set(streamId, stream);
    return this.answer(stream);
  }

  private answer(stream: EsdbRecordedEvent[]): EsdbAppendResult {
    const last = stream.at(-1)!;
    return {
      success: true,
      nextExpectedRevision: last.revision,
      ...(this.answerPosition ? { position: last.position } : {}),
    };
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
        cluster.appendCalls.push({ streamId, ids: data.map((e) => e.id) });
        const step = cluster.appendSteps.shift() ?? 'ok';
        if (step instanceof Error) throw step;
        const stream = cluster.streams.get(streamId) ?? [];
        if (cluster.dedup && stream.some((e) => e.id === data[0]!.id)) return cluster.answer(stream);
        const current = stream.length === 0 ? NO_STREAM : BigInt(stream.length - 1);
        const expected = options.expectedRevision;
        if (typeof expected === 'bigint' || expected === NO_STREAM) {
          if (expected !== current)
            throw new EsdbWrongExpectedVersionError(undefined, { streamName: streamId, expected, current });
        }
        const result = cluster.write(streamId, data);
        if (step === 'commit-then-lose-answer') throw notLeader();
        return result;
      },
      readStream(streamId: string, options: { fromRevision?: bigint | string; maxCount?: number | bigint }) {
        const step = cluster.readSteps.shift();
        const stream = cluster.streams.get(streamId) ?? [];
        const from = typeof options.fromRevision === 'bigint' ? Number(options.fromRevision) : 0;
        const max = options.maxCount === undefined ? Infinity : Number(options.maxCount);
        return (async function* () {
          if (step instanceof Error) throw step;
          const slice = stream.slice(from, from + max);
          for (const event of step === 'short' ? slice.slice(1) : slice) yield { event };
        })();
      },
      async dispose() {},
    } as unknown as EventStoreDBClient;
  }
}

const meta = { actor: { id: 'g1', role: 'gestionnaire' }, correlationId: 'c', causationId: null };
const events = (...types: string[]): NewEvent[] =>
  types.map((type) => ({ type, data: { type }, metadata: meta }));

const storeOn = (cluster: FakeCluster) => {
  const delays: number[] = [];
  const store = new EventStoreDbEventStore(cluster.client(), {
    appendAttempts: 4,
    random: () => 0.5,
    sleep: async (ms) => void delays.push(ms),
  });
  return { store, delays };
};

describe('EventStoreDB append under cluster faults (stubbed client, real error classes)', () => {
  it('re-sends the same events with the same ids after NotLeader: the server recognises them, written once', async () => {
    const cluster = new FakeCluster();
    cluster.appendSteps = ['commit-then-lose-answer'];
    const { store, delays } = storeOn(cluster);
    const r = await store.appendToStream('dossier-A', events('AvanceImported', 'AvancePaymentRecorded'), {
      expectedVersion: 'no_stream',
    });
    expect(cluster.appendCalls).toHaveLength(2);
    expect(cluster.appendCalls[1]!.ids).toEqual(cluster.appendCalls[0]!.ids);
    expect(cluster.streams.get('dossier-A')).toHaveLength(2);
    expect(r.nextExpectedVersion).toBe(2);
    expect(r.events.map((e) => e.id)).toEqual(cluster.appendCalls[0]!.ids);
    expect(delays).toHaveLength(1);
  });

  it.each([
    ['Unavailable', unavailable],
    ['DeadlineExceeded', deadlineExceeded],
    ['NotLeader', notLeader],
  ])('re-sends after %s that reached no node', async (_, error) => {
    const cluster = new FakeCluster();
    cluster.appendSteps = [error(), error()];
    const { store } = storeOn(cluster);
    const r = await store.appendToStream('dossier-A', events('AvanceImported'), { expectedVersion: 0 });
    expect(cluster.appendCalls).toHaveLength(3);
    expect(new Set(cluster.appendCalls.map((c) => c.ids[0])).size).toBe(1);
    expect(r.nextExpectedVersion).toBe(1);
  });

  it('a conflict after a re-send is checked against the stream: its own events there mean success', async () => {
    const cluster = new FakeCluster();
    cluster.dedup = false;
    cluster.appendSteps = ['commit-then-lose-answer'];
    const { store } = storeOn(cluster);
    const r = await store.appendToStream('dossier-A', events('AvanceImported'), {
      expectedVersion: 'no_stream',
    });
    expect(cluster.appendCalls).toHaveLength(2);
    expect(cluster.streams.get('dossier-A')).toHaveLength(1);
    expect(r.events[0]!.id).toBe(cluster.appendCalls[0]!.ids[0]);
  });

  it('a conflict without a re-send is a conflict', async () => {
    const cluster = new FakeCluster();
    const { store } = storeOn(cluster);
    await store.appendToStream('dossier-A', events('AvanceImported'), { expectedVersion: 'no_stream' });
    await expect(
      store.appendToStream('dossier-A', events('AvanceImported'), { expectedVersion: 'no_stream' }),
    ).rejects.toBeInstanceOf(WrongExpectedVersionError);
  });

  it('does not re-send after a permanent error, and gives up after the bounded number of tries', async () => {
    const denied = new FakeCluster();
    denied.appendSteps = [accessDenied()];
    await expect(
      storeOn(denied).store.appendToStream('dossier-A', events('X'), { expectedVersion: 'any' }),
    ).rejects.toMatchObject({ type: 'access-denied' });
    expect(denied.appendCalls).toHaveLength(1);

    const down = new FakeCluster();
    down.appendSteps = [unavailable(), unavailable(), unavailable(), unavailable(), unavailable()];
    await expect(
      storeOn(down).store.appendToStream('dossier-A', events('X'), { expectedVersion: 'any' }),
    ).rejects.toMatchObject({ type: 'unavailable' });
    expect(down.appendCalls).toHaveLength(4);
  });

  it('retries the read-back on its own (NotLeader, a short answer), without appending again', async () => {
    const cluster = new FakeCluster();
    cluster.readSteps = [notLeader(), 'short', unavailable()];
    const { store } = storeOn(cluster);
    const r = await store.appendToStream('dossier-A', events('A', 'B'), { expectedVersion: 'no_stream' });
    expect(cluster.appendCalls).toHaveLength(1);
    expect(r.events.map((e) => e.position)).toEqual(
      cluster.streams.get('dossier-A')!.map((e) => encodePosition(e.position!)),
    );
  });

  it('never reports a failed read-back as a failed append: the append answer’s position stands in', async () => {
    const cluster = new FakeCluster();
    cluster.readSteps = [notLeader(), notLeader(), notLeader(), notLeader()];
    const { store } = storeOn(cluster);
    const r = await store.appendToStream('dossier-A', events('A', 'B'), { expectedVersion: 'no_stream' });
    const last = cluster.streams.get('dossier-A')!.at(-1)!;
    expect(r.nextExpectedVersion).toBe(2);
    expect(r.lastPosition).toBe(encodePosition(last.position!));
    expect(r.events.map((e) => [e.type, e.streamVersion])).toEqual([
      ['A', 1],
      ['B', 2],
    ]);
    expect(cluster.appendCalls).toHaveLength(1);
  });

  it('without a position in the answer, says the events are written (AppendedButNotReadBackError)', async () => {
    const cluster = new FakeCluster();
    cluster.answerPosition = false;
    cluster.readSteps = [unavailable(), unavailable(), unavailable(), unavailable()];
    const { store } = storeOn(cluster);
    const failure = store.appendToStream('dossier-A', events('A'), { expectedVersion: 'no_stream' });
    await expect(failure).rejects.toBeInstanceOf(AppendedButNotReadBackError);
    await expect(failure).rejects.toThrow(/écrits dans dossier-A/);
    expect(cluster.streams.get('dossier-A')).toHaveLength(1);
  });

  it('appendMany retries a transient failure of one stream before giving up, with the same ids', async () => {
    const cluster = new FakeCluster();
    cluster.appendSteps = ['ok', unavailable(), 'commit-then-lose-answer'];
    const { store, delays } = storeOn(cluster);
    const results = await store.appendMany([
      { streamId: 'dossier-A', events: events('A'), expectedVersion: 'no_stream' },
      { streamId: 'dossier-B', events: events('B'), expectedVersion: 'no_stream' },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(cluster.streams.get('dossier-B')).toHaveLength(1);
    const bCalls = cluster.appendCalls.filter((c) => c.streamId === 'dossier-B');
    expect(bCalls.length).toBeGreaterThan(1);
    expect(new Set(bCalls.map((c) => c.ids[0])).size).toBe(1);
    expect(delays.length).toBeGreaterThan(0);
  });
});
