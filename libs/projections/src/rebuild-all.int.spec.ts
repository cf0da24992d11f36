import {
  createTestSqlClient,
  migrateEventStore,
  PostgresEventStore,
  type TestSqlClient,
} from '@segur/event-store';
import type { Projection } from './projection';
import { createReadModelProjections } from './read-models/read-model-projections';
import { rebuildProjections } from './rebuild-all';
import { ProjectionRunner } from './runner/projection-runner';
import { migrateProjections } from './runner/migrate';
import { countStats, createCountingProjection } from './testing/counting.projection';
import { dumpTables } from './testing/dump';
import { interruptAfter } from './testing/interrupt';
import {
  appendSteps,
  poulatEditContact,
  poulatRequestM1,
  poulatSubmit,
  poulatUntilSolde,
} from './testing/garage-poulat.fixture';
import { smallDataset } from './testing/small-dataset.fixture';
import { InMemoryEventStore } from './testing/test-event-store';

jest.setTimeout(60_000);

// Replay sessions hold rows across batches; a bound of 2 dossiers forces flushes and trims (rows
// forgotten, then loaded again) in the middle of the replay.
describe(`rebuildProjections (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestSqlClient;
  let store: InMemoryEventStore;
  let runner: ProjectionRunner;
  const projections = createReadModelProjections();
  const tables = projections.flatMap((p) => p.tables);

  beforeAll(async () => {
    t = await createTestSqlClient('proj_rebuild_all');
    store = new InMemoryEventStore();
    runner = new ProjectionRunner(t.client, store, projections, { batchWindowMs: 1, pollIntervalMs: 10 });
    await runner.migrate();
    runner.start();
    const last = await appendSteps(store, [
      ...smallDataset(),
      ...poulatUntilSolde(),
      ...poulatRequestM1(),
      ...poulatEditContact(),
      ...poulatSubmit(),
    ]);
    expect(await runner.waitForPosition(last, 10_000)).toBe(true);
  });
  afterAll(async () => {
    await runner.stop();
    await store.close();
    await t.teardown();
  });

  it('leaves the same rows as the live projections, through flushes, trims and a resume', async () => {
    const live = await dumpTables(t.client, tables);
    const first = await rebuildProjections(t.client, store, projections, {
      batchSize: 3,
      maxHeldDossiers: 2,
      ...interruptAfter(12),
    });
    expect(first.length).toBeGreaterThan(0);
    expect(first.every((r) => !r.swapped)).toBe(true);
    expect(await dumpTables(t.client, tables)).toBe(live);
    const second = await rebuildProjections(t.client, store, projections, {
      batchSize: 3,
      maxHeldDossiers: 2,
    });
    expect(second.length).toBeGreaterThan(0);
    expect(second.every((r) => r.swapped && r.resumed)).toBe(true);
    expect(await dumpTables(t.client, tables)).toBe(live);
    const clean = await rebuildProjections(t.client, store, projections, { batchSize: 1_000, fresh: true });
    expect(clean.length).toBeGreaterThan(0);
    expect(clean.every((r) => r.swapped)).toBe(true);
    expect(await dumpTables(t.client, tables)).toBe(live);
  });
  // A projection without a replay session gets each batch in a transaction with its checkpoint,
  // written while the next batch is folded: through an interruption, a failed write and resumes,
  // every event is still applied exactly once.
  it('applies each event once to a projection without a session, through a failure and a resume', async () => {
    const live = await dumpTables(t.client, tables);
    const events = (await store.readAll({ limit: 10_000 })).events.length;
    const counting = createCountingProjection('rebuild_counting', 'rebuild_counted');
    await migrateProjections(t.client, [counting]);
    let applied = 0;
    const failing: Projection = {
      ...counting,
      apply: async (tx, event) => {
        if (++applied > 10) throw new Error('panne simulée');
        await counting.apply(tx, event);
      },
    };
    const first = await rebuildProjections(t.client, store, [...projections, counting], {
      batchSize: 3,
      maxHeldDossiers: 2,
      fresh: true,
      ...interruptAfter(7),
    });
    expect(first.length).toBeGreaterThan(0);
    expect(first.every((r) => !r.swapped)).toBe(true);
    await expect(
      rebuildProjections(t.client, store, [...projections, failing], { batchSize: 3, maxHeldDossiers: 2 }),
    ).rejects.toThrow('panne simulée');
    const last = await rebuildProjections(t.client, store, [...projections, counting], { batchSize: 3 });
    expect(last.length).toBeGreaterThan(0);
    expect(last.every((r) => r.swapped && r.resumed)).toBe(true);
    expect(await countStats(t.client, 'rebuild_counted')).toEqual({ rows: events, total: events, max: 1 });
    expect(await dumpTables(t.client, tables)).toBe(live);
  });

  // Dossiers whose last event was folded are written ahead of the checkpoint and forgotten; the
  // versions are only a hint, so a wrong one (here: every stream "ends" at each of its events, or
  // never) must leave the same rows, through an interruption and a resume.
  it.each([
    ['exact', (id: string) => store.streamVersion(id)],
    ['too low', async () => 1],
    ['unknown', async () => Number.MAX_SAFE_INTEGER],
  ])('writes finished dossiers early (%s last versions) and leaves the same rows', async (_, version) => {
    const live = await dumpTables(t.client, tables);
    const lastVersions = async (ids: readonly string[]): Promise<Map<string, number>> =>
      new Map(await Promise.all(ids.map(async (id) => [id, await version(id)] as const)));
    const first = await rebuildProjections(t.client, store, projections, {
      batchSize: 3,
      maxHeldDossiers: 4,
      fresh: true,
      lastVersions,
      ...interruptAfter(15),
    });
    expect(first.length).toBeGreaterThan(0);
    expect(first.every((r) => !r.swapped)).toBe(true);
    const second = await rebuildProjections(t.client, store, projections, {
      batchSize: 4,
      maxHeldDossiers: 4,
      checkpointEvery: 8,
      lastVersions,
    });
    expect(second.length).toBeGreaterThan(0);
    expect(second.every((r) => r.swapped && r.resumed)).toBe(true);
    expect(await dumpTables(t.client, tables)).toBe(live);
  });
});

// On the PostgreSQL store (events and read models in one database, as in both run modes), the
// rebuild looks up each dossier's last stream version itself and writes finished dossiers early.
describe(`rebuildProjections on the PostgreSQL event store (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestSqlClient;
  let store: PostgresEventStore;
  let runner: ProjectionRunner;
  const projections = createReadModelProjections();
  const tables = projections.flatMap((p) => p.tables);

  beforeAll(async () => {
    t = await createTestSqlClient('proj_rebuild_all_pg');
    await migrateEventStore(t.client);
    store = new PostgresEventStore(t.client);
    runner = new ProjectionRunner(t.client, store, projections, { batchWindowMs: 1, pollIntervalMs: 10 });
    await runner.migrate();
    runner.start();
    const last = await appendSteps(store, [
      ...smallDataset(),
      ...poulatUntilSolde(),
      ...poulatRequestM1(),
      ...poulatEditContact(),
      ...poulatSubmit(),
    ]);
    expect(await runner.waitForPosition(last, 10_000)).toBe(true);
  });
  afterAll(async () => {
    await runner.stop();
    await store.close();
    await t.teardown();
  });

  it('leaves the same rows as the live projections, through an interruption and a resume', async () => {
    const live = await dumpTables(t.client, tables);
    const first = await rebuildProjections(t.client, store, projections, {
      batchSize: 3,
      maxHeldDossiers: 4,
      fresh: true,
      ...interruptAfter(15),
    });
    expect(first.length).toBeGreaterThan(0);
    expect(first.every((r) => !r.swapped)).toBe(true);
    const second = await rebuildProjections(t.client, store, projections, {
      batchSize: 3,
      maxHeldDossiers: 4,
    });
    expect(second.length).toBeGreaterThan(0);
    expect(second.every((r) => r.swapped && r.resumed)).toBe(true);
    expect(await dumpTables(t.client, tables)).toBe(live);
  });
});
