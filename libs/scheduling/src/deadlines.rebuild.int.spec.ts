import { versionLabel, type DossierEvent } from '@segur/domain';
import {
  createTestSqlClient,
  migrateEventStore,
  PostgresEventStore,
  type TestSqlClient,
} from '@segur/event-store';
import { ProjectionRunner, rebuildProjections } from '@segur/projections';
import { DeadlinesProjection } from './deadlines.projection';
import type { Scheduler } from './scheduler.port';

jest.setTimeout(60_000);

const noTimers: Scheduler = {
  schedule: () => Promise.resolve(),
  cancel: () => Promise.resolve(),
  start: () => Promise.resolve(),
  stop: () => Promise.resolve(),
};

type Event = Pick<DossierEvent, 'type' | 'data'>;
const day = (n: number): string => new Date(Date.UTC(2024, 0, 1) + n * 86_400_000).toISOString();

/** One dossier's rounds, each ending as `endings` says (the last may stay open). */
const roundsOf = (numeroAsp: string, endings: readonly string[]): Event[] =>
  endings.flatMap((ending, k): Event[] => {
    const version = versionLabel(k + 1);
    const t = k * 30;
    const requested: Event = {
      type: 'ModificationRequested',
      data: {
        numeroAsp,
        version,
        round: k + 1,
        commentaire: 'à corriger',
        gestionnaireId: 'gest-1',
        requestedAt: day(t),
        reminderDueAt: day(t + 10),
        expiresAt: day(t + 20),
      },
    };
    const reminder: Event = {
      type: 'ModificationReminderSent',
      data: { numeroAsp, version, sentAt: day(t + 10) },
    };
    const submitted: Event = {
      type: 'ModificationSubmitted',
      data: { numeroAsp, version, changes: [], piecesAdded: [], submittedAt: day(t + 5) },
    };
    const declined: Event = {
      type: 'ModificationDeclined',
      data: { numeroAsp, version, declinedBy: 'fournisseur', declinedAt: day(t + 3) },
    };
    const expired: Event = {
      type: 'ModificationExpired',
      data: { numeroAsp, version, expiredAt: day(t + 20) },
    };
    switch (ending) {
      case 'submitted':
        return [requested, submitted];
      case 'declined':
        return [requested, declined];
      case 'reminded-submitted':
        return [requested, reminder, submitted];
      case 'reminded-expired':
        return [requested, reminder, expired];
      case 'expired':
        return [requested, expired];
      case 'reminded-open':
        return [requested, reminder];
      default:
        return [requested];
    }
  });

const ENDINGS = [
  'submitted',
  'declined',
  'reminded-submitted',
  'reminded-expired',
  'expired',
  'reminded-open',
  'open',
];

// The deadlines projection's rebuild folds each dossier's rows in memory (deadlines.fold.ts) where
// the live projection runs applyDeadlinesBatch's statements: both must leave the same table.
describe(`deadlines rebuilt (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestSqlClient;
  let store: PostgresEventStore;
  let runner: ProjectionRunner;
  const projection = new DeadlinesProjection(noTimers);

  const dump = async (): Promise<string> =>
    JSON.stringify(
      (
        await t.client.query(
          `SELECT job_id, numero_asp, version, kind, due_at::text, status, fired_at::text, cancelled_at::text,
                  attempts, last_error, not_before::text, requested_event_id FROM deadlines ORDER BY job_id`,
        )
      ).rows,
    );

  beforeAll(async () => {
    t = await createTestSqlClient('deadlines_rebuild');
    await migrateEventStore(t.client);
    store = new PostgresEventStore(t.client);
    runner = new ProjectionRunner(t.client, store, [projection], { batchWindowMs: 1, pollIntervalMs: 10 });
    await runner.migrate();
    runner.start();
    // 21 dossiers, one to three rounds each, every ending; appended one event at a time, the
    // dossiers interleaved, so a round's events are batches apart.
    const dossiers = Array.from({ length: 21 }, (_, i) =>
      roundsOf(
        `FINSAS${String(i).padStart(6, '0')}`,
        Array.from({ length: 1 + (i % 3) }, (_, k) => ENDINGS[(i + k) % ENDINGS.length]!),
      ),
    );
    let last = '';
    for (let step = 0; dossiers.some((d) => d.length > 0); step++)
      for (const [i, events] of dossiers.entries()) {
        if ((step + i) % 2 === 0 || events.length === 0) continue;
        const event = events.shift()!;
        const numeroAsp = (event.data as { numeroAsp: string }).numeroAsp;
        const r = await store.appendToStream(
          `dossier-${numeroAsp}`,
          [
            {
              ...event,
              metadata: {
                actor: { id: 'gest-1', role: 'gestionnaire' },
                correlationId: 'c',
                causationId: null,
              },
            },
          ],
          {
            expectedVersion: 'any',
          },
        );
        last = r.lastPosition;
      }
    expect(await runner.waitForPosition(last, 10_000)).toBe(true);
    await runner.stop();
  });
  afterAll(async () => {
    await store.close();
    await t.teardown();
  });

  it('leaves the rows of the live projection, through flushes, forgotten rows loaded again and a resume', async () => {
    const live = await dump();
    expect(JSON.parse(live)).toHaveLength(84);
    const interrupt = new AbortController();
    const first = await rebuildProjections(t.client, store, [projection], {
      batchSize: 4,
      maxHeldDossiers: 3,
      fresh: true,
      signal: interrupt.signal,
      onProgress: (p) => {
        if (p.events >= 40) interrupt.abort();
      },
    });
    expect(first[0]?.swapped).toBe(false);
    const second = await rebuildProjections(t.client, store, [projection], {
      batchSize: 4,
      maxHeldDossiers: 3,
    });
    expect(second[0]?.swapped).toBe(true);
    expect(await dump()).toBe(live);
    await rebuildProjections(t.client, store, [projection], { batchSize: 1_000, fresh: true });
    expect(await dump()).toBe(live);
  });
});
