import {
  createTestSqlClient,
  migrateEventStore,
  PostgresEventStore,
  type TestSqlClient,
} from '@segur/event-store';
import { getSuivi } from '../queries/suivi.query';
import { upsertFournisseur } from '../read-models/fournisseurs/fournisseurs.read-model';
import { createSuiviProjection } from '../read-models/suivi/suivi.projection';
import { rebuildProjection } from '../rebuild';
import { countStats, createCountingProjection } from '../testing/counting.projection';
import { dumpTables } from '../testing/dump';
import {
  appendSteps,
  POULAT,
  POULAT_FOURNISSEUR,
  poulatRequestM1,
  poulatUntilSolde,
} from '../testing/garage-poulat.fixture';
import { ProjectionRunner } from './projection-runner';

jest.setTimeout(60_000);

// The embedded and server modes: events and read models in the same database (PGlite is then a
// single session shared by the store's subscription, the runner and the rebuild).
describe(`runner on the PostgreSQL event store, same database (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestSqlClient;
  let store: PostgresEventStore;
  beforeAll(async () => {
    t = await createTestSqlClient('proj_pgstore');
    await migrateEventStore(t.client);
    store = new PostgresEventStore(t.client);
  });
  afterAll(async () => {
    await store.close();
    await t.teardown();
  });

  it('projects, answers read-your-writes and rebuilds', async () => {
    const suivi = createSuiviProjection();
    const runner = new ProjectionRunner(t.client, store, [suivi, createCountingProjection()], {
      batchWindowMs: 1,
      pollIntervalMs: 20,
    });
    await runner.migrate();
    await upsertFournisseur(t.client, POULAT_FOURNISSEUR);
    runner.start();
    const last = await appendSteps(store, [...poulatUntilSolde(), ...poulatRequestM1()]);
    expect(await runner.waitForPosition(last, 5000)).toBe(true);
    const page = await getSuivi(t.client, POULAT.numeroAsp, { role: 'auditeur' });
    expect(page?.informations.numeroAspVersion).toBe('FINSAS008539M1');
    expect(await countStats(t.client)).toEqual({ rows: 5, total: 5, max: 1 });
    const status = await runner.status();
    expect(status.every((s) => s.caughtUp && s.checkpoint === last && s.lastError === null)).toBe(true);

    const before = await dumpTables(t.client, suivi.tables);
    expect((await rebuildProjection(t.client, store, suivi, { batchSize: 2 })).swapped).toBe(true);
    expect(await dumpTables(t.client, suivi.tables)).toBe(before);
    await runner.stop();
  });
});
