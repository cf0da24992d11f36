import { createTestSqlClient, type TestSqlClient } from '@segur/event-store';
import { listDossiers } from './queries/list.query';
import { getSuivi } from './queries/suivi.query';
import { upsertFournisseur } from './read-models/fournisseurs/fournisseurs.read-model';
import { createListsProjection } from './read-models/lists/lists.projection';
import { createSuiviProjection } from './read-models/suivi/suivi.projection';
import { rebuildProjection, shadowSchemaOf, type RebuildProgress } from './rebuild';
import { ProjectionRunner } from './runner/projection-runner';
import { dumpTables } from './testing/dump';
import { interruptAfter } from './testing/interrupt';
import {
  appendSteps,
  POULAT,
  POULAT_FOURNISSEUR,
  poulatEditContact,
  poulatRequestM1,
  poulatSubmit,
  poulatUntilSolde,
} from './testing/garage-poulat.fixture';
import { FOURNISSEUR_B, smallDataset } from './testing/small-dataset.fixture';
import { InMemoryEventStore } from './testing/test-event-store';

jest.setTimeout(60_000);

describe(`rebuildProjection (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestSqlClient;
  let store: InMemoryEventStore;
  let runner: ProjectionRunner;
  const suivi = createSuiviProjection();
  const lists = createListsProjection();
  const gestionnaire = { role: 'gestionnaire' as const };

  beforeAll(async () => {
    t = await createTestSqlClient('proj_rebuild');
    store = new InMemoryEventStore();
    runner = new ProjectionRunner(t.client, store, [suivi, lists], { batchWindowMs: 1, pollIntervalMs: 10 });
    await runner.migrate();
    await upsertFournisseur(t.client, POULAT_FOURNISSEUR);
    await upsertFournisseur(t.client, FOURNISSEUR_B);
    runner.start();
    expect(await runner.waitForPosition(await appendSteps(store, smallDataset()), 10_000)).toBe(true);
  });
  afterAll(async () => {
    await runner.stop();
    await store.close();
    await t.teardown();
  });

  it('rebuilds while the old tables keep serving and the live runner keeps writing', async () => {
    let serving = true;
    let reads = 0;
    const reader = (async () => {
      while (serving) {
        // The dossier exists from the start: a reader must never see it missing, even mid-swap.
        const page = await getSuivi(t.client, 'FINSAS000002', gestionnaire);
        expect(page?.recapitulatif.statut).toBe('EN_COURS');
        expect((await listDossiers(t.client, {}, gestionnaire)).items.length).toBeGreaterThanOrEqual(6);
        reads++;
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const writer = appendSteps(store, [
      ...poulatUntilSolde(),
      ...poulatRequestM1(),
      ...poulatEditContact(),
      ...poulatSubmit(),
    ]);
    const phases = new Set<RebuildProgress['phase']>();
    const [rs, rl] = await Promise.all([
      rebuildProjection(t.client, store, suivi, { batchSize: 3, onProgress: (p) => phases.add(p.phase) }),
      rebuildProjection(t.client, store, lists, { batchSize: 4 }),
    ]);
    const last = await writer;
    serving = false;
    await reader;
    expect(rs).toMatchObject({ swapped: true, resumed: false });
    expect(rl.swapped).toBe(true);
    expect([...phases]).toEqual(['replay', 'swap']);
    expect(reads).toBeGreaterThan(0);

    // The live runner resumed on the swapped tables and applied what was written meanwhile.
    expect(await runner.waitForPosition(last, 10_000)).toBe(true);
    const page = await getSuivi(t.client, POULAT.numeroAsp, gestionnaire);
    expect(page?.informations.champsEditables[0]?.value).toBe('test123@gmail.com');
    const live = await dumpTables(t.client, [...suivi.tables, ...lists.tables]);
    await rebuildProjection(t.client, store, suivi, { fresh: true });
    await rebuildProjection(t.client, store, lists, { fresh: true });
    expect(await dumpTables(t.client, [...suivi.tables, ...lists.tables])).toBe(live);
  });

  it('resumes an interrupted rebuild from its shadow checkpoint', async () => {
    const before = await dumpTables(t.client, suivi.tables);
    const first = await rebuildProjection(t.client, store, suivi, {
      batchSize: 5,
      ...interruptAfter(10),
    });
    expect(first).toMatchObject({ swapped: false, resumed: false, events: 10 });
    const shadow = shadowSchemaOf(t.client, suivi);
    const left = await t.client.query<{ n: string }>(
      `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = $1`,
      [shadow],
    );
    expect(Number(left.rows[0]!.n)).toBe(2); // suivi_dossiers + its own projection_checkpoints
    // The live tables were untouched meanwhile.
    expect(await dumpTables(t.client, suivi.tables)).toBe(before);

    const total = (await store.readAll({ limit: 10_000 })).events.length;
    const second = await rebuildProjection(t.client, store, suivi, { batchSize: 5 });
    expect(second).toMatchObject({ swapped: true, resumed: true, events: total - 10 });
    expect(await dumpTables(t.client, suivi.tables)).toBe(before);
    const gone = await t.client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [
      shadow,
    ]);
    expect(gone.rowCount).toBe(0);
  });
});
