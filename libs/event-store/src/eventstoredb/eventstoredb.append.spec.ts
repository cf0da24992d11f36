import { WrongExpectedVersionError, type NewEvent } from '../event-store.port';
import { AppendedButNotReadBackError, EventStoreDbEventStore } from './eventstoredb.event-store';
import { FakeCluster } from './eventstoredb.fake-cluster';
import { accessDenied, deadlineExceeded, notLeader, unavailable } from './eventstoredb.grpc-errors';
import { encodePosition } from './eventstoredb.position';

// No ESDB server can run here: the stubbed client of eventstoredb.fake-cluster.ts holds streams in
// memory and fails with the client's real error classes where a cluster would. The real server is
// exercised by eventstoredb.esdb.spec.ts. These cases run with the audit chain on (the default):
// each append reads the stream's head first, which the faults below (forward reads) leave alone.

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
      cluster.streams.get('dossier-A')!.map((e) => encodePosition(e.position)),
    );
  });

  it('never reports a failed read-back as a failed append: the append answer’s position stands in', async () => {
    const cluster = new FakeCluster();
    cluster.readSteps = [notLeader(), notLeader(), notLeader(), notLeader()];
    const { store } = storeOn(cluster);
    const r = await store.appendToStream('dossier-A', events('A', 'B'), { expectedVersion: 'no_stream' });
    const last = cluster.streams.get('dossier-A')!.at(-1)!;
    expect(r.nextExpectedVersion).toBe(2);
    expect(r.lastPosition).toBe(encodePosition(last.position));
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
