import { createTestSqlClient, type TestSqlClient } from '@segur/event-store';
import type { Projection } from '../projection';
import { upsertFournisseur } from '../read-models/fournisseurs/fournisseurs.read-model';
import { createReadModelProjections } from '../read-models/read-model-projections';
import { rebuildProjection } from '../rebuild';
import { countStats, createCountingProjection } from '../testing/counting.projection';
import { dumpTables } from '../testing/dump';
import {
  appendSteps,
  POULAT_FOURNISSEUR,
  poulatEditContact,
  poulatRequestM1,
  poulatSubmit,
  poulatUntilSolde,
} from '../testing/garage-poulat.fixture';
import { seededRandom } from '@segur/kernel';
import { FOURNISSEUR_B, smallDataset } from '../testing/small-dataset.fixture';
import { InMemoryEventStore } from '../testing/test-event-store';
import { ProjectionRunner } from './projection-runner';

jest.setTimeout(120_000);

describe(`runner crash safety (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestSqlClient;
  let store: InMemoryEventStore;
  beforeAll(async () => {
    t = await createTestSqlClient('proj_crash');
    store = new InMemoryEventStore();
  });
  afterAll(async () => {
    await store.close();
    await t.teardown();
  });

  it('killed at ≥ 20 random points, the read models end byte-identical to a clean rebuild, each event applied once', async () => {
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
    const rnd = seededRandom(seed);
    const real: Projection[] = [...createReadModelProjections(), createCountingProjection()];
    const tables = real.flatMap((p) => p.tables);

    // "Process death": the kill switch aborts the runner and the failing apply rolls its
    // transaction back, exactly what PostgreSQL does with a dead session's open transaction.
    let kill = new AbortController();
    let applyBudget = Infinity;
    let killAfterCommit = false;
    let crashes = 0;
    const crash = (): void => {
      crashes++;
      kill.abort();
    };
    const wrapped = real.map((p): Projection => ({
      ...p,
      async apply(tx, event) {
        if (--applyBudget <= 0 && !kill.signal.aborted) {
          crash();
          throw new Error('crash simulé pendant le lot');
        }
        await p.apply(tx, event);
      },
      // Between a committed batch and the next one.
      async afterCommit() {
        if (killAfterCommit && !kill.signal.aborted && rnd() < 0.3) crash();
      },
    }));

    const first = new ProjectionRunner(t.client, store, real);
    await first.migrate();
    await upsertFournisseur(t.client, POULAT_FOURNISSEUR);
    await upsertFournisseur(t.client, FOURNISSEUR_B);
    const steps = [
      ...smallDataset(),
      ...poulatUntilSolde(),
      ...poulatRequestM1(),
      ...poulatEditContact(),
      ...poulatSubmit(),
      ...[1, 2, 3, 4].flatMap((n) => {
        const asp = `FINSAS10000${n}`;
        return [
          ...poulatUntilSolde(asp),
          ...poulatRequestM1(asp),
          ...poulatEditContact(asp),
          ...poulatSubmit(asp),
        ];
      }),
    ];
    const chunks: (typeof steps)[] = [];
    for (let i = 0; i < steps.length; i += 8) chunks.push(steps.slice(i, i + 8));

    for (let run = 0; run < 200 && (crashes < 25 || chunks.length > 0); run++) {
      const chunk = chunks.shift();
      if (chunk) await appendSteps(store, chunk);
      kill = new AbortController();
      applyBudget = 1 + Math.floor(rnd() * 8);
      killAfterCommit = rnd() < 0.5;
      const runner = new ProjectionRunner(t.client, store, wrapped, {
        batchSize: 1 + Math.floor(rnd() * 8),
        batchWindowMs: 1,
        pollIntervalMs: 10,
        backoffInitialMs: 5,
        lockRetryMs: 10,
      });
      runner.start(kill.signal);
      const head = (await store.headPosition())!;
      await Promise.race([runner.done(), runner.waitForPosition(head, 10_000)]);
      kill.abort();
      await runner.stop();
      // Once the log is written and caught up, nothing is left to crash on: stop there.
      if (chunks.length === 0 && (await runner.waitForPosition(head, 0))) break;
    }

    const clean = new ProjectionRunner(t.client, store, real, { batchWindowMs: 1, pollIntervalMs: 10 });
    clean.start();
    expect(await clean.waitForPosition((await store.headPosition())!, 10_000)).toBe(true);
    await clean.stop();

    const events = (await store.readAll({ limit: 10_000 })).events.length;
    if (process.env.CRASH_DEBUG)
      process.stdout.write(`crash seed=${seed} crashes=${crashes} events=${events}\n`);
    expect({ seed, crashes, enough: crashes >= 20 }).toEqual({ seed, crashes, enough: true });
    expect(await countStats(t.client)).toEqual({ rows: events, total: events, max: 1 });

    const afterCrashes = await dumpTables(t.client, tables);
    for (const p of real)
      expect((await rebuildProjection(t.client, store, p, { batchSize: 7 })).swapped).toBe(true);
    expect(await dumpTables(t.client, tables)).toBe(afterCrashes);
    expect(afterCrashes).toContain('FINSAS008539');
  });

  it('retries a failing batch with backoff and never skips an event', async () => {
    let failures = 3;
    const counting = createCountingProjection('flaky', 'flaky_events');
    const flaky: Projection = {
      ...counting,
      async apply(tx, event) {
        if (event.streamVersion === 2 && failures-- > 0) throw new Error('base indisponible');
        await counting.apply(tx, event);
      },
    };
    const runner = new ProjectionRunner(t.client, store, [flaky], { backoffInitialMs: 5, batchWindowMs: 1 });
    await runner.migrate();
    runner.start();
    expect(await runner.waitForPosition((await store.headPosition())!, 10_000)).toBe(true);
    const [status] = await runner.status();
    await runner.stop();
    expect(status).toMatchObject({ caughtUp: true, lastError: { message: 'base indisponible' } });
    const events = (await store.readAll({ limit: 10_000 })).events.length;
    expect(await countStats(t.client, 'flaky_events')).toEqual({ rows: events, total: events, max: 1 });
  });
});
