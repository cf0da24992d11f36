import { createTestSqlClient, type RecordedEvent, type TestSqlClient } from '@segur/event-store';
import type { Clock } from '@segur/kernel';
import type { Projection } from '../projection';
import { meta } from '../testing/garage-poulat.fixture';
import { InMemoryEventStore } from '../testing/test-event-store';
import { ProjectionRunner } from '../runner/projection-runner';
import { createCountingProjection } from '../testing/counting.projection';
import { listQuarantine, quarantineCounts } from './quarantine.table';
import { retryAllQuarantined, retryQuarantined } from './quarantine-retry';
import { rebuildProjection } from '../rebuild';

jest.setTimeout(60_000);

const system = meta({ id: 'test', role: 'system' });

/** Counts each event like the counting projection, but throws on `poison` events while `cured` is false. */
const poisonable = (name: string, table: string, state: { cured: boolean }): Projection => {
  const inner = createCountingProjection(name, table);
  return {
    ...inner,
    async apply(tx, event: RecordedEvent) {
      if ((event.data as { poison?: boolean }).poison && !state.cured)
        throw new TypeError(`donnée illisible dans ${event.id}`);
      await inner.apply(tx, event);
    },
  };
};

const clockAt = (iso: string): Clock & { advance(ms: number): void } => {
  let now = new Date(iso).getTime();
  return { now: () => new Date(now), advance: (ms) => void (now += ms) };
};

describe(`projection quarantine (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestSqlClient;
  let store: InMemoryEventStore;
  beforeAll(async () => {
    t = await createTestSqlClient('proj_quar');
    store = new InMemoryEventStore();
  });
  afterAll(async () => {
    await store.close();
    await t.teardown();
  });

  const append = async (stream: string, data: Record<string, unknown>): Promise<RecordedEvent> => {
    await store.appendToStream(stream, [{ type: 'Tick', data, metadata: system }], {
      expectedVersion: 'any',
    });
    const events = await store.readStream(stream);
    return events[events.length - 1]!;
  };
  const ids = async (table: string): Promise<Record<string, number>> => {
    const r = await t.client.query<{ id: string; n: number }>(`SELECT id, n FROM ${table}`);
    return Object.fromEntries(r.rows.map((row) => [row.id, row.n]));
  };

  it('quarantines an event after N failures of its own, holds its stream behind it, keeps the others going, and retries on demand', async () => {
    const state = { cured: false };
    const clock = clockAt('2026-03-02T09:00:00Z');
    const quarantined: string[] = [];
    const poisoned = poisonable('poisoned', 'poisoned_events', state);
    const healthy = createCountingProjection('healthy', 'healthy_events');
    const runner = new ProjectionRunner(t.client, store, [poisoned, healthy], {
      maxAttempts: 3,
      clock,
      // No waiting between attempts: the count is what the test looks at.
      backoffInitialMs: 0,
      backoffMaxMs: 0,
      batchSize: 10,
      pollIntervalMs: 10,
      onQuarantined: (projection, event, failure) => {
        clock.advance(1);
        quarantined.push(`${projection}:${event.id}:${failure.attempts}`);
      },
    });
    await runner.migrate();

    const a1 = await append('dossier-A', { n: 1 });
    const b1 = await append('dossier-B', { n: 1 });
    const a2 = await append('dossier-A', { n: 2, poison: true });
    const a3 = await append('dossier-A', { n: 3 });
    const b2 = await append('dossier-B', { n: 2 });
    runner.start();
    try {
      expect(await runner.waitForPosition(b2.position, 20_000)).toBe(true);

      // The healthy projection never noticed; the poisoned one went past a2 and held a3.
      expect(await ids('healthy_events')).toEqual({
        [a1.id]: 1,
        [b1.id]: 1,
        [a2.id]: 1,
        [a3.id]: 1,
        [b2.id]: 1,
      });
      expect(await ids('poisoned_events')).toEqual({ [a1.id]: 1, [b1.id]: 1, [b2.id]: 1 });
      expect(quarantined).toEqual([`poisoned:${a2.id}:3`]);
      const entries = await listQuarantine(t.client);
      expect(entries).toEqual([
        expect.objectContaining({
          projection: 'poisoned',
          eventId: a2.id,
          position: a2.position,
          streamId: 'dossier-A',
          streamVersion: 2,
          eventType: 'Tick',
          status: 'quarantined',
          attempts: 3,
          error: `donnée illisible dans ${a2.id}`,
          firstFailureAt: '2026-03-02T09:00:00.000Z',
          lastFailureAt: '2026-03-02T09:00:00.000Z',
        }),
        expect.objectContaining({ eventId: a3.id, status: 'held', blockedBy: entries[0]!.id, attempts: 0 }),
      ]);
      expect(await quarantineCounts(t.client)).toEqual(
        new Map([['poisoned', { failing: 0, quarantined: 1, held: 1 }]]),
      );

      // Later events: dossier A's wait behind the quarantine, dossier B's go through.
      const a4 = await append('dossier-A', { n: 4 });
      const b3 = await append('dossier-B', { n: 3 });
      expect(await runner.waitForPosition(b3.position, 20_000)).toBe(true);
      expect(Object.keys(await ids('poisoned_events')).sort()).toEqual([a1.id, b1.id, b2.id, b3.id].sort());
      expect((await listQuarantine(t.client)).map((e) => [e.eventId, e.status])).toEqual([
        [a2.id, 'quarantined'],
        [a3.id, 'held'],
        [a4.id, 'held'],
      ]);

      // A retry while the cause is still there changes nothing but the entry's tally.
      clock.advance(3_600_000);
      const failed = await retryQuarantined(t.client, store, runner.projections, entries[0]!.id, clock);
      expect(failed).toEqual(
        expect.objectContaining({ outcome: 'failed', error: `donnée illisible dans ${a2.id}` }),
      );
      expect(await listQuarantine(t.client, { status: 'quarantined' })).toEqual([
        expect.objectContaining({ attempts: 4, lastFailureAt: '2026-03-02T10:00:00.001Z' }),
      ]);
      expect(Object.keys(await ids('poisoned_events'))).not.toContain(a2.id);

      // Cured (a fixed projection deployed): the retry replays the stream in order, once.
      state.cured = true;
      const [applied] = await retryAllQuarantined(t.client, store, runner.projections, clock);
      expect(applied).toEqual(
        expect.objectContaining({ outcome: 'applied', streamId: 'dossier-A', events: 3 }),
      );
      expect(await listQuarantine(t.client)).toEqual([]);
      expect(await ids('poisoned_events')).toEqual({
        [a1.id]: 1,
        [b1.id]: 1,
        [a2.id]: 1,
        [a3.id]: 1,
        [b2.id]: 1,
        [a4.id]: 1,
        [b3.id]: 1,
      });
      // Idempotent: the same retry again finds nothing to do.
      expect(await retryQuarantined(t.client, store, runner.projections, entries[0]!.id, clock)).toEqual(
        expect.objectContaining({ outcome: 'refused' }),
      );

      // The stream is free again: its next event goes through the running projection.
      const a5 = await append('dossier-A', { n: 5 });
      expect(await runner.waitForPosition(a5.position, 20_000)).toBe(true);
      expect((await ids('poisoned_events'))[a5.id]).toBe(1);
    } finally {
      await runner.stop();
    }
  });

  it('never counts a lost connection toward quarantine: the event is applied once the database answers', async () => {
    let outages = 6;
    const inner = createCountingProjection('flaky', 'flaky_events');
    const flaky: Projection = {
      ...inner,
      async apply(tx, event) {
        if ((event.data as { flaky?: boolean }).flaky && outages-- > 0)
          throw Object.assign(new Error('terminating connection due to administrator command'), {
            code: '57P01',
          });
        await inner.apply(tx, event);
      },
    };
    const runner = new ProjectionRunner(t.client, store, [flaky], {
      maxAttempts: 2,
      backoffInitialMs: 0,
      backoffMaxMs: 0,
      pollIntervalMs: 10,
    });
    await runner.migrate();
    const e = await append('dossier-C', { flaky: true });
    runner.start();
    try {
      expect(await runner.waitForPosition(e.position, 20_000, ['flaky'])).toBe(true);
      expect(outages).toBeLessThan(0);
      expect((await ids('flaky_events'))[e.id]).toBe(1);
      expect(await listQuarantine(t.client, { projection: 'flaky' })).toEqual([]);
    } finally {
      await runner.stop();
    }
  });

  it('reports an event still being retried as `failing`, and a retry leaves it to the runner', async () => {
    const state = { cured: false };
    const stuck = poisonable('stuck', 'stuck_events', state);
    // A store of its own: the poisoned event of the first test is not this projection's concern.
    const own = new InMemoryEventStore();
    const runner = new ProjectionRunner(t.client, own, [stuck], {
      maxAttempts: 1_000_000,
      backoffInitialMs: 0,
      backoffMaxMs: 0,
      pollIntervalMs: 10,
    });
    await runner.migrate();
    await own.appendToStream('dossier-D', [{ type: 'Tick', data: { poison: true }, metadata: system }], {
      expectedVersion: 'any',
    });
    const bad = (await own.readStream('dossier-D'))[0]!;
    runner.start();
    try {
      let failing = await listQuarantine(t.client, { projection: 'stuck' });
      for (let i = 0; failing.length === 0 && i < 500; i++) {
        await new Promise((r) => setTimeout(r, 10));
        failing = await listQuarantine(t.client, { projection: 'stuck' });
      }
      expect(failing).toEqual([expect.objectContaining({ eventId: bad.id, status: 'failing' })]);
      expect((await runner.status())[0]!.blockedOn).toEqual(expect.objectContaining({ eventId: bad.id }));
      expect(await retryQuarantined(t.client, own, runner.projections, failing[0]!.id)).toEqual(
        expect.objectContaining({ outcome: 'refused' }),
      );
      // Cured, the runner applies it and removes its row.
      state.cured = true;
      expect(await runner.waitForPosition(bad.position, 20_000, ['stuck'])).toBe(true);
      expect(await listQuarantine(t.client, { projection: 'stuck' })).toEqual([]);
      expect((await runner.status())[0]!.blockedOn).toBeNull();
    } finally {
      await runner.stop();
      await own.close();
    }
  });

  it('a rebuild that applies the quarantined events clears their rows (a retry would apply them twice)', async () => {
    const state = { cured: false };
    const own = new InMemoryEventStore();
    const projection = poisonable('rebuilt', 'rebuilt_events', state);
    const runner = new ProjectionRunner(t.client, own, [projection], {
      maxAttempts: 1,
      backoffInitialMs: 0,
      backoffMaxMs: 0,
      pollIntervalMs: 10,
    });
    await runner.migrate();
    const put = async (data: Record<string, unknown>): Promise<RecordedEvent> => {
      await own.appendToStream('dossier-R', [{ type: 'Tick', data, metadata: system }], {
        expectedVersion: 'any',
      });
      return (await own.readStream('dossier-R')).at(-1)!;
    };
    await put({ n: 1 });
    await put({ n: 2, poison: true });
    const last = await put({ n: 3 });
    runner.start();
    try {
      expect(await runner.waitForPosition(last.position, 20_000, ['rebuilt'])).toBe(true);
    } finally {
      await runner.stop();
    }
    expect((await listQuarantine(t.client, { projection: 'rebuilt' })).map((e) => e.status)).toEqual([
      'quarantined',
      'held',
    ]);
    state.cured = true;
    expect(await rebuildProjection(t.client, own, projection)).toMatchObject({ swapped: true });
    expect(await listQuarantine(t.client, { projection: 'rebuilt' })).toEqual([]);
    expect(Object.values(await ids('rebuilt_events'))).toEqual([1, 1, 1]);
    await own.close();
  });
});
